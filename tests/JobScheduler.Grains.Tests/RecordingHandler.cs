using System.Collections.Concurrent;
using JobScheduler.Abstractions.Handlers;

namespace JobScheduler.Grains.Tests;

/// <summary>A handler that records every attempt it runs, for assertions.</summary>
public sealed class RecordingHandler : IJobHandler
{
    public const string Name = "record";

    public static RecordingHandler Instance { get; } = new();

    private readonly ConcurrentQueue<JobExecutionContext> _runs = new();

    public Task ExecuteAsync(JobExecutionContext context, CancellationToken cancellationToken)
    {
        _runs.Enqueue(context);
        return Task.CompletedTask;
    }

    /// <summary>The attempts run for one job, in start order.</summary>
    public IReadOnlyList<JobExecutionContext> RunsOf(string jobId) => _runs.Where(run => run.JobId == jobId).ToList();
}

/// <summary>A handler that always throws.</summary>
public sealed class FailingHandler : IJobHandler
{
    public const string Name = "fail";

    public Task ExecuteAsync(JobExecutionContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("The report service is down.");
}
