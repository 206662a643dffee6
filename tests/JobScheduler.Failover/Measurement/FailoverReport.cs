using System.Globalization;
using System.Text;
using System.Text.Json;
using JobScheduler.Failover.Scenarios;

namespace JobScheduler.Failover.Measurement;

/// <summary>The figures of one run, as the failover workload of the benchmark protocol names them.</summary>
public sealed class FailoverReport
{
    public required string Scenario { get; init; }

    public required int Rate { get; init; }

    public required int Duration { get; init; }

    public required int Due { get; init; }

    public required int Executed { get; init; }

    public required int Missing { get; init; }

    public required int Duplicates { get; init; }

    public required SortedDictionary<string, int> DuplicateReasons { get; init; }

    /// <summary>Milliseconds from the fault to the first on-time execution of an affected shard; null when none came.</summary>
    public required long? ResumeMs { get; init; }

    /// <summary>Milliseconds from the fault until every affected shard had an on-time execution; null when some never did.</summary>
    public required long? AllShardsResumeMs { get; init; }

    public required IReadOnlyList<FaultResume> Faults { get; init; }

    public required LagFigures Lag { get; init; }

    public required long UnexpectedRuns { get; init; }

    public required ApiFigures Api { get; init; }

    public required SortedDictionary<string, object> Settings { get; init; }

    public required string Machine { get; init; }

    /// <summary>True when every duplicate comes from an attempt in flight on a faulted silo.</summary>
    public bool OnlyAllowedDuplicates =>
        Duplicates == DuplicateReasons.GetValueOrDefault(DuplicateCause.InFlightOnFaultedSilo);

    /// <summary>
    /// True when the run meets its scenario's bar: nothing missing, and duplicates only from attempts in flight on
    /// a killed or hung silo. A PostgreSQL restart and a rolling restart allow no duplicate at all.
    /// </summary>
    public bool Passed => Missing == 0 && (Scenario is "kill" or "hang" ? OnlyAllowedDuplicates : Duplicates == 0);

    public string ToJsonLine() => JsonSerializer.Serialize(new SortedDictionary<string, object?>(StringComparer.Ordinal)
    {
        ["system"] = "jobscheduler",
        ["mode"] = "postgres",
        ["workload"] = "failover",
        ["scenario"] = Scenario,
        ["rate"] = Rate,
        ["duration"] = Duration,
        ["due"] = Due,
        ["executed"] = Executed,
        ["missing"] = Missing,
        ["duplicates"] = Duplicates,
        ["duplicateReasons"] = DuplicateReasons,
        ["resumeMs"] = ResumeMs,
        ["allShardsResumeMs"] = AllShardsResumeMs,
        ["lagP50Ms"] = Lag.P50,
        ["lagP99Ms"] = Lag.P99,
        ["lagMaxMs"] = Lag.Max,
        ["unexpectedRuns"] = UnexpectedRuns,
        ["apiServerErrors"] = Api.ServerErrors,
        ["apiConnectionErrors"] = Api.ConnectionErrors,
        ["createFailed"] = Api.CreateFailed,
        ["notCreated"] = Api.NotCreated,
        ["faults"] = Faults.Select(f => new { kind = f.Fault.Kind, silo = f.Fault.Silo, atMs = f.Fault.StartMs, durationMs = f.Fault.EndMs - f.Fault.StartMs, affectedShards = f.AffectedShards, resumeMs = f.ResumeMs, allShardsResumeMs = f.AllShardsMs }),
        ["settings"] = Settings,
        ["machine"] = Machine,
    });

    public string ToSummary()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Failover scenario '{Scenario}': {Rate:N0} instants/s for {Duration} s on three silos and PostgreSQL ({Machine}).");
        var reasons = DuplicateReasons.Count > 0 ? $" ({string.Join(", ", DuplicateReasons.Select(r => $"{r.Key} {r.Value}"))})" : "";
        text.AppendLine(CultureInfo.InvariantCulture, $"  due {Due:N0}, executed {Executed:N0}, missing {Missing:N0}, duplicates {Duplicates:N0}{reasons}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  lag of first runs: p50 {Lag.P50} ms, p99 {Lag.P99} ms, max {Lag.Max} ms");
        foreach (var fault in Faults)
        {
            var target = fault.Fault.Silo is { } silo ? $"silo {silo}" : "PostgreSQL";
            var resume = fault.ResumeMs is { } ms ? $"after {ms:N0} ms" : "never within the run";
            var all = fault.AllShardsMs is { } allMs ? $"after {allMs:N0} ms" : "not within the run";
            text.AppendLine(CultureInfo.InvariantCulture, $"  {fault.Fault.Kind} of {target}: {fault.AffectedShards} shards affected; first on-time run {resume}; an on-time run on every affected shard {all}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  API: {Api.ServerErrors} server errors, {Api.ConnectionErrors} connection errors (retried on another silo), {Api.CreateFailed} creations failed, {Api.NotCreated} one-time jobs not created in time");
        if (Api.FirstError is { } error)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  first API error: {error}");
        }

        if (UnexpectedRuns > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {UnexpectedRuns} runs of keys the harness did not expect");
        }

        text.Append(Passed
            ? "  Passed: nothing was lost, and every duplicate (if any) was an attempt in flight on a killed or hung silo."
            : "  FAILED: instants were lost, or ran twice for a reason this scenario does not allow.");
        return text.ToString();
    }
}

/// <summary>One fault, the shards it affected, and how long the first and the last of them took to fire on time again.</summary>
public sealed record FaultResume(Fault Fault, int AffectedShards, long? ResumeMs, long? AllShardsMs);

/// <summary>Schedule lag of the first run of each expected instant, in milliseconds.</summary>
public sealed record LagFigures(long P50, long P99, long Max);

/// <summary>What the load's API calls met.</summary>
public sealed record ApiFigures(long ServerErrors, long ConnectionErrors, int CreateFailed, int NotCreated, string? FirstError);

/// <summary>Names of the duplicate causes in <c>duplicateReasons</c>.</summary>
public static class DuplicateCause
{
    /// <summary>One run was on a faulted silo around the fault: an attempt in flight there when it failed.</summary>
    public const string InFlightOnFaultedSilo = "inFlightOnFaultedSilo";

    /// <summary>A retry (attempt 2 or later) ran a key whose earlier attempt had run.</summary>
    public const string Retry = "retry";

    /// <summary>A first attempt ran twice: the instant was fired again.</summary>
    public const string Refire = "refire";
}
