using JobScheduler.Abstractions.Executions;
using JobScheduler.Grains.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using System.Diagnostics.Metrics;

namespace JobScheduler.Client.Tests.Operator;

/// <summary>
/// The instruments class on its own, read with <see cref="MetricCollector{T}"/>. Its meter is never disposed and
/// the class runs in the silo's collection: the silo's exporter reads every <c>JobScheduler</c> meter in the
/// process, and it stops exporting an instrument when another meter of the same name is disposed.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class JobSchedulerMetricsTests
{
    private static readonly ServiceProvider Services = new ServiceCollection().AddJobSchedulerMetrics().BuildServiceProvider();

    private readonly IMeterFactory _meters = Services.GetRequiredService<IMeterFactory>();
    private readonly JobSchedulerMetrics _metrics = Services.GetRequiredService<JobSchedulerMetrics>();

    [Theory]
    [InlineData(ExecutionStatus.Succeeded, "succeeded")]
    [InlineData(ExecutionStatus.Failed, "failed")]
    [InlineData(ExecutionStatus.TimedOut, "timed_out")]
    [InlineData(ExecutionStatus.Cancelled, "cancelled")]
    [InlineData(ExecutionStatus.Skipped, "skipped")]
    public void RecordExecution_TagsOutcomeAndTrigger(ExecutionStatus status, string outcome)
    {
        using var collector = Collect<long>("jobscheduler.executions");

        _metrics.RecordExecution(status, ExecutionTrigger.Redrive);

        var measurement = Assert.Single(collector.GetMeasurementSnapshot());
        Assert.Equal(1, measurement.Value);
        Assert.Equal(outcome, measurement.Tags["outcome"]);
        Assert.Equal("redrive", measurement.Tags["trigger"]);
    }

    [Theory]
    [InlineData(ExecutionStatus.Pending)]
    [InlineData(ExecutionStatus.Running)]
    public void RecordExecution_NotFinal_Throws(ExecutionStatus status)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _metrics.RecordExecution(status, ExecutionTrigger.Schedule));
    }

    [Fact]
    public void RecordLostExecution_TagsLost()
    {
        using var collector = Collect<long>("jobscheduler.executions");

        _metrics.RecordLostExecution(ExecutionTrigger.Schedule);

        var measurement = Assert.Single(collector.GetMeasurementSnapshot());
        Assert.Equal("lost", measurement.Tags["outcome"]);
        Assert.Equal("schedule", measurement.Tags["trigger"]);
    }

    [Fact]
    public void RecordScheduleLag_RecordsMillisecondsAndClampsEarlyStarts()
    {
        using var collector = Collect<double>("jobscheduler.schedule.lag");

        _metrics.RecordScheduleLag(TimeSpan.FromMilliseconds(12.5));
        _metrics.RecordScheduleLag(TimeSpan.FromMilliseconds(-3));

        Assert.Equal([12.5, 0], collector.GetMeasurementSnapshot().Select(measurement => measurement.Value));
        Assert.Equal("ms", collector.Instrument!.Unit);
    }

    [Fact]
    public void InFlight_AddsAndSubtracts()
    {
        using var collector = Collect<long>("jobscheduler.executions.in_flight");

        _metrics.ExecutionStarted();
        _metrics.ExecutionFinished();

        Assert.Equal([1, -1], collector.GetMeasurementSnapshot().Select(measurement => measurement.Value));
    }

    [Fact]
    public void ShardGauges_ReportUntilForgotten()
    {
        using var wheel = Collect<int>("jobscheduler.wheel.entries");
        using var backlog = Collect<long>("jobscheduler.due_index.backlog");
        _metrics.SetWheelEntries(3, 40);
        _metrics.SetWheelEntries(3, 41);
        _metrics.SetDueIndexBacklog(3, 5);

        wheel.RecordObservableInstruments();
        backlog.RecordObservableInstruments();
        _metrics.ForgetShard(3);
        wheel.RecordObservableInstruments();

        var entries = Assert.Single(wheel.GetMeasurementSnapshot());
        Assert.Equal(41, entries.Value);
        Assert.Equal(3, entries.Tags["shard"]);
        Assert.Equal(5, Assert.Single(backlog.GetMeasurementSnapshot()).Value);
    }

    [Fact]
    public void Counters_RecordOnePerCall()
    {
        using var retries = Collect<long>("jobscheduler.retries");
        using var deadLetters = Collect<long>("jobscheduler.dead_letters");
        using var abandoned = Collect<long>("jobscheduler.handlers.abandoned");
        using var webhooks = Collect<long>("jobscheduler.webhook.deliveries");
        using var requests = Collect<long>("jobscheduler.api.requests");

        _metrics.RecordRetryScheduled();
        _metrics.RecordDeadLetter();
        _metrics.RecordHandlerAbandoned("send-report");
        _metrics.RecordWebhookDelivery(WebhookDeliveryOutcome.Succeeded);
        _metrics.RecordApiRequest("GET", "/api/v1/jobs/{jobId}", 200);

        Assert.Equal(1, Assert.Single(retries.GetMeasurementSnapshot()).Value);
        Assert.Equal(1, Assert.Single(deadLetters.GetMeasurementSnapshot()).Value);
        Assert.Equal("send-report", Assert.Single(abandoned.GetMeasurementSnapshot()).Tags["handler"]);
        Assert.Equal("succeeded", Assert.Single(webhooks.GetMeasurementSnapshot()).Tags["outcome"]);
        var request = Assert.Single(requests.GetMeasurementSnapshot());
        Assert.Equal("GET", request.Tags["method"]);
        Assert.Equal("/api/v1/jobs/{jobId}", request.Tags["route"]);
        Assert.Equal(200, request.Tags["status_code"]);
    }

    private MetricCollector<T> Collect<T>(string instrument)
        where T : struct => new(_meters, JobSchedulerMetrics.MeterName, instrument);
}
