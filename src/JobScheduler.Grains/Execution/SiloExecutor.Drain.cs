using Microsoft.Extensions.Logging;

namespace JobScheduler.Grains.Execution;

/// <summary>Drain support: the count of attempts the executor still has, and a wait until it has none.</summary>
public sealed partial class SiloExecutor
{
    private static readonly TimeSpan DrainPollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Attempts queued or running on this silo, and finished ones whose outcome is not reported yet.</summary>
    public int Outstanding => _heldAttempts.Count;

    /// <summary>
    /// Waits until no attempt runs or waits in the queue, or until <paramref name="grace"/> has passed.
    /// Returns the attempts still outstanding (0 when the executor drained).
    /// </summary>
    public async Task<int> WaitForIdleAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + grace;
        var outstanding = Outstanding;
        LogDraining(_logger, outstanding, grace.TotalSeconds);
        while (outstanding > 0 && _time.GetUtcNow() < deadline && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(DrainPollInterval, _time, CancellationToken.None);
            outstanding = Outstanding;
        }

        return outstanding;
    }

    [LoggerMessage(EventId = 1207, Level = LogLevel.Information,
        Message = "Draining: waiting up to {GraceSeconds} s for {Outstanding} running or queued attempts to finish")]
    private static partial void LogDraining(ILogger logger, int outstanding, double graceSeconds);
}
