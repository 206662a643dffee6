using System.Collections.Concurrent;
using JobScheduler.Abstractions.Handlers;

namespace JobScheduler.Client.Tests;

/// <summary>A handler that records every attempt it runs.</summary>
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

    public const string Error = "The report service is down.";

    public Task ExecuteAsync(JobExecutionContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(Error);
}

/// <summary>A handler whose attempts wait until the test opens the gate for their job.</summary>
public sealed class GateHandler : IJobHandler
{
    public const string Name = "gate";

    public static GateHandler Instance { get; } = new();

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new(StringComparer.Ordinal);

    public Task ExecuteAsync(JobExecutionContext context, CancellationToken cancellationToken) =>
        GateOf(context.JobId).Task.WaitAsync(cancellationToken);

    /// <summary>Lets the waiting and future attempts of <paramref name="jobId"/> finish.</summary>
    public void Open(string jobId) => GateOf(jobId).TrySetResult();

    private TaskCompletionSource GateOf(string jobId) =>
        _gates.GetOrAdd(jobId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
