using NodaTime;

namespace JobScheduler.Scheduling;

/// <summary>
/// The day-of-week field of a cron expression: a set of weekdays (0 and 7 are Sunday), or one of the forms
/// <c>d#n</c> (the n-th weekday d of the month) and <c>dL</c> (the last weekday d of the month).
/// </summary>
internal sealed class DayOfWeekField
{
    private const int DaysPerWeek = 7;

    /// <summary>Gets the weekdays, bit 0 for Sunday to bit 6 for Saturday.</summary>
    internal required byte Days { get; init; }

    /// <summary>Gets n of <c>d#n</c> (1 to 5), or 0.</summary>
    internal int Nth { get; init; }

    /// <summary>Gets a value indicating whether this is the <c>dL</c> form.</summary>
    internal bool Last { get; init; }

    /// <summary>
    /// Gets a value indicating whether the field restricts days for the POSIX rule: false when it starts with
    /// <c>*</c> or is <c>?</c>.
    /// </summary>
    internal required bool Restricted { get; init; }

    internal bool Matches(LocalDate date)
    {
        int weekday = (int)date.DayOfWeek % DaysPerWeek;
        if ((Days & (1 << weekday)) == 0)
        {
            return false;
        }

        if (Nth > 0)
        {
            return ((date.Day - 1) / DaysPerWeek) + 1 == Nth;
        }

        return !Last || date.Day + DaysPerWeek > date.Calendar.GetDaysInMonth(date.Year, date.Month);
    }
}
