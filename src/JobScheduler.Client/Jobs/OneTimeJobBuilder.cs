using System.Globalization;
using JobScheduler.Abstractions.Jobs;

namespace JobScheduler.Client.Jobs;

/// <summary>A one-time job under construction.</summary>
public sealed class OneTimeJobBuilder : JobBuilder<OneTimeJobBuilder>
{
    internal OneTimeJobBuilder(string name)
        : base(name, JobType.OneTime)
    {
    }

    /// <summary>Runs once at <paramref name="instant"/>, which must be in the future when the job is created.</summary>
    public OneTimeJobBuilder At(DateTimeOffset instant)
    {
        var text = instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        Definition = Definition with { ScheduleExpression = text };
        return this;
    }
}
