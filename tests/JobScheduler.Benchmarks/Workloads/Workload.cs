using System.Runtime;
using JobScheduler.Benchmarks.Hosting;
using JobScheduler.Benchmarks.Measurement;
using JobScheduler.Harness;

namespace JobScheduler.Benchmarks.Workloads;

/// <summary>What every workload gets: its options, the monitors, the handler, the database and the start time.</summary>
public sealed record RunContext(
    BenchmarkOptions Options,
    ResourceMonitor Monitor,
    ProductCounters Counters,
    RecordingHandler Recorder,
    RunDatabase? Database,
    DateTime StartedAt,
    double? LoadAverageAtStart);

/// <summary>A benchmark workload: schedules its jobs on a real silo, measures, and returns one report.</summary>
public abstract class Workload(RunContext context)
{
    protected RunContext Context { get; } = context;

    protected BenchmarkOptions Options => Context.Options;

    protected RecordingHandler Recorder => Context.Recorder;

    protected ResourceMonitor Monitor => Context.Monitor;

    /// <summary>Runs the workload.</summary>
    public abstract Task<RunReport> RunAsync();

    /// <summary>Creates the workload named in the options.</summary>
    public static Workload Create(RunContext context) => context.Options.Workload switch
    {
        "burst" => new BurstWorkload(context),
        "steady" => new SteadyWorkload(context),
        "recurring" => new RecurringWorkload(context),
        "create" => new CreateWorkload(context),
        "scale" => new ScaleWorkload(context),
        "cold" => new ColdWorkload(context),
        _ => throw new UsageException($"The workload '{context.Options.Workload}' is unknown."),
    };

    protected Task<BenchmarkSilo> StartSiloAsync() =>
        BenchmarkSilo.StartAsync(Options, Context.Database?.ConnectionString, Recorder);

    /// <summary>
    /// Seconds from the start of scheduling to the first instant: <c>--lead</c>, or the time the creation of
    /// <paramref name="jobs"/> jobs takes at the rate of a calibration batch, plus 25 % and 5 s. The batch goes
    /// through the same path and the same users in rounds of a fortieth of the jobs (100 to 2,000), until
    /// two rounds agree within 20 % or four rounds ran, because the first rounds run slower while the JIT
    /// and the connection pools warm up. Its jobs are due an hour later, beyond the wheel's horizon, so
    /// they never run in the measurement.
    /// </summary>
    protected async Task<double> LeadSecondsAsync(BenchmarkSilo silo, int jobs, double extraSeconds = 0)
    {
        if (Options.Lead is { } lead)
        {
            return lead;
        }

        const int MaxRounds = 4;
        var round = Math.Clamp(jobs / 40, 100, 2000);
        var dueMs = (long)WallClock.NowUnixMs() + (long)TimeSpan.FromHours(1).TotalMilliseconds;
        var previousRate = 0.0;
        var rate = 1.0;
        for (var index = 0; index < MaxRounds; index++)
        {
            var offset = CalibrationJobs;
            var result = await JobCreator.CreateAsync(
                silo.Grains, round, Options.Concurrency, i => JobCreator.OneTime(offset + i, Options.Users, dueMs) with { ExpectedInstantsMs = [] },
                recorder: null, $"{Options.Workload}: calibration");
            CalibrationJobs += round;
            rate = Math.Max(1, result.Throughput);
            if (index > 0 && Math.Abs(rate - previousRate) <= 0.2 * previousRate)
            {
                break;
            }

            previousRate = rate;
        }

        // The bulk can run slower than the calibration (a bigger database, other load), hence 25 % more.
        return Math.Ceiling(5 + extraSeconds + 1.25 * jobs / rate);
    }

    /// <summary>Jobs the calibration batch created, or 0 when <c>--lead</c> was given.</summary>
    protected int CalibrationJobs { get; private set; }

    /// <summary>Starts a report with the identity fields and the settings in force.</summary>
    protected RunReport NewReport(BenchmarkSilo silo, int jobs, int? rate)
    {
        var settings = silo.EffectiveSettings();
        settings["users"] = Options.Users;
        settings["concurrency"] = Options.Concurrency;
        settings["serverGc"] = GCSettings.IsServerGC;
        settings["cores"] = Environment.ProcessorCount;
        settings["calibrationJobs"] = CalibrationJobs;
#if DEBUG
        settings["build"] = "Debug";
#else
        settings["build"] = "Release";
#endif
        foreach (var (key, value) in Options.Overrides)
        {
            settings["override:" + key] = value;
        }

        return new RunReport()
            .Set("system", "jobscheduler")
            .Set("mode", Options.Mode == StorageKind.Memory ? "memory" : "postgres")
            .Set("workload", Options.Workload)
            .Set("jobs", jobs)
            .Set("rate", rate)
            .Set("settings", settings);
    }

    /// <summary>Sets the process-wide figures: peak RSS, CPU seconds and GC pauses.</summary>
    protected RunReport Finish(RunReport report)
    {
        report.Set("peakRssMb", Monitor.PeakRssMb())
            .Set("cpuSeconds", Monitor.CpuSeconds())
            .Set("gcPauseMaxMs", Monitor.GcPauseMaxMs())
            .Set("gcPauseTotalMs", Monitor.GcPauseTotalMs())
            .Set("gcCollections", Monitor.Collections())
            .Set("gcTriggers", Monitor.CollectionReasons())
            .Set("attemptOutcomes", Context.Counters.Outcomes())
            .Set("retriesScheduled", Context.Counters.RetriesScheduled)
            .Set("deadLetters", Context.Counters.DeadLettersRecorded)
            .Set("startedAtUtc", Context.StartedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture))
            .Set("loadAverageAtStart", Context.LoadAverageAtStart)
            .Set("loadAverageAtEnd", LoadAverage.Read());
        if (Options.ProfileAllocations)
        {
            report.Set("topAllocations", Monitor.TopAllocations(12).ToDictionary(pair => pair.Key, pair => pair.Value));
        }

        if (Context.Counters.Outcomes().TryGetValue("lost", out var lost) && lost > 0)
        {
            report.Note($"{lost:N0} attempts were declared lost by their shard. Their retries run after the retry interval, "
                + "usually after the run ends, so duplicates does not count them");
        }

        if (!Monitor.GcEventsSeen)
        {
            report.Note("no GC events reached the event listener; gcPauseMaxMs comes from GCMemoryInfo samples only");
        }

        return report;
    }

    /// <summary>Stops the run with a message when creation ended less than 1 s before the first instant.</summary>
    protected static void CheckLead(CreationResult creation, long firstDueMs, string label)
    {
        var marginMs = firstDueMs - WallClock.NowUnixMs();
        if (creation.NotAttempted == 0 && marginMs >= 1000)
        {
            return;
        }

        var attempted = Math.Max(1, creation.Created + creation.Failed);
        var needed = Math.Ceiling(creation.Seconds * (attempted + creation.NotAttempted) / attempted * 1.5 + 10);
        throw new BenchmarkAbortedException(
            $"{label}: creating the jobs took {creation.Seconds:N1} s and left {Math.Max(0, marginMs) / 1000:N1} s before the first instant, "
            + $"but a fair start needs at least 1 s. Rerun with --lead {needed:0}.");
    }

    /// <summary>Forces full compacting collections so the resident set reflects live memory.</summary>
    protected static void CollectAll()
    {
        for (var i = 0; i < 2; i++)
        {
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
    }
}

/// <summary>The run could not produce fair figures. The message gives the reason and the option to change.</summary>
public sealed class BenchmarkAbortedException(string message) : Exception(message);
