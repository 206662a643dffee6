using JobScheduler.Abstractions.Jobs;

namespace JobScheduler.Client.Jobs;

/// <summary>A recurring job under construction: a cron expression, macro or fixed interval, with optional bounds.</summary>
public sealed class RecurringJobBuilder : JobBuilder<RecurringJobBuilder>
{
    internal RecurringJobBuilder(string name)
        : base(name, JobType.Recurring)
    {
    }

    /// <summary>
    /// Runs on a cron expression read in <paramref name="timeZone"/>: 5 fields start with minutes, 6 with
    /// seconds. Macros such as <c>@daily</c> and intervals such as <c>@every 90s</c> are accepted too.
    /// </summary>
    /// <param name="expression">The cron expression, such as <c>0 0 * * *</c>.</param>
    /// <param name="timeZone">An IANA time zone such as <c>Europe/Berlin</c>; default UTC.</param>
    public RecurringJobBuilder Cron(string expression, string? timeZone = null)
    {
        ArgumentNullException.ThrowIfNull(expression);
        Definition = Definition with { ScheduleExpression = expression, TimeZone = timeZone };
        return this;
    }

    /// <summary>Runs at a fixed interval (the <c>@every</c> form), counted from the job's start.</summary>
    /// <param name="interval">A whole number of seconds, at least 1.</param>
    public RecurringJobBuilder Every(TimeSpan interval)
    {
        var seconds = WholeSeconds(interval, nameof(interval));
        Definition = Definition with { ScheduleExpression = $"@every {seconds}s", TimeZone = null };
        return this;
    }

    /// <summary>Schedules no occurrence before <paramref name="startAt"/>.</summary>
    public RecurringJobBuilder StartAt(DateTimeOffset startAt)
    {
        Definition = Definition with { StartAt = startAt };
        return this;
    }

    /// <summary>Schedules no occurrence after <paramref name="endAt"/>, so the job completes then.</summary>
    public RecurringJobBuilder EndAt(DateTimeOffset endAt)
    {
        Definition = Definition with { EndAt = endAt };
        return this;
    }

    /// <summary>Completes the job after <paramref name="count"/> scheduled executions.</summary>
    public RecurringJobBuilder MaxExecutions(int count)
    {
        Definition = Definition with { MaxExecutions = count };
        return this;
    }
}
