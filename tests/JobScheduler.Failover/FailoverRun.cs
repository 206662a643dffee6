using System.Globalization;
using System.Security.Cryptography;
using JobScheduler.Failover.Hosting;
using JobScheduler.Failover.Load;
using JobScheduler.Failover.Measurement;
using JobScheduler.Failover.Scenarios;
using JobScheduler.Harness;

namespace JobScheduler.Failover;

/// <summary>
/// One run: a database, three silos, tokens, the steady load, the scenario's fault in the middle of it, a
/// wait for late runs, and the report.
/// </summary>
public sealed class FailoverRun(FailoverOptions options)
{
    private const int SiloCount = 3;
    private const int DefaultShardCount = 64;

    private readonly string _signingKey = "failover-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
    private readonly RunLog _runs = new();

    public async Task<FailoverReport> RunAsync()
    {
        await using var postgres = options.Postgres is null ? await ThrowawayPostgres.StartAsync() : null;
        await using var database = await CreateDatabaseAsync(options.Postgres ?? postgres!.ConnectionString);
        var logs = Directory.CreateTempSubdirectory("jobscheduler-failover-logs-");
        var silos = Enumerable.Range(0, SiloCount).Select(i => new SiloNode(i, SiloSettings(database.ConnectionString), _runs, logs.FullName)).ToList();
        var succeeded = false;
        try
        {
            var report = await RunClusterAsync(silos, postgres);
            succeeded = report.Passed;
            return report;
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }

            if (options.KeepLogs || !succeeded)
            {
                Log($"silo logs are in {logs.FullName}");
            }
            else
            {
                logs.Delete(recursive: true);
            }
        }
    }

    /// <summary>Creates the run's database; throws <see cref="HarnessException"/> when that fails.</summary>
    private static async Task<RunDatabase> CreateDatabaseAsync(string serverConnectionString)
    {
        try
        {
            return await RunDatabase.CreateAsync(serverConnectionString, "jsfailover");
        }
        catch (RunDatabaseException exception)
        {
            throw new HarnessException(exception.Message);
        }
    }

    private async Task<FailoverReport> RunClusterAsync(List<SiloNode> silos, ThrowawayPostgres? postgres)
    {
        // The first silo creates the schema; the others then start together.
        await silos[0].StartAsync();
        await Task.WhenAll(silos.Skip(1).Select(silo => silo.StartAsync()));
        Log($"three silos are ready: {string.Join(", ", silos.Select(s => s.Url))}");

        var users = Enumerable.Range(0, options.Users).Select(i => $"failover-user-{i}").ToList();
        using var api = new ApiClient(silos.Select(s => s.Url).ToList(), await Tokens.MintAsync(users, _signingKey));
        var load = new LoadDriver(options, api, users, SiloCount);
        await load.CreateRecurringAsync();
        Log($"{load.Created:N0} recurring jobs created; the load starts at {Format(load.StartMs)}");

        var feeding = load.FeedOneTimeAsync();
        var injector = new FaultInjector(options, silos, postgres);
        await DelayUntilAsync(load.StartMs + (long)(options.FaultAt * 1000));
        await injector.RunAsync();
        await feeding;
        Log($"the load ended; {load.Created:N0} jobs created, {_runs.Count:N0} runs so far");

        await WaitForRunsAsync(load, injector.Faults);
        var analysis = new RunAnalysis(load.Expected, _runs, injector.Faults, ShardCount()).Analyze();
        analysis.DuplicateExamples.ForEach(example => Log($"duplicate: {example}"));
        analysis.MissingExamples.ForEach(example => Log($"missing: {example}"));
        analysis.UnexpectedExamples.ForEach(example => Log($"unexpected: {example}"));
        return new FailoverReport
        {
            Scenario = options.Scenario,
            Rate = options.Rate,
            Duration = options.Duration,
            Due = load.Expected.Count,
            Executed = analysis.Executed,
            Missing = analysis.Missing,
            Duplicates = analysis.Duplicates,
            DuplicateReasons = analysis.DuplicateReasons,
            ResumeMs = analysis.ResumeMs,
            AllShardsResumeMs = analysis.AllShardsResumeMs,
            Faults = analysis.Resumes,
            Lag = analysis.Lag,
            UnexpectedRuns = analysis.UnexpectedRuns,
            Api = new ApiFigures(api.ServerErrors, api.ConnectionErrors, load.CreateFailed, load.NotCreated, api.FirstError),
            Settings = Settings(),
            Machine = Machine(),
        };
    }

    /// <summary>
    /// Waits until every expected instant ran and the settle time after the last fault has passed (so a retry
    /// of an attempt lost with its silo is counted), or until the protocol's 120 s limit for a missing instant.
    /// </summary>
    private async Task WaitForRunsAsync(LoadDriver load, IReadOnlyList<Fault> faults)
    {
        var lastFault = faults.Count == 0 ? load.StartMs : faults.Max(f => f.EndMs ?? f.StartMs);
        var settled = Math.Max(load.EndMs + 3_000, lastFault + options.Settle * 1000L);
        var giveUp = Math.Max(settled, load.EndMs + 120_000);
        while (true)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var pending = load.Expected.Keys.Count(key => _runs.RunsOf(key).Count == 0);
            if ((pending == 0 && now >= settled) || now >= giveUp)
            {
                return;
            }

            Log(pending > 0
                ? $"waiting: {pending:N0} expected instants have not run yet"
                : $"every expected instant ran; waiting {(settled - now) / 1000.0:0} s more for late retries and duplicates");
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
    }

    private string[] SiloSettings(string connectionString)
    {
        List<string> settings =
        [
            $"--ConnectionStrings:JobScheduler={connectionString}",
            $"--Auth:SigningKey={_signingKey}",
            // The harness is one client creating jobs for many users at a steady rate.
            "--Gateway:RateLimit:PermitsPerSecond=1000000", "--Gateway:RateLimit:Burst=1000000",
            "--Logging:LogLevel:Default=Information", "--Logging:LogLevel:Microsoft.AspNetCore=Warning",
            "--Logging:LogLevel:Orleans=Warning", "--Logging:Console:TimestampFormat=HH:mm:ss.fff ",
        ];
        settings.AddRange(options.Overrides.Select(o => $"--{o.Key}={o.Value}"));
        return [.. settings];
    }

    private SortedDictionary<string, object> Settings()
    {
        var settings = new SortedDictionary<string, object>(StringComparer.Ordinal)
        {
            ["silos"] = SiloCount,
            ["recurringJobs"] = options.RecurringJobs,
            ["oneTimePerSecond"] = options.OneTimeRate,
            ["faultAtSeconds"] = options.FaultAt,
            ["users"] = options.Users,
            ["postgres"] = options.Postgres is null ? "throwaway" : "given",
        };
        if (options.Scenario == "hang")
        {
            settings["hangSeconds"] = options.HangSeconds;
        }

        foreach (var (key, value) in options.Overrides)
        {
            settings[key] = value;
        }

        return settings;
    }

    private int ShardCount() =>
        options.Overrides.Where(o => o.Key == "Scheduler:ShardCount").Select(o => int.Parse(o.Value, CultureInfo.InvariantCulture)).LastOrDefault(DefaultShardCount);

    private static string Machine()
    {
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ').Take(3) : [];
        return $"{Environment.ProcessorCount} cores, load average {string.Join(' ', load)} at the end";
    }

    private static async Task DelayUntilAsync(long unixMs)
    {
        var wait = unixMs - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (wait > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(wait));
        }
    }

    private static string Format(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static void Log(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss.fff}] {message}");
}
