using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobScheduler.Grains.Webhooks;

/// <summary>
/// Encrypts webhook secrets before they are stored, with AES-GCM under <see cref="WebhookOptions.SecretEncryptionKey"/>.
/// The user's grain key is bound to each ciphertext, so a stored secret copied to another user does not decrypt.
/// Without a key, secrets are stored as plain text, and the first use of a secret logs a warning.
/// </summary>
public sealed partial class WebhookSecretProtector
{
    /// <summary>Prefix of an encrypted secret: <c>enc1:</c>, the key id, a colon, then nonce, ciphertext and tag in base64.</summary>
    public const string EncryptedPrefix = "enc1:";

    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly byte[]? _key;
    private readonly string _keyId = "";

    public WebhookSecretProtector(IOptions<WebhookOptions> options, ILogger<WebhookSecretProtector> logger)
    {
        if (string.IsNullOrEmpty(options.Value.SecretEncryptionKey))
        {
            LogUnencrypted(logger);
            return;
        }

        _key = Convert.FromBase64String(options.Value.SecretEncryptionKey);
        _keyId = KeyId(_key);
    }

    /// <summary>Returns the id of a key: the first 8 hex digits of its SHA-256 hash, so a wrong key is named in errors.</summary>
    public static string KeyId(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key))[..8];

    /// <summary>Returns the stored form of <paramref name="secret"/>: encrypted when a key is set, else the secret itself.</summary>
    public string Protect(string secret, string grainKey)
    {
        if (_key is null)
        {
            return secret;
        }

        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length), Encoding.UTF8.GetBytes(grainKey));
        return $"{EncryptedPrefix}{_keyId}:{Convert.ToBase64String(sealedBytes)}";
    }

    /// <summary>Returns the secret in a stored value, decrypting it when it is encrypted.</summary>
    /// <exception cref="InvalidOperationException">The value is encrypted and the configured key cannot decrypt it.</exception>
    public string Unprotect(string stored, string grainKey)
    {
        if (!stored.StartsWith(EncryptedPrefix, StringComparison.Ordinal))
        {
            return stored;
        }

        var parts = stored[EncryptedPrefix.Length..].Split(':', 2);
        if (_key is null || parts.Length != 2 || parts[0] != _keyId)
        {
            var keyId = parts.Length == 2 ? parts[0] : "unknown";
            throw new InvalidOperationException(
                $"The webhook secret of {grainKey} is encrypted with key {keyId}, but Webhooks:SecretEncryptionKey "
                + (_key is null ? "is not set." : $"is key {_keyId}.") + " Set the key the secret was stored with.");
        }

        var sealedBytes = Convert.FromBase64String(parts[1]);
        var cipherLength = sealedBytes.Length - NonceBytes - TagBytes;
        var plain = new byte[cipherLength];
        using var aes = new AesGcm(_key, TagBytes);
        aes.Decrypt(
            sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, cipherLength),
            sealedBytes.AsSpan(NonceBytes + cipherLength), plain, Encoding.UTF8.GetBytes(grainKey));
        return Encoding.UTF8.GetString(plain);
    }

    [LoggerMessage(EventId = 1430, Level = LogLevel.Warning,
        Message = "Webhook secrets are stored unencrypted because Webhooks:SecretEncryptionKey is not set. Set it to 32 random bytes in base64 (openssl rand -base64 32)")]
    private static partial void LogUnencrypted(ILogger logger);
}
