using JobScheduler.Client;
using JobScheduler.Client.Jobs;

namespace JobScheduler.Samples.HandlerSilo;

/// <summary>Creates the sample's recurring job once the host has started (the silo is then an active member).</summary>
public sealed partial class ScheduleReportJob(
    IJobScheduler scheduler, IHostApplicationLifetime lifetime, ILogger<ScheduleReportJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(started.SetResult))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        try
        {
            var job = await scheduler.CreateAsync(
                Job.Recurring("team-report")
                    .Every(TimeSpan.FromSeconds(5))
                    .Handler(SendReportHandler.Name, new ReportRequest("weekly-kpis", ["team@example.com"]))
                    .Timeout(TimeSpan.FromSeconds(10)),
                stoppingToken);
            LogScheduled(logger, job.JobId, job.UserId);
        }
        catch (JobSchedulerException exception)
        {
            LogRejected(logger, exception.Field ?? "(none)", exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Scheduled job {JobId} for user {UserId}: handler send-report every 5 s")]
    private static partial void LogScheduled(ILogger logger, string jobId, string userId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The scheduler rejected the sample job (field {Field}): {Message}")]
    private static partial void LogRejected(ILogger logger, string field, string message);
}
