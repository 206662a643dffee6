using JobScheduler.Abstractions.Jobs;

namespace JobScheduler.Grains.Tests;

/// <summary>Job definitions the tests start from.</summary>
public static class JobDefinitions
{
    public static JobDefinition Recurring(string expression, string handler = RecordingHandler.Name) => new()
    {
        Name = "test",
        Type = JobType.Recurring,
        ScheduleExpression = expression,
        Target = new TargetDefinition { Type = TargetType.Handler, Name = handler },
        Payload = """{"report":"sales"}""",
    };

    public static JobDefinition OneTime(DateTimeOffset instant) => new()
    {
        Name = "once",
        Type = JobType.OneTime,
        ScheduleExpression = instant.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
        Target = new TargetDefinition { Type = TargetType.Handler, Name = RecordingHandler.Name },
    };
}
