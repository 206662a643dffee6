using System.Collections.Concurrent;
using JobScheduler.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace JobScheduler.Grains.Webhooks;

/// <summary>
/// The outbox side of delivery. Every published event is stored with a lease held by this dispatcher and
/// deleted when its delivery ends. Every <see cref="ClaimInterval"/> the dispatcher claims events whose lease
/// ran out: those of a silo that crashed, and those no queue had room for. A stopping dispatcher ends its
/// leases, so the other silos claim its unfinished events at their next claim.
/// </summary>
public sealed partial class WebhookDispatcher
{
    /// <summary>
    /// How long an event stays leased to the silo that queued it. It must exceed the time a delivery takes with
    /// all its retries, or a busy silo's event may be sent twice. At the default settings that is six attempts of
    /// up to 10 s plus about 31 s of backoff, under 2 minutes unless the per-host limit makes attempts wait.
    /// </summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    /// <summary>Time between two claims of expired events.</summary>
    public static readonly TimeSpan ClaimInterval = TimeSpan.FromSeconds(30);

    /// <summary>Events claimed at most per claim, within the queue's free room.</summary>
    private const int MaxClaim = 500;

    private readonly IWebhookOutbox _outbox;
    private readonly TimeProvider _time;
    private readonly string _owner = "dispatcher-" + Guid.NewGuid().ToString("N");

    /// <summary>Events this dispatcher has queued or is delivering, which a claim must not queue a second time.</summary>
    private readonly ConcurrentDictionary<string, byte> _active = new(StringComparer.Ordinal);
    private Task _claimLoop = Task.CompletedTask;

    /// <summary>Claims expired events and queues them, and returns how many were queued.</summary>
    public async Task<int> ClaimExpiredAsync(CancellationToken cancellationToken = default)
    {
        var room = Math.Min(MaxClaim, _options.QueueCapacity - _queue.Reader.Count);
        if (room <= 0)
        {
            return 0;
        }

        var now = _time.GetUtcNow();
        var claimed = await _outbox.ClaimExpiredAsync(_owner, now, now + Lease, room, cancellationToken);
        var queued = 0;
        foreach (var item in claimed)
        {
            // An event this dispatcher still delivers (its lease ran out during a long delivery) is not queued twice.
            if (!_active.TryAdd(item.EventId, 0))
            {
                continue;
            }

            // An event that finds no room keeps its new lease and is claimed again when that ends.
            if (!_queue.Writer.TryWrite(new PendingEvent(item, Task.FromResult(true))))
            {
                _active.TryRemove(item.EventId, out _);
                continue;
            }

            queued++;
        }

        if (queued > 0)
        {
            LogClaimed(_logger, queued);
        }

        return queued;
    }

    private async Task ClaimLoopAsync()
    {
        using var timer = new PeriodicTimer(ClaimInterval, _time);
        try
        {
            do
            {
                try
                {
                    await ClaimExpiredAsync(_stopping.Token);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogClaimFailed(_logger, exception);
                }
            }
            while (await timer.WaitForNextTickAsync(_stopping.Token));
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Stores a published event, and returns false (after logging) when the outbox write failed.</summary>
    private async Task<bool> StoreAsync(OutboxEvent item)
    {
        try
        {
            await _outbox.AddAsync(item, _owner, _time.GetUtcNow() + Lease);
            return true;
        }
        catch (Exception exception)
        {
            LogStoreFailed(_logger, exception, item.EventId, item.Event.JobId);
            return false;
        }
    }

    /// <summary>Deletes an event whose delivery ended, once its own store write has finished.</summary>
    private async Task RemoveStoredAsync(PendingEvent pending)
    {
        if (!await pending.Stored)
        {
            return;
        }

        try
        {
            await _outbox.RemoveAsync(pending.Item.EventId);
        }
        catch (Exception exception)
        {
            // The event stays in the outbox and is sent once more after its lease ends.
            LogRemoveFailed(_logger, exception, pending.Item.EventId, pending.Item.Event.JobId);
        }
    }

    private async Task ReleaseLeasesAsync()
    {
        try
        {
            var released = await _outbox.ReleaseAsync(_owner, _time.GetUtcNow());
            LogReleased(_logger, released);
        }
        catch (Exception exception)
        {
            LogReleaseFailed(_logger, exception, Lease);
        }
    }

    /// <summary>An event on the delivery queue, with the task of its outbox write.</summary>
    private sealed record PendingEvent(OutboxEvent Item, Task<bool> Stored);

    [LoggerMessage(EventId = 1420, Level = LogLevel.Information,
        Message = "Claimed {Count} webhook events from the outbox whose lease had ended")]
    private static partial void LogClaimed(ILogger logger, int count);

    [LoggerMessage(EventId = 1421, Level = LogLevel.Warning,
        Message = "Claiming expired webhook events from the outbox failed, so the next claim tries again")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1422, Level = LogLevel.Error,
        Message = "Storing webhook event {EventId} (job {JobId}) in the outbox failed. It is delivered from memory only and is lost if this silo stops first")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string eventId, string jobId);

    [LoggerMessage(EventId = 1423, Level = LogLevel.Warning,
        Message = "Deleting delivered webhook event {EventId} (job {JobId}) from the outbox failed, so it is sent once more after its lease ends")]
    private static partial void LogRemoveFailed(ILogger logger, Exception exception, string eventId, string jobId);

    [LoggerMessage(EventId = 1424, Level = LogLevel.Information,
        Message = "Released {Count} webhook events in the outbox to the other silos")]
    private static partial void LogReleased(ILogger logger, int count);

    [LoggerMessage(EventId = 1425, Level = LogLevel.Warning,
        Message = "Releasing this silo's webhook events in the outbox failed. Other silos claim them when their lease of {Lease} ends")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, TimeSpan lease);
}
