using System.Globalization;
using JobScheduler.Grains.Hosting;
using JobScheduler.Grains.Jobs;
using JobScheduler.Scheduling;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;

namespace JobScheduler.Silo.Gateway;

/// <summary>
/// <c>GET /api/v1/schedules/preview</c>: the next occurrences of a recurring expression, checked exactly as
/// job creation checks it, so users can try an expression before saving it.
/// </summary>
public static class ScheduleEndpoints
{
    /// <summary>Occurrences returned when <c>count</c> is absent.</summary>
    public const int DefaultCount = 10;

    /// <summary>Largest accepted <c>count</c>.</summary>
    public const int MaxCount = 100;

    private const int MaxExpressionLength = 1000;

    private static readonly OffsetDateTimePattern LocalPattern =
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'.'fffo<+HH:mm>");

    /// <summary>Maps the endpoint on the API group.</summary>
    public static void MapScheduleEndpoints(this RouteGroupBuilder api) =>
        api.MapGet("/schedules/preview", PreviewAsync)
            .WithTags("Schedules")
            .WithName("PreviewSchedule")
            .WithSummary("Preview the next occurrences of a schedule expression")
            .WithDescription("Accepts what a RECURRING job accepts: 5-field cron (minute first), 6-field cron (second first), macros such as @daily, and @every intervals (counted from 'from'). Each occurrence is given in UTC and as local time with its offset.")
            .Produces<SchedulePreviewResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

    private static IResult PreviewAsync(
        string? expression,
        string? timeZone,
        string? count,
        string? from,
        [FromKeyedServices(SchedulerTime.Key)] TimeProvider time,
        IOptions<JobLimitsOptions> limits)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            return ApiProblems.Invalid("expression", "The query parameter 'expression' is required, such as expression=0 9 * * MON-FRI or expression=@every 5m.");
        }

        if (expression.Length > MaxExpressionLength)
        {
            return ApiProblems.Invalid("expression", $"The expression is {expression.Length} characters long; the maximum is {MaxExpressionLength}.");
        }

        var occurrences = DefaultCount;
        if (count is not null
            && (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out occurrences) || occurrences is < 1 or > MaxCount))
        {
            return ApiProblems.Invalid("count", $"count must be a whole number from 1 to {MaxCount}; got '{Paging.Shorten(count)}'.");
        }

        var start = time.GetUtcNow();
        if (from is not null && !TryParseInstant(from, out start))
        {
            return ApiProblems.Invalid("from", $"from must be an ISO-8601 instant with an offset or Z, such as 2026-12-04T10:00:00Z, with an offset within ±14:00 and a UTC year from 1 to 9999; got '{Paging.Shorten(from)}'.");
        }

        if (!ScheduleParser.TryParse(ScheduleParser.RecurringType, expression, timeZone, start, out var schedule, out var error))
        {
            return ApiProblems.Invalid(error.Field == "timeZone" ? "timeZone" : "expression", error.Message);
        }

        if (ScheduleParser.TryParse(ScheduleParser.RecurringType, expression, "UTC", start, out var utc, out _)
            && RecurrenceSpacing.FindGapBelow(utc, limits.Value.MinRecurringInterval) is { } gap)
        {
            return ApiProblems.Invalid("expression",
                $"The schedule runs {gap.TotalSeconds:0.###} s apart; the minimum interval between runs is {limits.Value.MinRecurringInterval.TotalSeconds:0.###} s. Use a less frequent expression.");
        }

        TimeZoneSource.TryGetZone(timeZone, out var zone);
        var list = new List<OccurrenceResponse>(occurrences);
        var after = start;
        while (list.Count < occurrences && schedule.GetNextOccurrence(after) is { } next)
        {
            var local = Instant.FromDateTimeOffset(next).InZone(zone!).ToOffsetDateTime();
            list.Add(new OccurrenceResponse(next, LocalPattern.Format(local)));
            after = next;
        }

        return ApiResponse.Ok(new SchedulePreviewResponse(expression, zone!.Id, start, list));
    }

    private static bool TryParseInstant(string text, out DateTimeOffset instant) =>
        IsoInstant.TryParse(text, out instant) == IsoInstant.Result.Parsed;
}
