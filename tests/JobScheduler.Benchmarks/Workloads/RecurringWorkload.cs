using JobScheduler.Abstractions.Jobs;
using JobScheduler.Benchmarks.Measurement;

namespace JobScheduler.Benchmarks.Workloads;

/// <summary>
/// <c>recurring</c>: K jobs on the 6-field cron <c>* * * * * *</c> (every second), bounded by
/// <c>startAt</c> = T0 and <c>endAt</c> = T0 + D - 1 s, so each job has D instants and all K are due on
/// each of those seconds.
/// </summary>
public sealed class RecurringWorkload(RunContext context) : Workload(context)
{
    /// <summary>Every second, in the 6-field form whose first field is the second.</summary>
    public const string EverySecond = "* * * * * *";

    public override async Task<RunReport> RunAsync()
    {
        await using var silo = await StartSiloAsync();
        var jobs = Options.Jobs;
        var seconds = Options.Duration;
        var lead = await LeadSecondsAsync(silo, jobs);

        // Instants of a per-second cron fall on whole seconds.
        var firstDueMs = (long)Math.Ceiling((WallClock.NowUnixMs() + lead * 1000) / 1000) * 1000;
        var lastDueMs = firstDueMs + (seconds - 1) * 1000L;
        var instants = Enumerable.Range(0, seconds).Select(k => firstDueMs + k * 1000L).ToArray();
        var startAt = DateTimeOffset.FromUnixTimeMilliseconds(firstDueMs);
        var endAt = DateTimeOffset.FromUnixTimeMilliseconds(lastDueMs);

        var creation = await JobCreator.CreateAsync(
            silo.Grains, jobs, Options.Concurrency,
            i => new PlannedJob(
                JobCreator.UserOf(i, Options.Users),
                new JobDefinition
                {
                    Name = $"bench-recurring-{i}",
                    Type = JobType.Recurring,
                    ScheduleExpression = EverySecond,
                    StartAt = startAt,
                    EndAt = endAt,
                    Target = JobCreator.HandlerTarget,
                },
                instants),
            Recorder, "recurring", stopAtUnixMs: firstDueMs - 1000);
        CheckLead(creation, firstDueMs, "recurring");
        var slackSeconds = (firstDueMs - WallClock.NowUnixMs()) / 1000;

        var cpu = await ExecutionWait.WaitAsync(Recorder, Monitor, firstDueMs, lastDueMs, Options.Settle, "recurring");
        var stats = ExecutionStats.Compute(Recorder);

        // All K jobs are due every second, so the rate is K instants per second.
        var report = NewReport(silo, jobs, jobs)
            .Set("scheduleThroughput", creation.Throughput)
            .SetExecution(stats)
            .SetExecutionCpu(cpu)
            .Set("createErrors", creation.Failed)
            .Set("durationSeconds", seconds)
            .Set("seconds", stats.Instants)
            .Set("secondLagP50Ms", stats.InstantSpreadP50Ms)
            .Set("secondLagMaxMs", stats.InstantSpreadMaxMs)
            .Set("secondsOver250Ms", stats.InstantsOver250Ms)
            .Set("secondLagsMs", stats.InstantSpreadsMs.ToArray())
            .Set("leadSeconds", lead)
            .Set("secondsFromSchedulingEndToT0", slackSeconds)
            .Note("secondLag*: per due second, the lag of the last of its K first runs (when the whole second had started)");
        return Finish(report);
    }
}
