using System.Globalization;
using System.Net;
using System.Text;
using JobScheduler.Abstractions.Executions;
using JobScheduler.Grains.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace JobScheduler.Client.Tests.Operator;

/// <summary>The silo's anonymous Prometheus endpoint at <c>/metrics</c>, scraped over HTTP.</summary>
[Collection(SiloCollection.Name)]
public sealed class MetricsEndpointTests(SiloFixture fixture)
{
    /// <summary>A shard number beyond <c>Scheduler:ShardCount</c>, so no real shard overwrites the test's gauge values.</summary>
    private const int UnusedShard = 100_000;

    private const string CreateBody = """
        {"name": "metrics", "type": "RECURRING", "scheduleExpression": "0 0 1 1 *", "target": {"type": "HTTP", "url": "http://127.0.0.1:9/run"}}
        """;

    [Fact]
    public async Task Scrape_IsAnonymousPrometheusText()
    {
        using var http = fixture.NewHttpClient();

        using var response = await http.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("# TYPE ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiRequests_CountedByRouteAndStatus()
    {
        using var http = fixture.NewHttpClient();
        var before = await ScrapeAsync(http);

        using (var created = await http.PostAsync("/api/v1/jobs", new StringContent(CreateBody, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        for (var i = 0; i < 2; i++)
        {
            using var missing = await http.GetAsync("/api/v1/jobs/job_01M91FGV6B6RJ2JBWFMSYVJSA9");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using (await http.GetAsync("/api/v1/no-such-endpoint"))
        {
        }

        await AssertIncreaseAsync(http, before, "jobscheduler_api_requests_total", 1,
            ("method", "POST"), ("route", "/api/v1/jobs"), ("status_code", "201"));
        await AssertIncreaseAsync(http, before, "jobscheduler_api_requests_total", 2,
            ("method", "GET"), ("route", "/api/v1/jobs/{jobId}"), ("status_code", "404"));
        await AssertIncreaseAsync(http, before, "jobscheduler_api_requests_total", 1,
            ("method", "GET"), ("route", "unmatched"), ("status_code", "404"));
    }

    [Fact]
    public async Task EveryInstrument_IsExportedWithRecordedValues()
    {
        using var http = fixture.NewHttpClient();
        var metrics = fixture.Silo.Services.GetRequiredService<JobSchedulerMetrics>();
        var before = await ScrapeAsync(http);

        metrics.RecordExecution(ExecutionStatus.Succeeded, ExecutionTrigger.Schedule);
        metrics.RecordExecution(ExecutionStatus.Succeeded, ExecutionTrigger.Schedule);
        metrics.RecordExecution(ExecutionStatus.TimedOut, ExecutionTrigger.Manual);
        metrics.RecordLostExecution(ExecutionTrigger.Redrive);
        metrics.RecordHandlerAbandoned("metrics-test");
        metrics.RecordScheduleLag(TimeSpan.FromMilliseconds(3));
        metrics.RecordScheduleLag(TimeSpan.FromMilliseconds(40));
        metrics.SetWheelEntries(UnusedShard, 12);
        metrics.SetDueIndexBacklog(UnusedShard, 3);
        metrics.RecordRetryScheduled();
        metrics.RecordDeadLetter();
        metrics.RecordWebhookDelivery(WebhookDeliveryOutcome.GaveUp);

        await AssertIncreaseAsync(http, before, "jobscheduler_executions_total", 2, ("outcome", "succeeded"), ("trigger", "schedule"));
        await AssertIncreaseAsync(http, before, "jobscheduler_executions_total", 1, ("outcome", "timed_out"), ("trigger", "manual"));
        await AssertIncreaseAsync(http, before, "jobscheduler_executions_total", 1, ("outcome", "lost"), ("trigger", "redrive"));
        await AssertIncreaseAsync(http, before, "jobscheduler_handlers_abandoned_total", 1, ("handler", "metrics-test"));
        await AssertIncreaseAsync(http, before, "jobscheduler_schedule_lag_milliseconds_count", 2);
        await AssertIncreaseAsync(http, before, "jobscheduler_schedule_lag_milliseconds_bucket", 1, ("le", "5"));
        await AssertIncreaseAsync(http, before, "jobscheduler_schedule_lag_milliseconds_bucket", 2, ("le", "50"));
        await AssertIncreaseAsync(http, before, "jobscheduler_retries_total", 1);
        await AssertIncreaseAsync(http, before, "jobscheduler_dead_letters_total", 1);
        await AssertIncreaseAsync(http, before, "jobscheduler_webhook_deliveries_total", 1, ("outcome", "gave_up"));

        var after = await ScrapeAsync(http);
        Assert.Equal(12, PrometheusText.Value(after, "jobscheduler_wheel_entries", ("shard", UnusedShard.ToString(CultureInfo.InvariantCulture))));
        Assert.Equal(3, PrometheusText.Value(after, "jobscheduler_due_index_backlog", ("shard", UnusedShard.ToString(CultureInfo.InvariantCulture))));
        metrics.ForgetShard(UnusedShard);
    }

    [Fact]
    public async Task InFlight_RisesAndFallsWithExecutions()
    {
        using var http = fixture.NewHttpClient();
        var metrics = fixture.Silo.Services.GetRequiredService<JobSchedulerMetrics>();
        var before = PrometheusText.Value(await ScrapeAsync(http), "jobscheduler_executions_in_flight") ?? 0;

        metrics.ExecutionStarted();
        metrics.ExecutionStarted();
        await AssertGaugeAsync(http, "jobscheduler_executions_in_flight", before + 2);
        metrics.ExecutionFinished();
        metrics.ExecutionFinished();

        await AssertGaugeAsync(http, "jobscheduler_executions_in_flight", before);
    }

    private static async Task<IReadOnlyList<PrometheusSample>> ScrapeAsync(HttpClient http) =>
        PrometheusText.Parse(await http.GetStringAsync("/metrics"));

    /// <summary>
    /// Scrapes until the sample has grown by exactly <paramref name="increase"/> since <paramref name="before"/>. The
    /// exporter caches a scrape for a short time, so the first scrapes may still show the old value.
    /// </summary>
    private static async Task AssertIncreaseAsync(
        HttpClient http, IReadOnlyList<PrometheusSample> before, string name, double increase, params (string Key, string Value)[] labels)
    {
        var start = PrometheusText.Value(before, name, labels) ?? 0;
        double? last = null;
        await Eventually.HoldsAsync(async () =>
        {
            last = PrometheusText.Value(await ScrapeAsync(http), name, labels);
            return last == start + increase;
        }, $"{name}{{{string.Join(",", labels.Select(label => $"{label.Key}={label.Value}"))}}} to grow from {start} by {increase} (last scrape: {last?.ToString() ?? "absent"})");
    }

    private static Task AssertGaugeAsync(HttpClient http, string name, double expected) =>
        Eventually.HoldsAsync(async () => PrometheusText.Value(await ScrapeAsync(http), name) == expected, $"{name} to be {expected}");
}
