namespace JobScheduler.Abstractions.Grains;

/// <summary>
/// A user's webhook signing secret (key: <c>usr_</c> followed by the user id). The secret is created on
/// first use. After a rotation the previous secret stays valid for signing for 24 hours, so receivers can
/// switch over without rejecting deliveries.
/// </summary>
[Alias("js.IWebhookSecretGrain")]
public interface IWebhookSecretGrain : IGrainWithStringKey
{
    /// <summary>Returns the current secret, creating it on the first call.</summary>
    [Alias("GetSecret")]
    Task<WebhookSecretInfo> GetSecret();

    /// <summary>Replaces the current secret with a new one and keeps the replaced one for 24 hours.</summary>
    [Alias("Rotate")]
    Task<WebhookSecretInfo> Rotate();

    /// <summary>
    /// Returns the secrets a delivery is signed with now: the current one first, then the previous one until
    /// 24 hours after the rotation that replaced it. Creates the current secret on the first call.
    /// </summary>
    [Alias("GetSigningSecrets")]
    Task<IReadOnlyList<string>> GetSigningSecrets();
}

/// <summary>A user's current webhook secret.</summary>
[GenerateSerializer, Alias("js.WebhookSecretInfo")]
public sealed record WebhookSecretInfo
{
    /// <summary>The secret: <c>whsec_</c> followed by 32 random bytes in unpadded base64url.</summary>
    [Id(0)] public string Secret { get; init; } = "";

    /// <summary>When the secret was created.</summary>
    [Id(1)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Until when deliveries also carry a signature with the previous secret, or null when there is none.</summary>
    [Id(2)] public DateTimeOffset? PreviousSecretExpiresAt { get; init; }
}
