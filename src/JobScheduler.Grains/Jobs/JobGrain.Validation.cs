using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Scheduling;

namespace JobScheduler.Grains.Jobs;

/// <summary>The job grain's checks that go beyond the definition itself: target addresses and the quota message.</summary>
public sealed partial class JobGrain
{
    /// <summary>
    /// Validates a definition and, for HTTP targets, resolves the URL's host and rejects reserved addresses,
    /// so the embedded client cannot register a target that the gateway would reject.
    /// </summary>
    private async Task<(ApiError? Error, JobDefinition Normalized, Schedule? Schedule)> ValidateAsync(
        JobDefinition definition, DateTimeOffset createdAt)
    {
        if (_validator.Validate(definition, createdAt, out var normalized, out var schedule) is { } invalid)
        {
            return (invalid, normalized, null);
        }

        var target = normalized.Target!;
        if (target.Type == TargetType.Http
            && Uri.TryCreate(target.Url, UriKind.Absolute, out var url)
            && await _outbound.CheckUrlAsync(url) is { } rejected)
        {
            return (ApiError.Invalid("target.url", rejected), normalized, null);
        }

        if (normalized.Webhook is { Url: { } webhookUrl }
            && Uri.TryCreate(webhookUrl, UriKind.Absolute, out var webhook)
            && await _outbound.CheckUrlAsync(webhook) is { } webhookRejected)
        {
            return (ApiError.Invalid("webhook.url", webhookRejected), normalized, null);
        }

        return (null, normalized, schedule);
    }

    private ApiError QuotaExceeded() => new(ApiErrorKind.QuotaExceeded, null,
        $"You have reached the limit of {_options.MaxActiveJobsPerUser} active or paused jobs per user (setting Scheduler:MaxActiveJobsPerUser). "
        + "Completed and deleted jobs do not count: delete jobs you no longer need and retry.");
}
