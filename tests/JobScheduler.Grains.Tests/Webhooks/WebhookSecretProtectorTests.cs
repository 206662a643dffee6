using System.Security.Cryptography;
using JobScheduler.Grains.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace JobScheduler.Grains.Tests.Webhooks;

/// <summary>Encryption of webhook secrets at rest.</summary>
public sealed class WebhookSecretProtectorTests
{
    private const string Secret = "whsec_7rW0mYzL3d1s0m3R4nd0mV4lu3F0rT3st1ngPurp0s3s";
    private const string Key = "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=";
    private const string OtherKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    [Fact]
    public void Protect_EncryptsAndRoundTrips()
    {
        var protector = Protector(Key);

        var stored = protector.Protect(Secret, "usr_alice");

        Assert.StartsWith($"enc1:{WebhookSecretProtector.KeyId(Convert.FromBase64String(Key))}:", stored);
        Assert.DoesNotContain("whsec_", stored);
        Assert.Equal(Secret, protector.Unprotect(stored, "usr_alice"));
    }

    [Fact]
    public void Protect_UsesFreshNonceEachTime()
    {
        var protector = Protector(Key);

        Assert.NotEqual(protector.Protect(Secret, "usr_alice"), protector.Protect(Secret, "usr_alice"));
    }

    [Fact]
    public void Unprotect_RejectsSecretCopiedToAnotherUser()
    {
        var protector = Protector(Key);
        var stored = protector.Protect(Secret, "usr_alice");

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(stored, "usr_mallory"));
    }

    [Fact]
    public void Unprotect_NamesBothKeysWhenKeyDiffers()
    {
        var stored = Protector(Key).Protect(Secret, "usr_alice");

        var error = Assert.Throws<InvalidOperationException>(() => Protector(OtherKey).Unprotect(stored, "usr_alice"));

        Assert.Contains($"encrypted with key {WebhookSecretProtector.KeyId(Convert.FromBase64String(Key))}", error.Message);
        Assert.Contains($"is key {WebhookSecretProtector.KeyId(Convert.FromBase64String(OtherKey))}", error.Message);
    }

    [Fact]
    public void Unprotect_ExplainsMissingKey()
    {
        var stored = Protector(Key).Protect(Secret, "usr_alice");

        var error = Assert.Throws<InvalidOperationException>(() => Protector(null).Unprotect(stored, "usr_alice"));

        Assert.Contains("Webhooks:SecretEncryptionKey is not set.", error.Message);
    }

    [Fact]
    public void NoKey_StoresPlainTextAndReadsIt()
    {
        var protector = Protector(null);

        Assert.Equal(Secret, protector.Protect(Secret, "usr_alice"));
        Assert.Equal(Secret, protector.Unprotect(Secret, "usr_alice"));
    }

    [Fact]
    public void Key_StillReadsPlainTextStoredBeforeIt()
    {
        Assert.Equal(Secret, Protector(Key).Unprotect(Secret, "usr_alice"));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAECAwQFBgcICQoLDA0ODw==")]
    public void Options_RejectKeyThatIsNot32Bytes(string key)
    {
        var result = new WebhookOptionsValidator().Validate(null, new WebhookOptions { SecretEncryptionKey = key });

        Assert.True(result.Failed);
        Assert.Equal(
            "Webhooks:SecretEncryptionKey must be 32 bytes in base64 (openssl rand -base64 32); the value given is not.",
            Assert.Single(result.Failures!));
    }

    private static WebhookSecretProtector Protector(string? key) =>
        new(Options.Create(new WebhookOptions { SecretEncryptionKey = key }), NullLogger<WebhookSecretProtector>.Instance);
}
