using JobScheduler.Benchmarks;
using JobScheduler.Benchmarks.Hosting;
using JobScheduler.Benchmarks.Measurement;
using JobScheduler.Benchmarks.Workloads;
using JobScheduler.Harness;
using JobScheduler.Silo.Hosting;

BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args, Environment.GetEnvironmentVariable);
}
catch (UsageException usage)
{
    if (usage.Message.Length > 0)
    {
        await Console.Error.WriteLineAsync(usage.Message);
        await Console.Error.WriteLineAsync();
    }

    await Console.Error.WriteLineAsync(BenchmarkOptions.Usage);
    return usage.Message.Length > 0 ? 2 : 0;
}

#if DEBUG
await Console.Error.WriteLineAsync("warning: this is a Debug build; figures are only meaningful with -c Release.");
#endif

var startedAt = DateTime.UtcNow;
using var monitor = new ResourceMonitor(options.ProfileAllocations);
using var counters = new ProductCounters();
var recorder = new RecordingHandler();
RunDatabase? database = null;
try
{
    if (options.Mode == StorageKind.Postgres)
    {
        database = await RunDatabase.CreateAsync(options.Postgres!, "jsbench", options.KeepDatabase);
        await Console.Error.WriteLineAsync($"Using the fresh database {database.Name}.");
    }

    var report = await Workload.Create(new RunContext(options, monitor, counters, recorder, database, startedAt, LoadAverage.Read())).RunAsync();
    Console.WriteLine(report.ToJsonLine());
    Console.WriteLine(report.ToSummary());
    return options.FailOnLoss && report.HasLoss ? 3 : 0;
}
catch (Exception exception) when (exception is UsageException or RunDatabaseException or BenchmarkAbortedException or SiloStartupException)
{
    await Console.Error.WriteLineAsync($"The benchmark stopped: {exception.Message}");
    return 1;
}
finally
{
    if (database is not null)
    {
        await database.DisposeAsync();
    }
}
