using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;

namespace JobScheduler.Client.Internal;

/// <summary>
/// Dead letters: list the user's, read, redrive, discard. A dead letter id contains its job id, so each call goes
/// to the job grain, which checks ownership as it does for the REST gateway.
/// </summary>
internal sealed partial class OrleansJobScheduler
{
    public async Task<DeadLetterPage> ListDeadLettersAsync(int limit = 50, string? cursor = null, CancellationToken cancellationToken = default)
    {
        CheckLimit(limit);
        if (cursor is not null && !ClientIds.TryGetJobIdOfDeadLetter(cursor, out _))
        {
            throw new JobSchedulerException(ApiError.Invalid("cursor", "The cursor is malformed; pass the nextCursor of the previous page unchanged."));
        }

        var listing = _grains.GetGrain<IListingGrain>(0);
        var result = await _resilience.Repeatable.ExecuteAsync(
            async token => await listing.ListDeadLetters(UserId, limit, cursor).WaitAsync(token), cancellationToken);
        return Unwrap(result);
    }

    public async Task<DeadLetterInfo> GetDeadLetterAsync(string deadLetterId, CancellationToken cancellationToken = default)
    {
        var grain = DeadLetterJobGrain(deadLetterId);
        var result = await _resilience.Repeatable.ExecuteAsync(
            async token => await grain.GetDeadLetter(UserId, deadLetterId).WaitAsync(token), cancellationToken);
        return Unwrap(result);
    }

    public async Task<string> RedriveDeadLetterAsync(string deadLetterId, CancellationToken cancellationToken = default)
    {
        var grain = DeadLetterJobGrain(deadLetterId);
        var result = await _resilience.NotRepeatable.ExecuteAsync(
            async token => await grain.RedriveDeadLetter(UserId, deadLetterId).WaitAsync(token), cancellationToken);
        return Unwrap(result);
    }

    public async Task DiscardDeadLetterAsync(string deadLetterId, CancellationToken cancellationToken = default)
    {
        var grain = DeadLetterJobGrain(deadLetterId);
        var attempts = 0;
        var result = await _resilience.Repeatable.ExecuteAsync(async token =>
        {
            attempts++;
            var discarded = await grain.DiscardDeadLetter(UserId, deadLetterId).WaitAsync(token);

            // A retry that no longer finds the dead letter means an earlier attempt discarded it and its response was lost.
            return attempts > 1 && discarded.Error is { Kind: ApiErrorKind.NotFound } ? ApiResult<bool>.Ok(true) : discarded;
        }, cancellationToken);
        Unwrap(result);
    }

    /// <summary>Returns the job grain of a dead letter; a malformed id is not found, as in the REST API.</summary>
    private IJobGrain DeadLetterJobGrain(string deadLetterId) =>
        ClientIds.TryGetJobIdOfDeadLetter(deadLetterId, out var jobId)
            ? _grains.GetGrain<IJobGrain>(jobId)
            : throw new JobSchedulerException(new ApiError(ApiErrorKind.NotFound, "deadLetterId", $"Dead letter {deadLetterId} was not found."));
}
