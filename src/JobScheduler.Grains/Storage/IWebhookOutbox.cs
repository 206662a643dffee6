using JobScheduler.Grains.Execution;

namespace JobScheduler.Grains.Storage;

/// <summary>
/// Webhook events accepted for delivery and not yet finished, so a silo that stops or crashes loses none.
/// Each event is leased by the silo delivering it. When a lease runs out (its silo died, or its queue was
/// full), any silo may claim the event and deliver it again under the same event id.
/// </summary>
public interface IWebhookOutbox
{
    /// <summary>Stores an event leased to <paramref name="owner"/> until <paramref name="leaseUntil"/>.</summary>
    ValueTask AddAsync(OutboxEvent item, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>Deletes an event whose delivery ended, delivered or given up.</summary>
    ValueTask RemoveAsync(string eventId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Leases up to <paramref name="limit"/> events whose lease ended before <paramref name="now"/> to
    /// <paramref name="owner"/> until <paramref name="leaseUntil"/>. Takes the oldest leases first and returns
    /// the events in event id order, which is the order they occurred in.
    /// </summary>
    ValueTask<IReadOnlyList<OutboxEvent>> ClaimExpiredAsync(
        string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default);

    /// <summary>Ends every lease of <paramref name="owner"/> at <paramref name="now"/>, so other silos claim its events at once.</summary>
    ValueTask<int> ReleaseAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken = default);
}

/// <summary>An event waiting in the outbox, with the id every delivery attempt sends.</summary>
public sealed record OutboxEvent(string EventId, ExecutionEvent Event);
