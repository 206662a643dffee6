namespace JobScheduler.Grains.Webhooks;

/// <summary>Names of the Orleans grain storage providers the webhook grains use.</summary>
public static class WebhookStorageNames
{
    /// <summary>Webhook secret grain state (one row per user).</summary>
    public const string Secrets = "webhookSecrets";
}
