// A host app that embeds the JobScheduler client. It serves one endpoint, /hooks/report, schedules a
// one-time job that calls that endpoint a few seconds from now, waits for the execution to finish, runs
// the job once more on demand, and then stops (pass --keep-running to keep serving).
using System.Collections.Concurrent;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Client;
using JobScheduler.Client.Hosting;
using JobScheduler.Client.Jobs;
using JobScheduler.Postgres.Hosting;
using JobScheduler.Samples.HostApp;

var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

builder.Services.AddJobSchedulerClient(options =>
{
    // The grains act for this user; a REST token whose sub is "host-app" sees the same jobs.
    options.UserId = builder.Configuration["JobScheduler:UserId"] ?? "host-app";
    options.GatewayPort = builder.Configuration.GetValue("JobScheduler:GatewayPort", 30000);
    options.ClusterId = builder.Configuration["JobScheduler:ClusterId"] ?? "jobscheduler";

    // With a connection string, find the silos in the PostgreSQL membership table instead of on localhost.
    if (builder.Configuration.GetConnectionString("JobScheduler") is { Length: > 0 } connectionString)
    {
        options.ConfigureClustering = client => client.UseJobSchedulerPostgresClustering(connectionString);
    }
});
builder.Services.AddSingleton<ReceivedCalls>();
builder.Services.AddHostedService<ReportDemo>();

var app = builder.Build();
app.MapPost("/hooks/report", async (HttpRequest request, ReceivedCalls calls, ILogger<ReceivedCalls> logger) =>
{
    using var reader = new StreamReader(request.Body);
    var body = await reader.ReadToEndAsync();
    var key = request.Headers["Idempotency-Key"].ToString();

    // A target deduplicates on the idempotency key: a retry of the same instant carries the same key.
    if (!calls.Keys.TryAdd(key, body))
    {
        logger.LogInformation("Duplicate delivery of {IdempotencyKey} ignored", key);
        return Results.Ok();
    }

    logger.LogInformation("Report requested: attempt {Attempt}, key {IdempotencyKey}, body {Body}",
        request.Headers["JobScheduler-Attempt"].ToString(), key, body);
    return Results.Ok();
});

await app.RunAsync();

namespace JobScheduler.Samples.HostApp
{
    /// <summary>Idempotency keys of the calls the endpoint accepted, with their bodies.</summary>
    public sealed class ReceivedCalls
    {
        public ConcurrentDictionary<string, string> Keys { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>Schedules the demo job once the app listens, waits for its executions, then stops the app.</summary>
    public sealed partial class ReportDemo(
        IJobScheduler scheduler, IHostApplicationLifetime lifetime, IConfiguration configuration, ILogger<ReportDemo> logger) : BackgroundService
    {
        private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(60);

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var started = new TaskCompletionSource();
            using (lifetime.ApplicationStarted.Register(started.SetResult))
            {
                await started.Task.WaitAsync(stoppingToken);
            }

            var endpoint = configuration["JobScheduler:CallbackUrl"] ?? "http://127.0.0.1:5080/hooks/report";
            try
            {
                await RunAsync(endpoint, stoppingToken);
            }
            catch (JobSchedulerException exception)
            {
                LogRejected(logger, exception.Field ?? "(none)", exception.Message);
            }

            if (!configuration.GetValue("keep-running", false))
            {
                lifetime.StopApplication();
            }
        }

        private async Task RunAsync(string endpoint, CancellationToken cancellationToken)
        {
            var job = await scheduler.CreateAsync(
                Job.OneTime("daily-sales-report")
                    .At(DateTimeOffset.UtcNow.AddSeconds(3))
                    .Http(endpoint)
                    .Payload(new { Report = "daily-sales", Format = "pdf" })
                    .Retry(2, interval: TimeSpan.FromSeconds(5)),
                cancellationToken);
            LogCreated(logger, job.JobId, job.NextExecutionAt);

            // A one-time job's execution appears when its instant is due; poll the history until it does.
            string? executionId = null;
            while (executionId is null)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
                var page = await scheduler.ListExecutionsAsync(job.JobId, limit: 1, cancellationToken: cancellationToken);
                executionId = page.Items.FirstOrDefault()?.ExecutionId;
            }

            var scheduled = await scheduler.WaitForExecutionAsync(executionId, WaitTimeout, cancellationToken);
            LogFinished(logger, scheduled.ExecutionId, scheduled.Status.ToString(), scheduled.DurationMs);

            var manualId = await scheduler.ExecuteNowAsync(job.JobId, cancellationToken);
            var manual = await scheduler.WaitForExecutionAsync(manualId, WaitTimeout, cancellationToken);
            LogFinished(logger, manual.ExecutionId, manual.Status.ToString(), manual.DurationMs);

            var final = await scheduler.GetAsync(job.JobId, cancellationToken);
            LogJobStatus(logger, final.JobId, final.Status.ToString());

            // The first page of this user's completed report jobs, the demo's job among them.
            var completed = await scheduler.ListJobsAsync(JobStatus.Completed, namePrefix: "daily-sales", cancellationToken: cancellationToken);
            LogListed(logger, completed.Items.Count, completed.NextCursor is not null);
        }

        [LoggerMessage(Level = LogLevel.Information, Message = "Created job {JobId}; it runs at {NextExecutionAt:O}")]
        private static partial void LogCreated(ILogger logger, string jobId, DateTimeOffset? nextExecutionAt);

        [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId} finished {Status} in {DurationMs} ms")]
        private static partial void LogFinished(ILogger logger, string executionId, string status, long? durationMs);

        [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} is {Status}")]
        private static partial void LogJobStatus(ILogger logger, string jobId, string status);

        [LoggerMessage(Level = LogLevel.Information, Message = "Completed jobs named daily-sales*: {Count} on the first page (more pages: {HasMore})")]
        private static partial void LogListed(ILogger logger, int count, bool hasMore);

        [LoggerMessage(Level = LogLevel.Error, Message = "The scheduler rejected the job (field {Field}): {Message}")]
        private static partial void LogRejected(ILogger logger, string field, string message);
    }
}
