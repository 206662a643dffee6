namespace JobScheduler.Scheduling;

/// <summary>
/// Parses a 5-field (minute first) or 6-field (second first) cron expression. The field count selects the format.
/// </summary>
internal static class CronExpressionParser
{
    /// <summary>Parses <paramref name="text"/>, which must have 5 or 6 whitespace-separated fields.</summary>
    /// <param name="text">The expression; macros must be expanded first.</param>
    /// <param name="expression">The parsed expression on success.</param>
    /// <param name="problem">A sentence fragment naming the field and the problem, on failure.</param>
    internal static bool TryParse(string text, out CronExpression? expression, out string? problem)
    {
        expression = null;
        string[] fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is not (5 or 6))
        {
            problem = $"it has {fields.Length} fields instead of 5 or 6";
            return false;
        }

        bool hasSeconds = fields.Length == 6;
        int first = hasSeconds ? 1 : 0;
        ulong seconds = 1;
        bool secondsInterval = false;
        if (hasSeconds && !CronFieldParser.TryParse(fields[0], CronFieldSpec.Second, out seconds, out secondsInterval, out problem))
        {
            return false;
        }

        if (!CronFieldParser.TryParse(fields[first], CronFieldSpec.Minute, out ulong minutes, out bool minutesInterval, out problem)
            || !CronFieldParser.TryParse(fields[first + 1], CronFieldSpec.Hour, out ulong hours, out bool hoursInterval, out problem)
            || !CronDayFieldParser.TryParseDayOfMonth(fields[first + 2], out DayOfMonthField? dayOfMonth, out problem)
            || !CronFieldParser.TryParse(fields[first + 3], CronFieldSpec.Month, out ulong months, out _, out problem)
            || !CronDayFieldParser.TryParseDayOfWeek(fields[first + 4], out DayOfWeekField? dayOfWeek, out problem))
        {
            return false;
        }

        expression = new CronExpression
        {
            Text = text,
            Seconds = seconds,
            Minutes = minutes,
            Hours = hours,
            Months = months,
            DayOfMonth = dayOfMonth!,
            DayOfWeek = dayOfWeek!,
            IsInterval = secondsInterval || minutesInterval || hoursInterval,
            HasSeconds = hasSeconds,
        };
        return true;
    }
}
