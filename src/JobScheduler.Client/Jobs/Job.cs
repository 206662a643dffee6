namespace JobScheduler.Client.Jobs;

/// <summary>
/// Entry points of the fluent job definitions, for example
/// <c>Job.Recurring("daily-report").Cron("0 0 * * *", "Europe/Berlin").Handler("send-report", payload)</c>
/// or <c>Job.OneTime("reminder").At(instant).Http("https://example.com/remind")</c>.
/// </summary>
public static class Job
{
    /// <summary>Starts a recurring job; give it a schedule with <see cref="RecurringJobBuilder.Cron"/> or <see cref="RecurringJobBuilder.Every"/>.</summary>
    /// <param name="name">Human-readable name; 1 to 200 characters.</param>
    public static RecurringJobBuilder Recurring(string name) => new(name);

    /// <summary>Starts a one-time job; give it its instant with <see cref="OneTimeJobBuilder.At"/>.</summary>
    /// <param name="name">Human-readable name; 1 to 200 characters.</param>
    public static OneTimeJobBuilder OneTime(string name) => new(name);
}
