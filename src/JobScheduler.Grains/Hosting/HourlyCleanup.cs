using Microsoft.Extensions.Hosting;

namespace JobScheduler.Grains.Hosting;

/// <summary>
/// Deletes expired rows at start and then hourly. Every silo runs it, and concurrent deletes of the same rows are
/// harmless. A failed run is logged, and the next hourly run tries again.
/// </summary>
public abstract class HourlyCleanup(TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>Returns the time before which rows have expired, given the current time.</summary>
    protected abstract DateTimeOffset CutoffAt(DateTimeOffset now);

    /// <summary>Deletes the rows that expired before <paramref name="cutoff"/> and returns how many.</summary>
    protected abstract Task<long> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);

    protected abstract void OnDeleted(long count, DateTimeOffset cutoff);

    protected abstract void OnFailed(Exception exception);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            var cutoff = CutoffAt(time.GetUtcNow());
            try
            {
                OnDeleted(await DeleteBeforeAsync(cutoff, stoppingToken), cutoff);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                OnFailed(exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
