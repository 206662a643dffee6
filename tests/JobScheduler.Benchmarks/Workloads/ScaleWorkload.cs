using JobScheduler.Abstractions.Jobs;
using Orleans.Runtime;

namespace JobScheduler.Benchmarks.Workloads;

/// <summary>
/// <c>scale</c>: M recurring jobs registered on a yearly cron (due next 1 January, far beyond the wheel's
/// horizon), the silo's memory measured before and after them, then a <c>steady</c> run on top. Memory
/// is measured after forced full compacting collections, so it counts live data, not garbage.
/// </summary>
public sealed class ScaleWorkload(RunContext context) : OneTimeWorkload(context)
{
    /// <summary>00:00:00 on 1 January, in the 6-field form whose first field is the second.</summary>
    public const string Yearly = "0 0 0 1 1 *";

    /// <summary>Time for idle job grains to deactivate before the memory is measured.</summary>
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(5);

    public override async Task<RunReport> RunAsync()
    {
        await using var silo = await StartSiloAsync();
        await Task.Delay(IdleWait);
        CollectAll();
        var rssBefore = Monitor.RssBytes();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: false);

        // Registered jobs belong to their own users, so the steady run's users keep their whole quota.
        var registeredUsers = Math.Max(1, (Options.Registered + BenchmarkOptions.JobsPerUser - 1) / BenchmarkOptions.JobsPerUser);
        var registration = await JobCreator.CreateAsync(
            silo.Grains, Options.Registered, Options.Concurrency,
            i => new PlannedJob(
                "bench-registered-" + (i % registeredUsers),
                new JobDefinition
                {
                    Name = $"bench-registered-{i}",
                    Type = JobType.Recurring,
                    ScheduleExpression = Yearly,
                    Target = JobCreator.HandlerTarget,
                },
                []),
            recorder: null, "scale: registering");

        await Task.Delay(IdleWait);
        CollectAll();
        var rssAfter = Monitor.RssBytes();
        var heapAfter = GC.GetTotalMemory(forceFullCollection: false);
        var activations = await silo.Grains.GetGrain<IManagementGrain>(0).GetTotalActivationCount();
        var registered = Math.Max(1, registration.Created);
        await Console.Error.WriteLineAsync(
            $"scale: {registration.Created:N0} jobs registered at {registration.Throughput:N0}/s; resident set {rssBefore / 1048576.0:N0} -> {rssAfter / 1048576.0:N0} MiB");

        // The forced collections above are the benchmark's, not the product's.
        Monitor.RestartGcWindow();
        RunReport report;
        try
        {
            var phase = await RunPhaseAsync(() => silo, Options.Jobs, Options.Rate, SteadyWorkload.SteadyOffset(Options.Rate));
            report = phase.Report.Set("durationSeconds", (double)Options.Jobs / Options.Rate);
        }
        catch (BenchmarkAbortedException aborted)
        {
            // The memory figures took the longest to get, so they are reported without the steady run.
            await Console.Error.WriteLineAsync($"The steady run on top stopped: {aborted.Message}");
            report = NewReport(silo, Options.Jobs, Options.Rate).Note($"the steady run on top did not run: {aborted.Message}");
        }

        report.Set("registered", registration.Created)
            .Set("registerThroughput", registration.Throughput)
            .Set("registerErrors", registration.Failed)
            .Set("rssBeforeMb", rssBefore / 1048576.0)
            .Set("rssAfterMb", rssAfter / 1048576.0)
            .Set("rssPerJobBytes", (rssAfter - rssBefore) / (double)registered)
            .Set("heapPerJobBytes", (heapAfter - heapBefore) / (double)registered)
            .Set("activationsAfterRegistering", activations)
            .Note("the gc* figures cover the steady run only; the benchmark's forced collections before it are left out");
        if (registration.FirstError is not null)
        {
            report.Note($"first registration error: {registration.FirstError}");
        }

        return Finish(report);
    }
}
