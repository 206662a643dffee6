namespace JobScheduler.Scheduling;

/// <summary>
/// The name, value range and value names of one cron field.
/// </summary>
/// <param name="Name">The field name used in messages, such as <c>day-of-month</c>.</param>
/// <param name="Min">The smallest value.</param>
/// <param name="Max">The largest value; it is also the largest step.</param>
/// <param name="ValueNames">Three-letter names for the values from <paramref name="NamesStartAt"/> up, or null.</param>
/// <param name="NamesStartAt">The value of the first name.</param>
internal sealed record CronFieldSpec(string Name, int Min, int Max, string[]? ValueNames = null, int NamesStartAt = 0)
{
    internal static readonly CronFieldSpec Second = new("second", 0, 59);
    internal static readonly CronFieldSpec Minute = new("minute", 0, 59);
    internal static readonly CronFieldSpec Hour = new("hour", 0, 23);
    internal static readonly CronFieldSpec DayOfMonth = new("day-of-month", 1, 31);

    internal static readonly CronFieldSpec Month = new(
        "month", 1, 12, ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1);

    // 0 and 7 are both Sunday, as in Vixie cron.
    internal static readonly CronFieldSpec DayOfWeek = new(
        "day-of-week", 0, 7, ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], 0);

    /// <summary>Gets a description of the accepted values, such as <c>0-59</c> or <c>1-12 or JAN-DEC</c>.</summary>
    internal string AllowedValues => ValueNames is null
        ? $"{Min}-{Max}"
        : $"{Min}-{Max} or {ValueNames[0]}-{ValueNames[^1]}";
}
