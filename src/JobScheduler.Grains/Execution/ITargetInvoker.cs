using JobScheduler.Abstractions.Grains;

namespace JobScheduler.Grains.Execution;

/// <summary>Calls one kind of target for one attempt.</summary>
public interface ITargetInvoker
{
    /// <summary>
    /// Runs the attempt. Expected failures are returned as values; the token is cancelled at the
    /// target's timeout, and the caller maps that cancellation to <c>TIMED_OUT</c>.
    /// </summary>
    Task<TargetResult> InvokeAsync(AttemptRequest attempt, CancellationToken cancellationToken);
}
