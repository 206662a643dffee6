using JobScheduler.Failover.Scenarios;
using JobScheduler.Scheduling;

namespace JobScheduler.Failover.Measurement;

/// <summary>Turns the expected instants, the recorded runs and the faults into the report's counts.</summary>
public sealed class RunAnalysis(IReadOnlyDictionary<string, long> expected, RunLog runs, IReadOnlyList<Fault> faults, int shardCount)
{
    /// <summary>A run at most this long before a fault counts as in flight on the faulted silo.</summary>
    private const long InFlightWindowMs = 5_000;

    /// <summary>A run later than this after its instant is not on time.</summary>
    private const long OnTimeMs = 1_000;

    /// <summary>An instant not run within this time is missing, as the benchmark protocol defines it.</summary>
    private const long MissingAfterMs = 120_000;

    public int Executed { get; private set; }

    public int Missing { get; private set; }

    public int Duplicates { get; private set; }

    public SortedDictionary<string, int> DuplicateReasons { get; } = new(StringComparer.Ordinal);

    public LagFigures Lag { get; private set; } = new(0, 0, 0);

    public long UnexpectedRuns { get; private set; }

    public List<FaultResume> Resumes { get; } = [];

    /// <summary>A few missing keys with their instants and shards, for the log.</summary>
    public List<string> MissingExamples { get; } = [];

    /// <summary>A few keys the harness did not expect, with their runs, for the log.</summary>
    public List<string> UnexpectedExamples { get; } = [];

    /// <summary>A few duplicated keys with their runs, for the log.</summary>
    public List<string> DuplicateExamples { get; } = [];

    /// <summary>The longest resume time over the faults, or null when a fault's shards never fired on time again.</summary>
    public long? ResumeMs => Resumes.Count == 0 || Resumes.Any(r => r.ResumeMs is null) ? null : Resumes.Max(r => r.ResumeMs);

    /// <summary>The longest time over the faults until every affected shard fired on time again, or null.</summary>
    public long? AllShardsResumeMs => Resumes.Count == 0 || Resumes.Any(r => r.AllShardsMs is null) ? null : Resumes.Max(r => r.AllShardsMs);

    public RunAnalysis Analyze()
    {
        var lags = new List<long>(expected.Count);
        var byShard = new Dictionary<int, List<(Run Run, long Scheduled)>>();
        foreach (var (key, scheduled) in expected)
        {
            var keyRuns = runs.RunsOf(key);
            if (keyRuns.Count == 0 || keyRuns[0].StartMs - scheduled > MissingAfterMs)
            {
                Missing++;
                if (MissingExamples.Count < 10)
                {
                    MissingExamples.Add($"{key} (due {scheduled}, shard {ShardMap.ShardOf(key[..key.LastIndexOf(':')], shardCount)})");
                }

                continue;
            }

            Executed++;
            lags.Add(Math.Max(0, keyRuns[0].StartMs - scheduled));
            CountDuplicates(keyRuns);
            if (keyRuns.Count > 1 && DuplicateExamples.Count < 10)
            {
                DuplicateExamples.Add($"{key} (due {scheduled}): {string.Join("; ", keyRuns.Select(r => $"silo {r.Silo} attempt {r.Attempt} at {r.StartMs}"))}");
            }
            var shard = ShardMap.ShardOf(key[..key.LastIndexOf(':')], shardCount);
            if (!byShard.TryGetValue(shard, out var list))
            {
                byShard[shard] = list = [];
            }

            list.AddRange(keyRuns.Select(run => (run, scheduled)));
        }

        var unexpected = runs.Keys.Where(key => !expected.ContainsKey(key)).ToList();
        UnexpectedRuns = unexpected.Sum(key => (long)runs.RunsOf(key).Count);
        UnexpectedExamples.AddRange(unexpected.Take(10).Select(key =>
            $"{key}: {string.Join("; ", runs.RunsOf(key).Select(r => $"silo {r.Silo} attempt {r.Attempt} at {r.StartMs}"))}"));
        Lag = Percentiles(lags);
        foreach (var fault in faults)
        {
            Resumes.Add(ResumeOf(fault, byShard));
        }

        return this;
    }

    private void CountDuplicates(IReadOnlyList<Run> keyRuns)
    {
        for (var i = 1; i < keyRuns.Count; i++)
        {
            Duplicates++;
            var cause = CauseOf(keyRuns, keyRuns[i]);
            DuplicateReasons[cause] = DuplicateReasons.GetValueOrDefault(cause) + 1;
        }
    }

    private string CauseOf(IReadOnlyList<Run> keyRuns, Run extra)
    {
        foreach (var fault in faults.Where(f => f.Silo is not null))
        {
            // An attempt dispatched to the faulted silo shortly before the fault: it ran there before the fault,
            // or when a hung silo woke up, and its instant or its lost lease ran again elsewhere.
            var windowEnd = (fault.EndMs ?? fault.StartMs) + InFlightWindowMs;
            if (keyRuns.Any(run => run.Silo == fault.Silo && run.StartMs >= fault.StartMs - InFlightWindowMs && run.StartMs <= windowEnd))
            {
                return DuplicateCause.InFlightOnFaultedSilo;
            }
        }

        return extra.Attempt > 1 ? DuplicateCause.Retry : DuplicateCause.Refire;
    }

    /// <summary>
    /// The shards a fault affected (those whose latest run before it was on the faulted silo, or every shard
    /// when PostgreSQL was restarted), the time until the first of them fired an instant on time again on
    /// another silo (the protocol's resume time), and the time until the slowest of them did.
    /// </summary>
    private static FaultResume ResumeOf(Fault fault, Dictionary<int, List<(Run Run, long Scheduled)>> byShard)
    {
        long? slowest = 0;
        long? first = null;
        var affected = 0;
        foreach (var (_, shardRuns) in byShard)
        {
            var before = shardRuns.Where(r => r.Run.StartMs <= fault.StartMs).OrderByDescending(r => r.Run.StartMs).FirstOrDefault();
            if (before.Run == default || (fault.Silo is { } silo && before.Run.Silo != silo))
            {
                continue;
            }

            affected++;
            var resumed = shardRuns
                .Where(r => r.Run.StartMs >= fault.StartMs && r.Scheduled >= fault.StartMs && r.Run.StartMs - r.Scheduled < OnTimeMs)
                .Where(r => fault.Silo is null || r.Run.Silo != fault.Silo)
                .Select(r => (long?)r.Run.StartMs)
                .Min();
            slowest = resumed is null || slowest is null ? null : Math.Max(slowest.Value, resumed.Value - fault.StartMs);
            if (resumed is { } at && (first is null || at - fault.StartMs < first))
            {
                first = at - fault.StartMs;
            }
        }

        return new FaultResume(fault, affected, first, slowest);
    }

    private static LagFigures Percentiles(List<long> lags)
    {
        if (lags.Count == 0)
        {
            return new LagFigures(0, 0, 0);
        }

        lags.Sort();
        long At(double q) => lags[Math.Min(lags.Count - 1, (int)Math.Ceiling(q * lags.Count) - 1)];
        return new LagFigures(At(0.50), At(0.99), lags[^1]);
    }
}
