namespace JobScheduler.Grains.Webhooks;

/// <summary>
/// The stored form of a user's webhook secrets. A storage type of its own with no required members and a
/// schema version, so a later field never breaks stored rows.
/// </summary>
/// <remarks>
/// The secrets are stored as <see cref="WebhookSecretProtector"/> returns them: encrypted when
/// <c>Webhooks:SecretEncryptionKey</c> is set, else plain text that anyone with read access to the grain
/// storage could use to sign deliveries.
/// </remarks>
[GenerateSerializer, Alias("js.WebhookSecretState")]
public sealed class WebhookSecretState
{
    /// <summary>Version of this layout, starting at 1.</summary>
    public const int CurrentSchemaVersion = 1;

    [Id(0)] public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    /// <summary>The current secret, or null before the first use.</summary>
    [Id(1)] public string? Secret { get; set; }

    [Id(2)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The secret replaced by the last rotation, or null.</summary>
    [Id(3)] public string? PreviousSecret { get; set; }

    /// <summary>Until when <see cref="PreviousSecret"/> still signs deliveries.</summary>
    [Id(4)] public DateTimeOffset? PreviousExpiresAt { get; set; }
}
