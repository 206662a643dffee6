using Microsoft.Extensions.Options;

namespace JobScheduler.Grains.Webhooks;

/// <summary>Webhook delivery settings, bound from the <c>Webhooks</c> configuration section.</summary>
public sealed class WebhookOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Webhooks";

    /// <summary>Delivery attempts per event, the first included. Default 6. A value of 1 disables retries.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Delay before the first retry. Each later retry doubles it, with jitter. Default 1 s.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of any delay between retries. Default 5 min.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Time one delivery attempt may take, from sending the request to the response headers. Default 10 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Events queued on one silo. Beyond it, new events wait in the outbox until their lease ends. Default 10,000.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Events one silo delivers at once, including those waiting for a retry. Default 1,000.</summary>
    public int MaxEventsInFlight { get; set; } = 1000;

    /// <summary>Requests open at once to one receiver (host and port). Default 8.</summary>
    public int MaxConcurrencyPerHost { get; set; } = 8;

    /// <summary>
    /// Key that encrypts webhook secrets at rest: 32 bytes in base64. Default none, so secrets are stored as
    /// plain text. Once secrets were stored with a key, the silo needs that key to sign deliveries.
    /// </summary>
    public string? SecretEncryptionKey { get; set; }
}

/// <summary>Checks <see cref="WebhookOptions"/> at start and reports every invalid value at once.</summary>
public sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var errors = new List<string>();
        if (options.MaxAttempts is < 1 or > 100)
        {
            errors.Add($"Webhooks:MaxAttempts must be from 1 to 100; got {options.MaxAttempts}.");
        }

        if (options.BaseDelay <= TimeSpan.Zero || options.BaseDelay > TimeSpan.FromHours(1))
        {
            errors.Add($"Webhooks:BaseDelay must be more than 0 and at most 01:00:00; got {options.BaseDelay}.");
        }

        if (options.MaxDelay < options.BaseDelay || options.MaxDelay > TimeSpan.FromDays(1))
        {
            errors.Add($"Webhooks:MaxDelay must be at least Webhooks:BaseDelay and at most 1.00:00:00; got {options.MaxDelay}.");
        }

        if (options.Timeout < TimeSpan.FromMilliseconds(100) || options.Timeout > TimeSpan.FromMinutes(5))
        {
            errors.Add($"Webhooks:Timeout must be from 00:00:00.1 to 00:05:00; got {options.Timeout}.");
        }

        if (options.QueueCapacity < 1)
        {
            errors.Add($"Webhooks:QueueCapacity must be at least 1; got {options.QueueCapacity}.");
        }

        if (options.MaxEventsInFlight < 1)
        {
            errors.Add($"Webhooks:MaxEventsInFlight must be at least 1; got {options.MaxEventsInFlight}.");
        }

        if (options.MaxConcurrencyPerHost < 1)
        {
            errors.Add($"Webhooks:MaxConcurrencyPerHost must be at least 1; got {options.MaxConcurrencyPerHost}.");
        }

        if (!string.IsNullOrEmpty(options.SecretEncryptionKey) && !IsKey(options.SecretEncryptionKey))
        {
            errors.Add("Webhooks:SecretEncryptionKey must be 32 bytes in base64 (openssl rand -base64 32); the value given is not.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsKey(string value)
    {
        var bytes = new byte[64];
        return Convert.TryFromBase64String(value, bytes, out var written) && written == 32;
    }
}
