using System.Text;
using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Execution;
using JobScheduler.Scheduling;

namespace JobScheduler.Grains.Jobs;

/// <summary>
/// Validates a job definition inside the job grain, so the gateway and the embedded client get the same
/// checks. Returns the first problem found, naming the JSON field and the fix.
/// </summary>
internal sealed class JobValidator(JobHandlerNames handlers, int defaultMisfireThreshold, JobLimitsOptions limits)
{
    private static readonly HashSet<string> HttpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    /// <summary>Headers the scheduler sets on every attempt, or that control HTTP framing: a target may not set them.</summary>
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Idempotency-Key", "Host", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "TE", "Trailer", "Expect",
    };

    /// <summary>Checks <paramref name="definition"/>; on success returns it with defaults applied, and its schedule.</summary>
    /// <param name="definition">The definition to check.</param>
    /// <param name="createdAt">The job's creation instant; <c>@every</c> intervals count from it unless startAt is set.</param>
    /// <param name="normalized">The definition with defaults applied.</param>
    /// <param name="schedule">The parsed schedule.</param>
    public ApiError? Validate(JobDefinition definition, DateTimeOffset createdAt, out JobDefinition normalized, out Schedule? schedule)
    {
        normalized = definition;
        schedule = null;
        var error = ValidateName(definition.Name)
            ?? ValidateLengths(definition)
            ?? ValidateTarget(definition.Target)
            ?? ValidatePayload(definition.Payload)
            ?? ValidateRetryPolicy(definition.RetryPolicy)
            ?? ValidateBounds(definition)
            ?? ValidateWebhook(definition.Webhook)
            ?? ValidateJitter(definition.JitterSeconds);
        if (error is not null)
        {
            return error;
        }

        if (definition.Type is not { } type)
        {
            return ApiError.Invalid("type", "The field 'type' is required: use ONE_TIME or RECURRING.");
        }

        var anchor = definition.StartAt ?? createdAt;
        var typeName = type == JobType.OneTime ? "ONE_TIME" : "RECURRING";
        if (!ScheduleParser.TryParse(typeName, definition.ScheduleExpression, definition.TimeZone, anchor, out schedule, out var scheduleError))
        {
            return ApiError.Invalid(scheduleError.Field, scheduleError.Message);
        }

        if (type == JobType.Recurring && ValidateSpacing(definition.ScheduleExpression!, anchor) is { } tooOften)
        {
            return tooOften;
        }

        normalized = definition with
        {
            // Windows ids and other spellings are stored as the canonical IANA id the schedule uses.
            TimeZone = TimeZoneSource.TryGetZone(definition.TimeZone, out var zone) ? zone.Id : "UTC",
            Priority = definition.Priority ?? JobPriority.Normal,
            MisfireThreshold = definition.MisfireThreshold ?? defaultMisfireThreshold,
            MisfirePolicy = definition.MisfirePolicy ?? MisfirePolicy.FireOnce,
            ConcurrencyPolicy = definition.ConcurrencyPolicy ?? ConcurrencyPolicy.Allow,
            JitterSeconds = definition.JitterSeconds ?? 0,
            Target = definition.Target! with
            {
                Method = definition.Target.Type == TargetType.Http ? (definition.Target.Method ?? "POST").ToUpperInvariant() : null,
                TimeoutSeconds = definition.Target.TimeoutSeconds ?? JobDefaults.TimeoutSeconds,
            },
            RetryPolicy = new RetryPolicy
            {
                MaxRetries = definition.RetryPolicy?.MaxRetries ?? JobDefaults.MaxRetries,
                RetryInterval = definition.RetryPolicy?.RetryInterval ?? JobDefaults.RetryInterval,
                MaxRetryInterval = definition.RetryPolicy?.MaxRetryInterval ?? JobDefaults.MaxRetryInterval,
                Jitter = definition.RetryPolicy?.Jitter ?? JobDefaults.Jitter,
            },
        };
        return null;
    }

    private static ApiError? ValidateName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return ApiError.Invalid("name", "The field 'name' is required: give the job a name of 1 to 200 characters.");
        }

        // Characters are Unicode code points, so an emoji counts once although .NET stores it as two chars.
        var length = name.EnumerateRunes().Count();
        if (length > JobDefaults.MaxNameLength)
        {
            return ApiError.Invalid("name", $"The name is {length} characters long; the maximum is {JobDefaults.MaxNameLength}.");
        }

        return name.Any(char.IsControl) || HasUnpairedSurrogate(name)
            ? ApiError.Invalid("name", "The name contains control characters or invalid Unicode; use printable characters only.")
            : null;
    }

    /// <summary>Bounds the free-text fields that error messages repeat, before any parsing.</summary>
    private static ApiError? ValidateLengths(JobDefinition definition)
    {
        if (definition.ScheduleExpression is { Length: > JobDefaults.MaxExpressionLength } expression)
        {
            return ApiError.Invalid("scheduleExpression", $"The schedule expression is {expression.Length} characters long; the maximum is {JobDefaults.MaxExpressionLength}.");
        }

        if (definition.TimeZone is { Length: > JobDefaults.MaxTimeZoneLength } zone)
        {
            return ApiError.Invalid("timeZone", $"The time zone is {zone.Length} characters long; the maximum is {JobDefaults.MaxTimeZoneLength}. Use an IANA id such as 'Europe/Berlin'.");
        }

        if (definition.Target?.Url is { Length: > JobDefaults.MaxUrlLength } url)
        {
            return ApiError.Invalid("target.url", $"The target URL is {url.Length} characters long; the maximum is {JobDefaults.MaxUrlLength}.");
        }

        return definition.Target?.Name is { Length: > JobDefaults.MaxNameLength } handler
            ? ApiError.Invalid("target.name", $"The handler name is {handler.Length} characters long; the maximum is {JobDefaults.MaxNameLength}.")
            : null;
    }

    private static bool HasUnpairedSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    private ApiError? ValidateTarget(TargetDefinition? target)
    {
        if (target is null)
        {
            return ApiError.Invalid("target", "The field 'target' is required: give {\"type\": \"HTTP\", \"url\": ...} or {\"type\": \"HANDLER\", \"name\": ...}.");
        }

        if (target.TimeoutSeconds is { } timeout && (timeout < 1 || timeout > JobDefaults.MaxTimeoutSeconds))
        {
            return ApiError.Invalid("target.timeoutSeconds", $"The timeout must be between 1 and {JobDefaults.MaxTimeoutSeconds} seconds; got {timeout}.");
        }

        return target.Type == TargetType.Http ? ValidateHttpTarget(target) : ValidateHandlerTarget(target);
    }

    private static ApiError? ValidateHttpTarget(TargetDefinition target)
    {
        if (string.IsNullOrWhiteSpace(target.Url)
            || !Uri.TryCreate(target.Url, UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return ApiError.Invalid("target.url", "The target URL must be an absolute http or https URL, such as https://example.com/run.");
        }

        if (target.Method is { } method && !HttpMethods.Contains(method.ToUpperInvariant()))
        {
            return ApiError.Invalid("target.method", $"The method '{method}' is not supported; use GET, POST, PUT, PATCH or DELETE.");
        }

        return ValidateHeaders(target.Headers);
    }

    private static ApiError? ValidateHeaders(IReadOnlyDictionary<string, string>? headers)
    {
        if (headers is null)
        {
            return null;
        }

        if (headers.Count > JobDefaults.MaxHeaders)
        {
            return ApiError.Invalid("target.headers", $"At most {JobDefaults.MaxHeaders} headers are allowed; got {headers.Count}.");
        }

        foreach (var (name, value) in headers)
        {
            if (name.Length == 0 || name.Length > 256 || !name.All(c => c > 32 && c < 127 && c != ':'))
            {
                return ApiError.Invalid("target.headers", $"The header name '{name}' is invalid: use 1 to 256 visible ASCII characters without ':'.");
            }

            if (ReservedHeaders.Contains(name) || name.StartsWith("JobScheduler-", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase))
            {
                return ApiError.Invalid("target.headers", $"The header '{name}' is set by the scheduler or by HTTP itself and cannot be given; remove it. "
                    + "Reserved: Idempotency-Key, JobScheduler-*, Host, Content-Length, Transfer-Encoding, Connection, Keep-Alive, Upgrade, TE, Trailer, Expect, Proxy-*.");
            }

            // HttpClient sends only ASCII header values, so any other character would fail every run.
            if (value is null || value.Length > JobDefaults.MaxHeaderValueLength || value.Any(c => c > '~' || (c < ' ' && c != '\t')))
            {
                return ApiError.Invalid("target.headers",
                    $"The value of header '{name}' is invalid: use at most {JobDefaults.MaxHeaderValueLength} visible ASCII characters, spaces or tabs, without line breaks. Percent-encode other text.");
            }
        }

        return null;
    }

    private ApiError? ValidateHandlerTarget(TargetDefinition target)
    {
        if (string.IsNullOrWhiteSpace(target.Name))
        {
            return ApiError.Invalid("target.name", "A HANDLER target needs the field 'name': the name a silo registered its handler under.");
        }

        return handlers.Contains(target.Name)
            ? null
            : ApiError.Invalid("target.name", $"No handler named '{target.Name}' is registered in the silo host; register it with AddJobHandler or fix the name.");
    }

    private ApiError? ValidateSpacing(string expression, DateTimeOffset anchor)
    {
        if (!ScheduleParser.TryParse(ScheduleParser.RecurringType, expression, "UTC", anchor, out var utc, out _)
            || RecurrenceSpacing.FindGapBelow(utc, limits.MinRecurringInterval) is not { } gap)
        {
            return null;
        }

        return ApiError.Invalid("scheduleExpression",
            $"The schedule runs {gap.TotalSeconds:0.###} s apart; the minimum interval between runs is {limits.MinRecurringInterval.TotalSeconds:0.###} s. Use a less frequent expression.");
    }

    private ApiError? ValidatePayload(string? payload)
    {
        if (payload is null)
        {
            return null;
        }

        var bytes = Encoding.UTF8.GetByteCount(payload);
        return bytes > limits.MaxPayloadBytes
            ? new ApiError(ApiErrorKind.PayloadTooLarge, "payload",
                $"The payload is {bytes} bytes of JSON; the limit is {limits.MaxPayloadBytes} bytes. Store large data elsewhere and pass a reference.")
            : null;
    }

    private static ApiError? ValidateRetryPolicy(RetryPolicy? policy)
    {
        if (policy is null)
        {
            return null;
        }

        if (policy.MaxRetries is { } retries && (retries < 0 || retries > 100))
        {
            return ApiError.Invalid("retryPolicy.maxRetries", $"maxRetries must be between 0 and 100; got {retries}.");
        }

        if (policy.RetryInterval is { } interval && (interval < 1 || interval > JobDefaults.MaxTimeoutSeconds))
        {
            return ApiError.Invalid("retryPolicy.retryInterval", $"retryInterval must be between 1 and {JobDefaults.MaxTimeoutSeconds} seconds; got {interval}.");
        }

        if (policy.MaxRetryInterval is { } cap && (cap < 1 || cap > 7 * JobDefaults.MaxTimeoutSeconds))
        {
            return ApiError.Invalid("retryPolicy.maxRetryInterval", $"maxRetryInterval must be between 1 and {7 * JobDefaults.MaxTimeoutSeconds} seconds; got {cap}.");
        }

        var baseInterval = policy.RetryInterval ?? JobDefaults.RetryInterval;
        if (policy.MaxRetryInterval is { } maxInterval && maxInterval < baseInterval)
        {
            return ApiError.Invalid("retryPolicy.maxRetryInterval",
                $"maxRetryInterval ({maxInterval} s) is below retryInterval ({baseInterval} s); it caps the growing interval, so give at least {baseInterval}.");
        }

        return policy.Jitter is { } jitter && (double.IsNaN(jitter) || jitter < 0 || jitter > 1)
            ? ApiError.Invalid("retryPolicy.jitter", $"jitter is a fraction between 0 and 1; got {jitter}.")
            : null;
    }

    private static ApiError? ValidateBounds(JobDefinition definition)
    {
        if (definition.StartAt is { } start && definition.EndAt is { } end && end <= start)
        {
            return ApiError.Invalid("endAt", "endAt must be later than startAt.");
        }

        if (definition.MaxExecutions is { } max && max < 1)
        {
            return ApiError.Invalid("maxExecutions", $"maxExecutions must be at least 1; got {max}.");
        }

        return definition.MisfireThreshold is { } threshold && (threshold < 1 || threshold > 7 * JobDefaults.MaxTimeoutSeconds)
            ? ApiError.Invalid("misfireThreshold", $"misfireThreshold must be between 1 and {7 * JobDefaults.MaxTimeoutSeconds} seconds; got {threshold}.")
            : null;
    }

    private static ApiError? ValidateWebhook(WebhookDefinition? webhook)
    {
        if (webhook is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(webhook.Url)
            || !Uri.TryCreate(webhook.Url, UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return ApiError.Invalid("webhook.url", "The webhook URL must be an absolute http or https URL, such as https://example.com/hooks/jobs.");
        }

        return webhook.Url.Length > 2048
            ? ApiError.Invalid("webhook.url", $"The webhook URL is {webhook.Url.Length} characters long; the maximum is 2048.")
            : null;
    }

    private static ApiError? ValidateJitter(int? jitterSeconds) =>
        jitterSeconds is { } seconds && (seconds < 0 || seconds > 3600)
            ? ApiError.Invalid("jitterSeconds", $"jitterSeconds must be between 0 and 3600; got {seconds}.")
            : null;
}
