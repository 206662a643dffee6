namespace JobScheduler.Client.Hosting;

/// <summary>
/// Settings of the embedded client. The client acts for one user, <see cref="UserId"/>: the grains check
/// ownership, validation and quotas for that user on every call.
/// </summary>
/// <remarks>
/// Orleans does not authenticate its clients, so any process that reaches a silo's gateway port can claim
/// any user id. Run the embedded client only on a network that you trust as much as the silos themselves,
/// and give untrusted callers the REST API, which authenticates users with tokens.
/// </remarks>
public sealed class JobSchedulerClientOptions
{
    /// <summary>Longest accepted user id, in characters; the REST gateway has the same limit.</summary>
    public const int MaxUserIdLength = 128;

    /// <summary>Longest accepted <see cref="ObserverExpiry"/>; the grains cap subscriptions at this lifetime.</summary>
    public static readonly TimeSpan MaxObserverExpiry = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The user the client acts for: the owner of the jobs it creates and the only user whose jobs it can
    /// read or change. Required. The REST API's user is the <c>sub</c> claim of its token, so a job created
    /// here with user id <c>alice</c> is visible to REST requests with a token for <c>alice</c>.
    /// </summary>
    public string UserId { get; set; } = "";

    /// <summary>
    /// Gateway port of the silo for localhost clustering (a dev-mode silo on this machine). Default 30000,
    /// the silo's <c>Orleans:GatewayPort</c> default. Ignored when <see cref="ConfigureClustering"/> is set.
    /// </summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Cluster id; must equal the silos' <c>Orleans:ClusterId</c>. Default "jobscheduler".</summary>
    public string ClusterId { get; set; } = "jobscheduler";

    /// <summary>Service id; must equal the silos' <c>Orleans:ServiceId</c>. Default "jobscheduler".</summary>
    public string ServiceId { get; set; } = "jobscheduler";

    /// <summary>
    /// Replaces localhost clustering with another way to find the cluster's gateways. For a cluster on
    /// PostgreSQL, reference <c>JobScheduler.Postgres</c> and set
    /// <c>client =&gt; client.UseJobSchedulerPostgresClustering(connectionString)</c>. The cluster and service
    /// ids above are applied either way. Null by default (localhost clustering).
    /// </summary>
    public Action<Orleans.Hosting.IClientBuilder>? ConfigureClustering { get; set; }

    /// <summary>
    /// How long the host's start keeps trying to reach a gateway before it fails, so a host app may start
    /// before the silos. Default 60 s.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Retries of one grain call that failed because a silo was unavailable, rejected the message or did not
    /// respond in time (a failover in progress). Default 5; 0 turns retries off.
    /// </summary>
    public int MaxCallRetries { get; set; } = 5;

    /// <summary>Delay before the first retry of a grain call; it doubles per retry, with jitter. Default 250 ms.</summary>
    public TimeSpan CallRetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest delay between two retries of a grain call. Default 5 s.</summary>
    public TimeSpan MaxCallRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// First interval between two reads of an execution in <see cref="IJobScheduler.WaitForExecutionAsync"/>;
    /// it doubles per read up to <see cref="MaxPollInterval"/>. Default 100 ms.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest interval between two reads of an execution while waiting for it. Default 2 s.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Whether <see cref="IJobScheduler.WaitForExecutionAsync"/> subscribes an Orleans observer to the execution's
    /// outcome. With it, the result arrives when the execution ends and reads are rare (every
    /// <see cref="FallbackPollInterval"/>); without it, the client reads at <see cref="PollInterval"/>. Default true.
    /// </summary>
    public bool UseExecutionObserver { get; set; } = true;

    /// <summary>
    /// Lifetime of an observer subscription. The client renews it after half this time while it waits, and the
    /// shard removes a subscription that was not renewed, for example of a client that stopped. Default 60 s;
    /// at most 10 minutes.
    /// </summary>
    public TimeSpan ObserverExpiry { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Interval between two reads of an execution while an observer subscription is active. The reads catch a
    /// notification that was lost, for example when the shard holding the subscription failed over. Default 5 s.
    /// </summary>
    public TimeSpan FallbackPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Returns every invalid setting as one message each; empty when the options are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (UserIdProblem(UserId) is { } userProblem)
        {
            errors.Add(userProblem);
        }

        if (ConfigureClustering is null && GatewayPort is < 1 or > 65535)
        {
            errors.Add($"GatewayPort is {GatewayPort}; use the silo's Orleans:GatewayPort, a port from 1 to 65535.");
        }

        if (string.IsNullOrWhiteSpace(ClusterId))
        {
            errors.Add("ClusterId is empty; use the silos' Orleans:ClusterId (default \"jobscheduler\").");
        }

        if (string.IsNullOrWhiteSpace(ServiceId))
        {
            errors.Add("ServiceId is empty; use the silos' Orleans:ServiceId (default \"jobscheduler\").");
        }

        if (ConnectTimeout < TimeSpan.Zero)
        {
            errors.Add($"ConnectTimeout is {ConnectTimeout}; use zero (fail at once) or a positive duration.");
        }

        if (MaxCallRetries < 0)
        {
            errors.Add($"MaxCallRetries is {MaxCallRetries}; use 0 (no retries) or more.");
        }

        if (CallRetryDelay <= TimeSpan.Zero || MaxCallRetryDelay < CallRetryDelay)
        {
            errors.Add($"CallRetryDelay ({CallRetryDelay}) must be positive and MaxCallRetryDelay ({MaxCallRetryDelay}) at least as long.");
        }

        if (PollInterval <= TimeSpan.Zero || MaxPollInterval < PollInterval)
        {
            errors.Add($"PollInterval ({PollInterval}) must be positive and MaxPollInterval ({MaxPollInterval}) at least as long.");
        }

        if (ObserverExpiry <= TimeSpan.Zero || ObserverExpiry > MaxObserverExpiry)
        {
            errors.Add($"ObserverExpiry is {ObserverExpiry}; use a positive duration of at most {MaxObserverExpiry.TotalMinutes:0} minutes.");
        }

        if (FallbackPollInterval <= TimeSpan.Zero)
        {
            errors.Add($"FallbackPollInterval is {FallbackPollInterval}; use a positive duration.");
        }

        return errors;
    }

    /// <summary>Returns why <paramref name="userId"/> is not a valid user id, or null when it is.</summary>
    internal static string? UserIdProblem(string? userId)
    {
        if (string.IsNullOrWhiteSpace(userId))
        {
            return "UserId is empty; set the user the client acts for, such as \"reporting-service\".";
        }

        if (userId.Length > MaxUserIdLength)
        {
            return $"UserId is {userId.Length} characters long; the limit is {MaxUserIdLength}.";
        }

        return userId.Any(char.IsControl) ? "UserId contains a control character; use printable characters only." : null;
    }
}
