using System.Collections.Concurrent;
using JobScheduler.Abstractions.Handlers;

namespace JobScheduler.Grains.Tests;

/// <summary>A handler that ignores its cancellation token and runs until the test releases it.</summary>
public sealed class StubbornHandler : IJobHandler
{
    public const string Name = "stubborn";

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _release = new();
    private readonly ConcurrentQueue<JobExecutionContext> _started = new();

    public Task ExecuteAsync(JobExecutionContext context, CancellationToken cancellationToken)
    {
        _started.Enqueue(context);
        return _release.GetOrAdd(context.ExecutionId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
    }

    public void ReleaseAll()
    {
        foreach (var release in _release.Values)
        {
            release.TrySetResult();
        }
    }

    public IReadOnlyList<JobExecutionContext> StartedOf(string jobId) => _started.Where(c => c.JobId == jobId).ToList();
}
