using JobScheduler.Failover;
using JobScheduler.Failover.Hosting;

if (args.Length > 0 && args[0] == RecordingSilo.Command)
{
    return await RecordingSilo.RunAsync(args[1..]);
}

FailoverOptions options;
try
{
    options = FailoverOptions.Parse(args);
}
catch (UsageException usage)
{
    if (usage.Message.Length > 0)
    {
        await Console.Error.WriteLineAsync(usage.Message);
        await Console.Error.WriteLineAsync();
    }

    await Console.Error.WriteLineAsync(FailoverOptions.Usage);
    return usage.Message.Length > 0 ? 2 : 0;
}

#if DEBUG
await Console.Error.WriteLineAsync("warning: this is a Debug build; times are only meaningful with -c Release.");
#endif

try
{
    var report = await new FailoverRun(options).RunAsync();
    Console.WriteLine(report.ToJsonLine());
    Console.WriteLine(report.ToSummary());
    return options.FailOnLoss && !report.Passed ? 3 : 0;
}
catch (HarnessException exception)
{
    await Console.Error.WriteLineAsync($"The failover harness stopped: {exception.Message}");
    return 1;
}
