using System.Collections.Concurrent;
using JobScheduler.Abstractions.Handlers;

namespace JobScheduler.Grains.Tests;

/// <summary>A handler that fails the first two attempts of each job and succeeds afterwards, recording each attempt.</summary>
public sealed class FlakyHandler(TimeProvider time) : IJobHandler
{
    public const string Name = "flaky";

    private readonly ConcurrentDictionary<string, int> _calls = new();
    private readonly ConcurrentQueue<(JobExecutionContext Context, DateTimeOffset StartedAt)> _runs = new();

    public Task ExecuteAsync(JobExecutionContext context, CancellationToken cancellationToken)
    {
        _runs.Enqueue((context, time.GetUtcNow()));
        var call = _calls.AddOrUpdate(context.JobId, 1, (_, count) => count + 1);
        return call <= 2
            ? throw new HttpRequestException($"The service answered 503 on call {call}.")
            : Task.CompletedTask;
    }

    /// <summary>The attempts run for one job, in start order, with the fake clock's time at their start.</summary>
    public IReadOnlyList<(JobExecutionContext Context, DateTimeOffset StartedAt)> RunsOf(string jobId) =>
        _runs.Where(run => run.Context.JobId == jobId).ToList();
}
