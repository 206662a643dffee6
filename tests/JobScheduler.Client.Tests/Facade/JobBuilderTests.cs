using JobScheduler.Abstractions.Jobs;
using JobScheduler.Client.Jobs;

namespace JobScheduler.Client.Tests.Facade;

/// <summary>The fluent builders alone: what they put into the definition and what they reject.</summary>
public sealed class JobBuilderTests
{
    [Fact]
    public void Recurring_CronAndHandler_FillsDefinition()
    {
        var definition = Job.Recurring("daily-report")
            .Cron("0 0 * * *", "Europe/Berlin")
            .Handler("send-report", new { ReportName = "sales", Days = 7 })
            .Retry(5, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10), 0.2)
            .Priority(JobPriority.High)
            .Misfire(MisfirePolicy.Skip, TimeSpan.FromSeconds(120))
            .MaxExecutions(10)
            .Build();

        Assert.Equal("daily-report", definition.Name);
        Assert.Equal(JobType.Recurring, definition.Type);
        Assert.Equal("0 0 * * *", definition.ScheduleExpression);
        Assert.Equal("Europe/Berlin", definition.TimeZone);
        Assert.Equal(TargetType.Handler, definition.Target!.Type);
        Assert.Equal("send-report", definition.Target.Name);
        Assert.Equal("{\"reportName\":\"sales\",\"days\":7}", definition.Payload);
        Assert.Equal(new RetryPolicy { MaxRetries = 5, RetryInterval = 30, MaxRetryInterval = 600, Jitter = 0.2 }, definition.RetryPolicy);
        Assert.Equal(JobPriority.High, definition.Priority);
        Assert.Equal(MisfirePolicy.Skip, definition.MisfirePolicy);
        Assert.Equal(120, definition.MisfireThreshold);
        Assert.Equal(10, definition.MaxExecutions);
    }

    [Fact]
    public void OneTime_At_WritesUtcInstantWithMilliseconds()
    {
        var instant = new DateTimeOffset(2026, 12, 4, 11, 0, 0, 250, TimeSpan.FromHours(1));

        var definition = Job.OneTime("once").At(instant).Http("https://example.com/run").Build();

        Assert.Equal(JobType.OneTime, definition.Type);
        Assert.Equal("2026-12-04T10:00:00.250Z", definition.ScheduleExpression);
        Assert.Equal("https://example.com/run", definition.Target!.Url);
        Assert.Null(definition.Target.Method);
    }

    [Fact]
    public void Every_WritesIntervalForm()
    {
        var definition = Job.Recurring("poll").Every(TimeSpan.FromSeconds(90)).Http(new Uri("https://example.com/poll"), HttpMethod.Get).Build();

        Assert.Equal("@every 90s", definition.ScheduleExpression);
        Assert.Equal("GET", definition.Target!.Method);
    }

    [Fact]
    public void Timeout_AppliesToTargetSetLater()
    {
        var definition = Job.Recurring("timed").Timeout(TimeSpan.FromSeconds(45)).Cron("* * * * *").Handler("work").Build();

        Assert.Equal(45, definition.Target!.TimeoutSeconds);
    }

    [Fact]
    public void Webhook_WithoutEvents_SubscribesToAll()
    {
        var all = Job.Recurring("hooked").Cron("* * * * *").Handler("work").Webhook("https://example.com/hook").Build();
        var some = Job.Recurring("hooked").Cron("* * * * *").Handler("work")
            .Webhook("https://example.com/hook", WebhookEventType.Failed, WebhookEventType.DeadLettered).Build();

        Assert.Null(all.Webhook!.Events);
        Assert.Equal([WebhookEventType.Failed, WebhookEventType.DeadLettered], some.Webhook!.Events);
    }

    [Fact]
    public void Payload_StringBecomesJsonString()
    {
        var definition = Job.Recurring("text").Cron("* * * * *").Handler("work").Payload("hello").Build();

        Assert.Equal("\"hello\"", definition.Payload);
    }

    [Fact]
    public void Build_WithoutSchedule_Throws()
    {
        var recurring = Assert.Throws<InvalidOperationException>(() => Job.Recurring("no-schedule").Handler("work").Build());
        var oneTime = Assert.Throws<InvalidOperationException>(() => Job.OneTime("no-instant").Handler("work").Build());

        Assert.Contains("Cron(...)", recurring.Message, StringComparison.Ordinal);
        Assert.Contains("At(...)", oneTime.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WithoutTarget_Throws()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Job.Recurring("no-target").Cron("* * * * *").Build());

        Assert.Contains("Http(...) or Handler(...)", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1500)]
    [InlineData(0)]
    [InlineData(-1000)]
    public void Durations_NotWholePositiveSeconds_Throw(int milliseconds)
    {
        var duration = TimeSpan.FromMilliseconds(milliseconds);

        Assert.Throws<ArgumentOutOfRangeException>(() => Job.Recurring("bad").Every(duration));
        Assert.Throws<ArgumentOutOfRangeException>(() => Job.Recurring("bad").Timeout(duration));
        Assert.Throws<ArgumentOutOfRangeException>(() => Job.Recurring("bad").Retry(1, interval: duration));
    }

    [Fact]
    public void PayloadJson_Malformed_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => Job.Recurring("bad").PayloadJson("{\"day\": "));

        Assert.Equal("json", exception.ParamName);
    }
}
