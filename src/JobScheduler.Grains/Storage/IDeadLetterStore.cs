using JobScheduler.Abstractions.Executions;

namespace JobScheduler.Grains.Storage;

/// <summary>Executions that exhausted their retries, per user, until redriven or discarded.</summary>
public interface IDeadLetterStore
{
    /// <summary>Stores a dead letter.</summary>
    ValueTask AddAsync(DeadLetterInfo deadLetter, CancellationToken cancellationToken = default);

    /// <summary>Returns one dead letter, or null when unknown.</summary>
    ValueTask<DeadLetterInfo?> GetAsync(string deadLetterId, CancellationToken cancellationToken = default);

    /// <summary>Returns up to <paramref name="limit"/> of a user's dead letters, newest first, after <paramref name="cursor"/>.</summary>
    ValueTask<DeadLetterPage> ListAsync(string userId, int limit, string? cursor, CancellationToken cancellationToken = default);

    /// <summary>Deletes a dead letter; false when it did not exist.</summary>
    ValueTask<bool> RemoveAsync(string deadLetterId, CancellationToken cancellationToken = default);
}
