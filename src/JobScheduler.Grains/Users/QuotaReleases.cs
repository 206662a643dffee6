using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Ids;

namespace JobScheduler.Grains.Users;

/// <summary>
/// Merges the quota releases of completed jobs per user across every shard of this silo. A user's first
/// release is sent at once. Releases that arrive while one is in flight, or within
/// <see cref="MinInterval"/> after it, are added up and sent as one <see cref="IUserGrain.ReleaseJobs"/>
/// call, so a steady stream of completions costs at most five user-state writes per second and user,
/// not one per job.
/// </summary>
public sealed class QuotaReleases(IGrainFactory grains)
{
    /// <summary>Minimum time between two release calls for the same user.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(200);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, UserQueue> _queues = new(StringComparer.Ordinal);

    /// <summary>Releases <paramref name="count"/> active jobs of a user; completes when the call that carries them succeeds.</summary>
    public Task ReleaseAsync(string userId, int count)
    {
        lock (_lock)
        {
            if (!_queues.TryGetValue(userId, out var queue))
            {
                queue = new UserQueue();
                _queues[userId] = queue;
            }

            queue.Count += count;
            queue.Next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var released = queue.Next.Task;
            if (!queue.Sending)
            {
                queue.Sending = true;
                _ = Task.Run(() => SendAsync(userId, queue));
            }

            return released;
        }
    }

    /// <summary>Sends a user's pending releases until none is left, at most one call per interval.</summary>
    private async Task SendAsync(string userId, UserQueue queue)
    {
        var user = grains.GetGrain<IUserGrain>(JobIds.UserKey(userId));
        while (true)
        {
            int count;
            TaskCompletionSource waiting;
            lock (_lock)
            {
                if (queue.Next is null)
                {
                    queue.Sending = false;
                    _queues.Remove(userId);
                    return;
                }

                (count, waiting) = (queue.Count, queue.Next);
                (queue.Count, queue.Next) = (0, null);
            }

            try
            {
                await user.ReleaseJobs(count);
                waiting.TrySetResult();
            }
            catch (Exception exception)
            {
                waiting.TrySetException(exception);
            }

            await Task.Delay(MinInterval);
        }
    }

    private sealed class UserQueue
    {
        public int Count;
        public TaskCompletionSource? Next;
        public bool Sending;
    }
}
