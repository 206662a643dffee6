using System.Text.Json;
using JobScheduler.Abstractions.Jobs;

namespace JobScheduler.Client.Jobs;

/// <summary>
/// A job definition under construction. The builder checks only what it can check alone (a schedule and a
/// target are set, durations are whole seconds); the job grain validates the rest when the job is created,
/// exactly as for the REST API, and a rejection comes back as <see cref="JobSchedulerException"/>.
/// </summary>
public abstract class JobBuilder
{
    private protected JobBuilder(string name, JobType type)
    {
        ArgumentNullException.ThrowIfNull(name);
        Definition = new JobDefinition { Name = name, Type = type };
    }

    /// <summary>The definition built so far; each builder method replaces it with a changed copy.</summary>
    private protected JobDefinition Definition { get; set; }

    /// <summary>Timeout applied to the target when the definition is built, in whole seconds.</summary>
    private protected int? TimeoutSeconds { get; set; }

    /// <summary>Returns the definition to pass to <see cref="IJobScheduler.CreateAsync(JobDefinition, CancellationToken)"/>.</summary>
    /// <exception cref="InvalidOperationException">The schedule or the target is missing.</exception>
    public JobDefinition Build()
    {
        if (Definition.ScheduleExpression is null)
        {
            throw new InvalidOperationException(Definition.Type == JobType.OneTime
                ? $"Job '{Definition.Name}' has no instant; call At(...) before Build()."
                : $"Job '{Definition.Name}' has no schedule; call Cron(...) or Every(...) before Build().");
        }

        if (Definition.Target is not { } target)
        {
            throw new InvalidOperationException($"Job '{Definition.Name}' has no target; call Http(...) or Handler(...) before Build().");
        }

        return TimeoutSeconds is { } seconds ? Definition with { Target = target with { TimeoutSeconds = seconds } } : Definition;
    }

    /// <summary>Converts a duration to whole seconds of at least <paramref name="minimum"/>.</summary>
    private protected static int WholeSeconds(TimeSpan duration, string parameterName, int minimum = 1)
    {
        if (duration.Ticks % TimeSpan.TicksPerSecond != 0 || duration.TotalSeconds < minimum || duration.TotalSeconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(parameterName, duration, $"Use a whole number of seconds, at least {minimum} s.");
        }

        return (int)duration.TotalSeconds;
    }

    /// <summary>Serializes a payload to JSON text with the web defaults (camelCase member names).</summary>
    private protected static string? SerializePayload<T>(T payload, JsonSerializerOptions? options) =>
        payload is null ? null : JsonSerializer.Serialize(payload, options ?? JsonSerializerOptions.Web);
}

/// <summary>The builder methods that one-time and recurring jobs share; each returns the builder for chaining.</summary>
/// <typeparam name="TBuilder">The concrete builder type.</typeparam>
public abstract class JobBuilder<TBuilder> : JobBuilder
    where TBuilder : JobBuilder<TBuilder>
{
    private protected JobBuilder(string name, JobType type)
        : base(name, type)
    {
    }

    /// <summary>
    /// Calls an HTTP endpoint on each attempt; a 2xx status is success. The payload, when set, is the request
    /// body (sent as <c>application/json</c> with every method except GET).
    /// </summary>
    /// <param name="url">Absolute http or https URL. The silos reject addresses in private and reserved networks unless configured otherwise.</param>
    /// <param name="method">GET, POST, PUT, PATCH or DELETE; default POST.</param>
    /// <param name="headers">Extra request headers, or null.</param>
    public TBuilder Http(string url, HttpMethod? method = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        Definition = Definition with
        {
            Target = new TargetDefinition { Type = TargetType.Http, Url = url, Method = method?.Method, Headers = headers },
        };
        return (TBuilder)this;
    }

    /// <summary>Calls an HTTP endpoint on each attempt; see <see cref="Http(string, HttpMethod?, IReadOnlyDictionary{string, string}?)"/>.</summary>
    public TBuilder Http(Uri url, HttpMethod? method = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Http(url.AbsoluteUri, method, headers);
    }

    /// <summary>
    /// Runs an in-process handler that a silo host registered with <c>AddJobHandler</c> under
    /// <paramref name="name"/>, and sets the payload it receives.
    /// </summary>
    /// <param name="name">The handler's registered name.</param>
    /// <param name="payload">Serialized to JSON with the web defaults (camelCase); null for no payload.</param>
    /// <param name="serializerOptions">Options for the payload's serialization, or null for the web defaults.</param>
    public TBuilder Handler<TPayload>(string name, TPayload payload, JsonSerializerOptions? serializerOptions = null)
    {
        Handler(name);
        return Payload(payload, serializerOptions);
    }

    /// <summary>Runs an in-process handler registered under <paramref name="name"/>, without changing the payload.</summary>
    public TBuilder Handler(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Definition = Definition with { Target = new TargetDefinition { Type = TargetType.Handler, Name = name } };
        return (TBuilder)this;
    }

    /// <summary>
    /// Sets the payload: the HTTP request body or the handler's input. The value is serialized to JSON with
    /// the web defaults (camelCase); a string becomes a JSON string. Use <see cref="PayloadJson"/> for JSON text.
    /// </summary>
    public TBuilder Payload<TPayload>(TPayload payload, JsonSerializerOptions? serializerOptions = null)
    {
        Definition = Definition with { Payload = SerializePayload(payload, serializerOptions) };
        return (TBuilder)this;
    }

    /// <summary>Sets the payload from JSON text, such as <c>{"report": "sales"}</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="json"/> is not well-formed JSON.</exception>
    public TBuilder PayloadJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var _ = JsonDocument.Parse(json);
        }
        catch (JsonException exception)
        {
            throw new ArgumentException($"The payload is not well-formed JSON: {exception.Message}", nameof(json), exception);
        }

        Definition = Definition with { Payload = json };
        return (TBuilder)this;
    }

    /// <summary>Sets how long one attempt may run before it is cancelled and recorded TIMED_OUT. Default 30 s.</summary>
    /// <param name="timeout">A whole number of seconds, at least 1.</param>
    public TBuilder Timeout(TimeSpan timeout)
    {
        TimeoutSeconds = WholeSeconds(timeout, nameof(timeout));
        return (TBuilder)this;
    }

    /// <summary>
    /// Sets the retry policy: after a failed, timed-out or lost attempt, up to <paramref name="maxRetries"/>
    /// retries follow with exponential backoff, then the execution becomes a dead letter.
    /// </summary>
    /// <param name="maxRetries">Retries after the first attempt; default 3, 0 for none.</param>
    /// <param name="interval">Delay before the first retry, doubling per retry; whole seconds; default 300 s.</param>
    /// <param name="maxInterval">Cap on any retry delay; whole seconds; default 3600 s.</param>
    /// <param name="jitter">Random spread as a fraction of the delay, 0 to 1; default 0.1.</param>
    public TBuilder Retry(int maxRetries, TimeSpan? interval = null, TimeSpan? maxInterval = null, double? jitter = null)
    {
        Definition = Definition with
        {
            RetryPolicy = new RetryPolicy
            {
                MaxRetries = maxRetries,
                RetryInterval = interval is { } first ? WholeSeconds(first, nameof(interval)) : null,
                MaxRetryInterval = maxInterval is { } cap ? WholeSeconds(cap, nameof(maxInterval)) : null,
                Jitter = jitter,
            },
        };
        return (TBuilder)this;
    }

    /// <summary>Turns retries off: a failed attempt becomes a dead letter at once.</summary>
    public TBuilder NoRetries() => Retry(0);

    /// <summary>Sets the dispatch priority when more executions are due than a shard runs at once. Default NORMAL.</summary>
    public TBuilder Priority(JobPriority priority)
    {
        Definition = Definition with { Priority = priority };
        return (TBuilder)this;
    }

    /// <summary>
    /// Sets what happens to instants the cluster could not start in time: <paramref name="policy"/> applies to
    /// instants overdue by more than <paramref name="threshold"/> (whole seconds; default 60 s).
    /// </summary>
    public TBuilder Misfire(MisfirePolicy policy, TimeSpan? threshold = null)
    {
        Definition = Definition with
        {
            MisfirePolicy = policy,
            MisfireThreshold = threshold is { } value ? WholeSeconds(value, nameof(threshold), minimum: 0) : Definition.MisfireThreshold,
        };
        return (TBuilder)this;
    }

    /// <summary>Posts the job's execution events to <paramref name="url"/>, signed with the owner's webhook secret.</summary>
    /// <param name="url">Absolute http or https URL receiving the events.</param>
    /// <param name="events">The events to send; all of them when none are given.</param>
    public TBuilder Webhook(string url, params WebhookEventType[] events)
    {
        ArgumentNullException.ThrowIfNull(url);
        Definition = Definition with
        {
            Webhook = new WebhookDefinition { Url = url, Events = events is { Length: > 0 } ? events : null },
        };
        return (TBuilder)this;
    }
}
