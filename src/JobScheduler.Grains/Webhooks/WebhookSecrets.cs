using System.Buffers.Text;
using System.Security.Cryptography;

namespace JobScheduler.Grains.Webhooks;

/// <summary>Creates webhook secrets.</summary>
public static class WebhookSecrets
{
    /// <summary>Prefix of every secret, so a leaked one is recognizable in logs and secret scanners.</summary>
    public const string Prefix = "whsec_";

    /// <summary>Random bytes in a secret.</summary>
    public const int RandomBytes = 32;

    /// <summary>How long the previous secret keeps signing deliveries after a rotation.</summary>
    public static readonly TimeSpan RotationOverlap = TimeSpan.FromHours(24);

    /// <summary>Creates a secret: <see cref="Prefix"/> followed by 32 random bytes in unpadded base64url (43 characters).</summary>
    public static string Create() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));
}
