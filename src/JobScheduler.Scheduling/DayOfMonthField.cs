using NodaTime;

namespace JobScheduler.Scheduling;

/// <summary>
/// The day-of-month field of a cron expression: a set of days, or one of the forms <c>L</c> (last day),
/// <c>L-n</c> (n days before the last), <c>nW</c> (the weekday nearest to day n) and <c>LW</c> (the last weekday).
/// </summary>
internal sealed class DayOfMonthField
{
    /// <summary>Gets the days of a plain field (bit d for day d); unused for the L and W forms.</summary>
    internal required ulong Days { get; init; }

    /// <summary>Gets n of <c>L-n</c> (0 for <c>L</c>), or null when the field does not count from the last day.</summary>
    internal int? LastDayOffset { get; init; }

    /// <summary>Gets a value indicating whether the target day moves to the nearest weekday (<c>W</c>).</summary>
    internal bool NearestWeekday { get; init; }

    /// <summary>
    /// Gets a value indicating whether the field restricts days for the POSIX rule: false when it starts with
    /// <c>*</c> or is <c>?</c>, so that <c>*/3</c> combines with the day-of-week field by AND, not OR.
    /// </summary>
    internal required bool Restricted { get; init; }

    /// <summary>Gets a value indicating whether this is a plain set of days, without L or W.</summary>
    internal bool IsPlainSet => LastDayOffset is null && !NearestWeekday;

    internal bool Matches(LocalDate date)
    {
        if (IsPlainSet)
        {
            return (Days & (1UL << date.Day)) != 0;
        }

        int lastDay = date.Calendar.GetDaysInMonth(date.Year, date.Month);
        int target = LastDayOffset is { } offset ? lastDay - offset : System.Numerics.BitOperations.TrailingZeroCount(Days);
        if (target < 1 || target > lastDay)
        {
            // L-30 in February or 31W in April: the month has no such day, so nothing matches.
            return false;
        }

        if (NearestWeekday)
        {
            target = NearestWeekdayOf(new LocalDate(date.Year, date.Month, target), lastDay);
        }

        return date.Day == target;
    }

    // The nearest Monday-to-Friday day within the same month: Saturday moves back to Friday (forward to
    // Monday the 3rd when it is the 1st), Sunday moves forward to Monday (back to Friday when it is the last day).
    private static int NearestWeekdayOf(LocalDate day, int lastDay) => day.DayOfWeek switch
    {
        IsoDayOfWeek.Saturday => day.Day == 1 ? 3 : day.Day - 1,
        IsoDayOfWeek.Sunday => day.Day == lastDay ? day.Day - 2 : day.Day + 1,
        _ => day.Day,
    };
}
