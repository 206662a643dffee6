using JobScheduler.Client.Hosting;
using Microsoft.Extensions.Logging;

namespace JobScheduler.Client.Internal;

/// <summary>
/// Keeps the client's first connection attempt going for <see cref="JobSchedulerClientOptions.ConnectTimeout"/>,
/// one try a second, so a host app can start before the silos do.
/// </summary>
internal sealed partial class ConnectionRetryFilter(
    JobSchedulerClientOptions options, TimeProvider time, ILogger<ConnectionRetryFilter> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private DateTimeOffset? _firstFailure;
    private int _failures;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        _firstFailure ??= now;
        _failures++;
        var waited = now - _firstFailure.Value;
        if (waited + RetryDelay > options.ConnectTimeout)
        {
            LogGaveUp(logger, exception, _failures, options.ConnectTimeout.TotalSeconds);
            return false;
        }

        LogRetrying(logger, _failures, exception.Message);
        await Task.Delay(RetryDelay, time, cancellationToken);
        return true;
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning,
        Message = "JobScheduler client: connection attempt {Attempt} to the cluster failed ({Error}); retrying in 1 s")]
    private static partial void LogRetrying(ILogger logger, int attempt, string error);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error,
        Message = "JobScheduler client: no gateway answered after {Attempts} attempts within {TimeoutSeconds} s; check that a silo runs and that the gateway port, cluster id and service id match it")]
    private static partial void LogGaveUp(ILogger logger, Exception exception, int attempts, double timeoutSeconds);
}
