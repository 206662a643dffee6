using System.Diagnostics.CodeAnalysis;
using NodaTime;
using NodaTime.Text;

namespace JobScheduler.Scheduling;

/// <summary>
/// Parses the schedule of a job definition (<c>type</c>, <c>scheduleExpression</c>, <c>timeZone</c>).
/// </summary>
public static class ScheduleParser
{
    /// <summary>The <c>type</c> of a job that fires once.</summary>
    public const string OneTimeType = "ONE_TIME";

    /// <summary>The <c>type</c> of a job that fires on a cron expression, macro or <c>@every</c> interval.</summary>
    public const string RecurringType = "RECURRING";

    private const string ExpressionField = "scheduleExpression";

    /// <summary>
    /// Parses and validates a schedule.
    /// </summary>
    /// <param name="type"><see cref="OneTimeType"/> or <see cref="RecurringType"/>.</param>
    /// <param name="expression">An ISO-8601 instant with an offset (one-time), or a cron expression,
    /// macro or <c>@every</c> interval (recurring).</param>
    /// <param name="timeZone">An IANA or Windows zone id; null or blank means UTC.</param>
    /// <param name="anchor">The instant <c>@every</c> intervals count from: the creation instant or <c>startAt</c>.</param>
    /// <param name="schedule">The parsed schedule on success.</param>
    /// <param name="error">The first problem found on failure.</param>
    /// <returns>True when the schedule is valid and can fire.</returns>
    public static bool TryParse(
        string type,
        string? expression,
        string? timeZone,
        DateTimeOffset anchor,
        [NotNullWhen(true)] out Schedule? schedule,
        [NotNullWhen(false)] out ValidationError? error)
    {
        if (type is not (OneTimeType or RecurringType))
        {
            return Fail(
                "type",
                $"The job type '{type}' is not supported; use '{OneTimeType}' or '{RecurringType}'.",
                out schedule,
                out error);
        }

        if (!TimeZoneSource.TryGetZone(timeZone, out DateTimeZone? zone))
        {
            return Fail(
                "timeZone",
                $"The time zone '{timeZone}' is not a known IANA or Windows zone id; use an id such as 'Europe/Berlin' or 'UTC'.",
                out schedule,
                out error);
        }

        if (string.IsNullOrWhiteSpace(expression))
        {
            return Fail(ExpressionField, "The schedule expression is missing; set scheduleExpression.", out schedule, out error);
        }

        return type == OneTimeType
            ? TryParseOneTime(expression.Trim(), out schedule, out error)
            : TryParseRecurring(expression.Trim(), zone, anchor, out schedule, out error);
    }

    private static bool TryParseOneTime(string expression, out Schedule? schedule, out ValidationError? error)
    {
        var result = IsoInstant.TryParse(expression, out var instant);
        if (result == IsoInstant.Result.Malformed)
        {
            return Fail(
                ExpressionField,
                $"The one-time schedule '{expression}' is not an ISO-8601 instant with an offset; use a value such as '2026-12-04T10:00:00Z' or '2026-12-04T10:00:00.123+01:00'.",
                out schedule,
                out error);
        }

        if (result == IsoInstant.Result.OutOfRange)
        {
            return Fail(
                ExpressionField,
                $"The one-time schedule '{expression}' is out of range; use an offset within ±14:00 and an instant from year 1 to 9999 in UTC.",
                out schedule,
                out error);
        }

        schedule = new OneTimeSchedule(instant);
        error = null;
        return true;
    }

    private static bool TryParseRecurring(
        string expression,
        DateTimeZone zone,
        DateTimeOffset anchor,
        out Schedule? schedule,
        out ValidationError? error)
    {
        if (expression.StartsWith("@every", StringComparison.OrdinalIgnoreCase))
        {
            return TryParseEvery(expression, anchor, out schedule, out error);
        }

        string? expanded = CronMacros.Expand(expression);
        if (expanded is null && expression.StartsWith('@'))
        {
            return Fail(
                ExpressionField,
                $"The macro '{expression}' is not supported; use {CronMacros.Supported} or '@every' with an interval such as '@every 5m'.",
                out schedule,
                out error);
        }

        string cron = expanded ?? expression;
        string[] fields = cron.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 7)
        {
            return Fail(
                ExpressionField,
                $"The cron expression '{expression}' has 7 fields; Quartz year fields are not supported. Use 5 fields (minute first) or 6 fields (second first).",
                out schedule,
                out error);
        }

        if (fields.Length is not (5 or 6))
        {
            return Fail(
                ExpressionField,
                $"The cron expression '{expression}' has {fields.Length} fields; use 5 fields (minute hour day-of-month month day-of-week) or 6 fields (second first).",
                out schedule,
                out error);
        }

        if (!CronExpressionParser.TryParse(cron, out CronExpression? parsed, out string? problem))
        {
            return Fail(ExpressionField, $"The cron expression '{expression}' is invalid: {problem}.", out schedule, out error);
        }

        if (CronFeasibility.FindNeverFiresReason(parsed!) is { } reason)
        {
            return Fail(ExpressionField, $"The cron expression '{expression}' can never fire: {reason}.", out schedule, out error);
        }

        schedule = new CronSchedule(parsed!, zone);
        error = null;
        return true;
    }

    private static bool TryParseEvery(string expression, DateTimeOffset anchor, out Schedule? schedule, out ValidationError? error)
    {
        string text = expression["@every".Length..];
        string? problem = "the interval is missing";
        TimeSpan interval = TimeSpan.Zero;
        bool parsed = text.Length > 0
            && char.IsWhiteSpace(text[0])
            && EveryIntervalParser.TryParse(text, out interval, out problem);
        if (!parsed)
        {
            return Fail(
                ExpressionField,
                $"The interval expression '{expression}' is invalid: {problem}. Use a form such as '@every 90s', '@every 5m' or '@every 2h30m'.",
                out schedule,
                out error);
        }

        schedule = new IntervalSchedule(interval, anchor);
        error = null;
        return true;
    }

    private static bool Fail(string field, string message, out Schedule? schedule, out ValidationError? error)
    {
        schedule = null;
        error = new ValidationError(field, message);
        return false;
    }
}
