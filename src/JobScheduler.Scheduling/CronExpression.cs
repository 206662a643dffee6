using System.Numerics;
using NodaTime;

namespace JobScheduler.Scheduling;

/// <summary>
/// A parsed cron expression evaluated against local wall-clock time, without any time zone.
/// <see cref="CronSchedule"/> maps its local matches to instants.
/// </summary>
internal sealed class CronExpression
{
    /// <summary>The last date searched; NodaTime's ISO calendar ends there.</summary>
    internal static readonly LocalDate MaxDate = new(9999, 12, 31);

    private static readonly LocalTime LastSecondOfDay = new(23, 59, 59);

    /// <summary>Gets the expression as the user wrote it.</summary>
    internal required string Text { get; init; }

    /// <summary>Gets the matching seconds (bit s for second s).</summary>
    internal required ulong Seconds { get; init; }

    /// <summary>Gets the matching minutes.</summary>
    internal required ulong Minutes { get; init; }

    /// <summary>Gets the matching hours.</summary>
    internal required ulong Hours { get; init; }

    /// <summary>Gets the matching months (bit m for month m, from 1).</summary>
    internal required ulong Months { get; init; }

    internal required DayOfMonthField DayOfMonth { get; init; }

    internal required DayOfWeekField DayOfWeek { get; init; }

    /// <summary>
    /// Gets a value indicating whether the second, minute or hour field uses <c>*</c>, <c>?</c>, a range or a step.
    /// Such expressions fire on both passes of a repeated (fall-back) hour; fixed times fire on the first only.
    /// </summary>
    internal required bool IsInterval { get; init; }

    /// <summary>Gets a value indicating whether the expression has a seconds field (6 fields).</summary>
    internal required bool HasSeconds { get; init; }

    /// <summary>
    /// Returns true when <paramref name="date"/> matches the month and day fields. When both day fields are
    /// restricted, a day matches if either matches (POSIX cron); otherwise both must match.
    /// </summary>
    internal bool MatchesDate(LocalDate date)
    {
        if ((Months & (1UL << date.Month)) == 0)
        {
            return false;
        }

        bool dayOfMonth = DayOfMonth.Matches(date);
        bool dayOfWeek = DayOfWeek.Matches(date);
        return DayOfMonth.Restricted && DayOfWeek.Restricted ? dayOfMonth || dayOfWeek : dayOfMonth && dayOfWeek;
    }

    /// <summary>Returns true when the wall-clock time matches every field (sub-second parts must be zero).</summary>
    internal bool Matches(LocalDateTime local) =>
        local.NanosecondOfSecond == 0
        && HasBit(Seconds, local.Second)
        && HasBit(Minutes, local.Minute)
        && HasBit(Hours, local.Hour)
        && MatchesDate(local.Date);

    /// <summary>
    /// Finds the first matching wall-clock time in [<paramref name="from"/>, <paramref name="until"/>).
    /// </summary>
    /// <param name="from">The inclusive start. A sub-second part rounds it up to the next whole second.</param>
    /// <param name="until">The exclusive end, or null to search to the end of year 9999.</param>
    /// <returns>The match, or null when there is none in the range.</returns>
    internal LocalDateTime? FindNext(LocalDateTime from, LocalDateTime? until)
    {
        if (CeilingToSecond(from) is not { } start)
        {
            return null;
        }

        LocalDate date = start.Date;
        LocalTime earliest = start.TimeOfDay;
        LocalDate lastDate = until?.Date ?? MaxDate;
        while (date <= lastDate)
        {
            if ((Months & (1UL << date.Month)) == 0)
            {
                LocalDate? nextMonth = NextMatchingMonthStart(date);
                if (nextMonth is null)
                {
                    return null;
                }

                date = nextMonth.Value;
                earliest = LocalTime.Midnight;
                continue;
            }

            if (MatchesDate(date) && FindTimeOfDay(earliest) is { } time)
            {
                LocalDateTime found = date + time;
                return until is { } end && found >= end ? null : found;
            }

            if (date == MaxDate)
            {
                return null;
            }

            date = date.PlusDays(1);
            earliest = LocalTime.Midnight;
        }

        return null;
    }

    // The first matching time of day at or after earliest, or null when the day has none left.
    private LocalTime? FindTimeOfDay(LocalTime earliest)
    {
        int hour = earliest.Hour, minute = earliest.Minute, second = earliest.Second;
        for (int h = NextBit(Hours, hour); h >= 0; h = NextBit(Hours, h + 1))
        {
            int minuteStart = h == hour ? minute : 0;
            for (int m = NextBit(Minutes, minuteStart); m >= 0; m = NextBit(Minutes, m + 1))
            {
                int secondStart = h == hour && m == minute ? second : 0;
                int s = NextBit(Seconds, secondStart);
                if (s >= 0)
                {
                    return new LocalTime(h, m, s);
                }
            }
        }

        return null;
    }

    // The first day of the next month in the month field, or null past the end of year 9999.
    private LocalDate? NextMatchingMonthStart(LocalDate date)
    {
        var month = new LocalDate(date.Year, date.Month, 1);
        do
        {
            if (month.Year == MaxDate.Year && month.Month == MaxDate.Month)
            {
                return null;
            }

            month = month.PlusMonths(1);
        }
        while ((Months & (1UL << month.Month)) == 0);

        return month;
    }

    private static LocalDateTime? CeilingToSecond(LocalDateTime local)
    {
        if (local.NanosecondOfSecond == 0)
        {
            return local;
        }

        LocalDateTime truncated = local.PlusNanoseconds(-local.NanosecondOfSecond);
        bool atLastSecond = truncated.Date == MaxDate && truncated.TimeOfDay == LastSecondOfDay;
        return atLastSecond ? null : truncated.PlusSeconds(1);
    }

    private static bool HasBit(ulong bits, int value) => (bits & (1UL << value)) != 0;

    // The lowest set bit at or above position, or -1.
    private static int NextBit(ulong bits, int position)
    {
        if (position > 63)
        {
            return -1;
        }

        ulong remaining = bits & (ulong.MaxValue << position);
        return remaining == 0 ? -1 : BitOperations.TrailingZeroCount(remaining);
    }
}
