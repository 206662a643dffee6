using System.Collections.Concurrent;
using JobScheduler.Abstractions.Handlers;

namespace JobScheduler.Grains.Tests;

/// <summary>
/// A handler that runs until the test releases it or its token is cancelled, recording starts and
/// cancellations per job, so tests can hold an attempt in the RUNNING state.
/// </summary>
public sealed class BlockingHandler : IJobHandler
{
    public const string Name = "block";

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _release = new();
    private readonly ConcurrentQueue<JobExecutionContext> _started = new();
    private readonly ConcurrentQueue<string> _cancelled = new();

    public async Task ExecuteAsync(JobExecutionContext context, CancellationToken cancellationToken)
    {
        _started.Enqueue(context);
        var release = _release.GetOrAdd(context.ExecutionId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await release.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            _cancelled.Enqueue(context.ExecutionId);
            throw;
        }
    }

    /// <summary>Lets a running attempt finish with success.</summary>
    public void Release(string executionId) =>
        _release.GetOrAdd(executionId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public IReadOnlyList<JobExecutionContext> StartedOf(string jobId) => _started.Where(c => c.JobId == jobId).ToList();

    /// <summary>Every attempt started, in start order.</summary>
    public IReadOnlyList<JobExecutionContext> Started => _started.ToList();

    public bool WasCancelled(string executionId) => _cancelled.Contains(executionId);
}
