using System.Globalization;
using NodaTime;

namespace JobScheduler.Scheduling;

/// <summary>
/// Detects cron expressions that can never fire, such as 30 February, so they are rejected at creation instead
/// of being stored and never run.
/// </summary>
internal static class CronFeasibility
{
    // The Gregorian calendar repeats its dates and weekdays every 400 years, so an expression that matches no
    // day in one full cycle matches no day ever.
    private static readonly LocalDateTime CycleStart = new(2000, 1, 1, 0, 0);
    private static readonly LocalDateTime CycleEnd = new(2400, 1, 1, 0, 0);

    private static readonly int[] MaxDaysInMonth = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

    /// <summary>Returns null when the expression fires at least once, otherwise the reason it never does.</summary>
    internal static string? FindNeverFiresReason(CronExpression expression)
    {
        if (DayOfMonthMissingFromMonths(expression) is { } reason)
        {
            return reason;
        }

        return expression.FindNext(CycleStart, CycleEnd) is null
            ? "no date matches its day-of-month, month and day-of-week fields together; check those fields"
            : null;
    }

    // A plain day-of-month set must contain a day that exists in one of the months, unless the POSIX OR rule
    // lets the day-of-week field match on its own.
    private static string? DayOfMonthMissingFromMonths(CronExpression expression)
    {
        bool orRule = expression.DayOfMonth.Restricted && expression.DayOfWeek.Restricted;
        if (orRule || !expression.DayOfMonth.IsPlainSet)
        {
            return null;
        }

        var months = new List<string>();
        for (int month = 1; month <= 12; month++)
        {
            if ((expression.Months & (1UL << month)) == 0)
            {
                continue;
            }

            ulong existingDays = (1UL << (MaxDaysInMonth[month] + 1)) - 2;
            if ((expression.DayOfMonth.Days & existingDays) != 0)
            {
                return null;
            }

            months.Add(CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month));
        }

        return $"the day-of-month field names no day that exists in {string.Join(", ", months)}; "
            + "use a day that exists in the chosen months, or 'L' for the last day of the month";
    }
}
