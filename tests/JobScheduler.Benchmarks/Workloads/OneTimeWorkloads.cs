using JobScheduler.Benchmarks.Hosting;
using JobScheduler.Benchmarks.Measurement;

namespace JobScheduler.Benchmarks.Workloads;

/// <summary>
/// The shared phases of workloads made of one-time jobs: create every job with its instant fixed in
/// advance, optionally do something between creation and the first instant (the cold restart), then wait
/// for the runs and report.
/// </summary>
public abstract class OneTimeWorkload(RunContext context) : Workload(context)
{
    /// <summary>The phases' outcome, for workloads that add fields of their own.</summary>
    protected sealed record OneTimePhase(RunReport Report, CreationResult Creation, long FirstDueMs, double LeadSeconds);

    /// <summary>
    /// Creates <paramref name="jobs"/> one-time jobs due at <c>T0 + offset(i)</c> milliseconds, where T0 is
    /// the lead after now, runs <paramref name="beforeFirstInstant"/>, then measures the runs.
    /// </summary>
    protected async Task<OneTimePhase> RunPhaseAsync(
        Func<BenchmarkSilo> silo, int jobs, int? rate, Func<int, long> offsetMs, double extraLeadSeconds = 0,
        Func<Task>? beforeFirstInstant = null)
    {
        var lead = await LeadSecondsAsync(silo(), jobs, extraLeadSeconds);
        var firstDueMs = (long)Math.Ceiling(WallClock.NowUnixMs() + lead * 1000);
        var lastDueMs = firstDueMs + offsetMs(jobs - 1);
        var creation = await JobCreator.CreateAsync(
            silo().Grains, jobs, Options.Concurrency,
            i => JobCreator.OneTime(i, Options.Users, firstDueMs + offsetMs(i)),
            Recorder, Options.Workload, stopAtUnixMs: firstDueMs - 1000);
        CheckLead(creation, firstDueMs, Options.Workload);
        var slackSeconds = (firstDueMs - WallClock.NowUnixMs()) / 1000;

        if (beforeFirstInstant is not null)
        {
            await beforeFirstInstant();
            CheckLead(creation, firstDueMs, Options.Workload + " (after the restart)");
        }

        var cpu = await ExecutionWait.WaitAsync(Recorder, Monitor, firstDueMs, lastDueMs, Options.Settle, Options.Workload);
        var stats = ExecutionStats.Compute(Recorder);
        var report = NewReport(silo(), jobs, rate)
            .Set("scheduleThroughput", creation.Throughput)
            .SetExecution(stats)
            .SetExecutionCpu(cpu)
            .Set("createErrors", creation.Failed)
            .Set("leadSeconds", lead)
            .Set("secondsFromSchedulingEndToT0", slackSeconds);
        if (creation.FirstError is not null)
        {
            report.Note($"first creation error: {creation.FirstError}");
        }

        return new OneTimePhase(report, creation, firstDueMs, lead);
    }
}

/// <summary>
/// <c>burst</c>: N one-time jobs all due at one instant T0, fixed before scheduling starts at about 5 s after
/// its estimated end (<c>secondsFromSchedulingEndToT0</c> reports the actual gap).
/// </summary>
public sealed class BurstWorkload(RunContext context) : OneTimeWorkload(context)
{
    public override async Task<RunReport> RunAsync()
    {
        await using var silo = await StartSiloAsync();
        var phase = await RunPhaseAsync(() => silo, Options.Jobs, null, _ => 0);
        return Finish(phase.Report);
    }
}

/// <summary><c>steady</c>: N one-time jobs due at T0 + i/R seconds.</summary>
public sealed class SteadyWorkload(RunContext context) : OneTimeWorkload(context)
{
    public override async Task<RunReport> RunAsync()
    {
        await using var silo = await StartSiloAsync();
        var phase = await RunPhaseAsync(() => silo, Options.Jobs, Options.Rate, SteadyOffset(Options.Rate));
        return Finish(phase.Report.Set("durationSeconds", (double)Options.Jobs / Options.Rate));
    }

    /// <summary>The instant of job i at R per second, in whole milliseconds after T0.</summary>
    public static Func<int, long> SteadyOffset(int rate) => i => (long)i * 1000 / rate;
}

/// <summary>
/// <c>cold</c>: N one-time jobs created on one silo, that silo stopped and a new one started in this
/// process, then all due at one instant. The new silo has no activations: its shards load the due-index
/// from PostgreSQL. The JIT and the process are warm, unlike a new process.
/// </summary>
public sealed class ColdWorkload(RunContext context) : OneTimeWorkload(context)
{
    /// <summary>Time allowed for the restart in the default lead.</summary>
    private const double RestartAllowanceSeconds = 20;

    public override async Task<RunReport> RunAsync()
    {
        var first = await StartSiloAsync();
        BenchmarkSilo? second = null;
        double stopMs = 0, startMs = 0;
        try
        {
            var phase = await RunPhaseAsync(() => second ?? first, Options.Jobs, null, _ => 0, RestartAllowanceSeconds, async () =>
            {
                var stopping = WallClock.Now();
                await first.DisposeAsync();
                stopMs = ElapsedMs(stopping);
                await Console.Error.WriteLineAsync($"cold: the first silo stopped in {stopMs:N0} ms, starting a new one");
                var starting = WallClock.Now();
                second = await StartSiloAsync();
                startMs = ElapsedMs(starting);
                await Console.Error.WriteLineAsync($"cold: the new silo started in {startMs:N0} ms");
            });
            return Finish(phase.Report.Set("siloStopMs", stopMs).Set("siloStartMs", startMs));
        }
        finally
        {
            await first.DisposeAsync();
            if (second is not null)
            {
                await second.DisposeAsync();
            }
        }
    }

    private static double ElapsedMs(long since) => (WallClock.Now() - since) * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
}
