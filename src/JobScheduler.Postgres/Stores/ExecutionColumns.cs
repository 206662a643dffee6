using JobScheduler.Abstractions.Executions;

namespace JobScheduler.Postgres.Stores;

/// <summary>Fixed column values of <c>js_executions</c>: status and trigger names, and the status rank.</summary>
internal static class ExecutionColumns
{
    private static readonly Dictionary<ExecutionStatus, string> StatusNames = new()
    {
        [ExecutionStatus.Pending] = "PENDING",
        [ExecutionStatus.Running] = "RUNNING",
        [ExecutionStatus.Succeeded] = "SUCCEEDED",
        [ExecutionStatus.Failed] = "FAILED",
        [ExecutionStatus.TimedOut] = "TIMED_OUT",
        [ExecutionStatus.Cancelled] = "CANCELLED",
        [ExecutionStatus.Skipped] = "SKIPPED",
    };

    private static readonly Dictionary<string, ExecutionStatus> StatusesByName =
        StatusNames.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    public static string StatusName(ExecutionStatus status) => StatusNames[status];

    public static ExecutionStatus ParseStatus(string name) => StatusesByName[name];

    /// <summary>
    /// Order of statuses in an attempt's life. A write never lowers the stored rank, so a late RUNNING
    /// write cannot overwrite a final status.
    /// </summary>
    public static short Rank(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Pending => 0,
        ExecutionStatus.Running => 1,
        _ => 2,
    };

    public static string TriggerName(ExecutionTrigger trigger) => trigger switch
    {
        ExecutionTrigger.Manual => "MANUAL",
        ExecutionTrigger.Redrive => "REDRIVE",
        _ => "SCHEDULE",
    };

    public static ExecutionTrigger ParseTrigger(string name) => name switch
    {
        "MANUAL" => ExecutionTrigger.Manual,
        "REDRIVE" => ExecutionTrigger.Redrive,
        _ => ExecutionTrigger.Schedule,
    };

    /// <summary>The partition key: the creation time in the execution id's trailing ULID.</summary>
    public static DateTime CreatedAt(string executionId) =>
        Ulid.TryParse(executionId.AsSpan(executionId.LastIndexOf('_') + 1), out var ulid)
            ? ulid.Time.UtcDateTime
            : DateTime.UnixEpoch;
}
