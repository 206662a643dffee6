using System.Globalization;

namespace JobScheduler.Scheduling;

/// <summary>
/// Parses the day-of-month and day-of-week fields, including their L, W and # forms.
/// </summary>
internal static class CronDayFieldParser
{
    private const int SundayAsSeven = 7;

    internal static bool TryParseDayOfMonth(string text, out DayOfMonthField? field, out string? problem)
    {
        CronFieldSpec spec = CronFieldSpec.DayOfMonth;
        field = null;
        bool restricted = !StartsUnrestricted(text);
        string upper = text.ToUpperInvariant();
        bool special = upper.Contains('L', StringComparison.Ordinal) || upper.Contains('W', StringComparison.Ordinal);
        if (special && upper.IndexOfAny([',', '/']) >= 0)
        {
            problem = $"the day-of-month field '{text}' combines L or W with a list or step; use a single form such as 'L', 'L-2', '15W' or 'LW'";
            return false;
        }

        if (upper.StartsWith('L'))
        {
            return TryParseLast(text, upper, out field, out problem);
        }

        if (upper.EndsWith('W'))
        {
            if (!CronFieldParser.TryParseValue(upper[..^1], spec, out int day, out problem))
            {
                return false;
            }

            field = new DayOfMonthField { Days = 1UL << day, NearestWeekday = true, Restricted = restricted };
            return true;
        }

        if (!CronFieldParser.TryParse(text, spec, out ulong days, out _, out problem))
        {
            return false;
        }

        field = new DayOfMonthField { Days = days, Restricted = restricted };
        return true;
    }

    internal static bool TryParseDayOfWeek(string text, out DayOfWeekField? field, out string? problem)
    {
        CronFieldSpec spec = CronFieldSpec.DayOfWeek;
        field = null;
        bool restricted = !StartsUnrestricted(text);
        int hash = text.IndexOf('#', StringComparison.Ordinal);

        // No day name contains an L, so any L is the "last weekday of the month" form.
        bool last = text.Contains('L', StringComparison.OrdinalIgnoreCase);
        if ((hash >= 0 || last) && text.IndexOfAny([',', '-', '/']) >= 0)
        {
            problem = $"the day-of-week field '{text}' combines '#' or 'L' with a list, range or step; use a single form such as '5#3' or '5L'";
            return false;
        }

        if (hash >= 0)
        {
            return TryParseNth(text, hash, restricted, out field, out problem);
        }

        if (last)
        {
            bool trailing = char.ToUpperInvariant(text[^1]) == 'L';
            if (!trailing || !CronFieldParser.TryParseValue(text[..^1], spec, out int weekday, out problem))
            {
                problem = $"the day-of-week field '{text}' is invalid; the last-weekday form is a day followed by L, such as '5L' for the last Friday";
                return false;
            }

            field = new DayOfWeekField { Days = WeekdayBit(weekday), Last = true, Restricted = restricted };
            return true;
        }

        if (!CronFieldParser.TryParse(text, spec, out ulong bits, out _, out problem))
        {
            return false;
        }

        // Fold Sunday-as-7 onto bit 0.
        byte days = (byte)((bits & 0x7F) | ((bits >> SundayAsSeven) & 1));
        field = new DayOfWeekField { Days = days, Restricted = restricted };
        return true;
    }

    private static bool TryParseLast(string text, string upper, out DayOfMonthField? field, out string? problem)
    {
        field = null;
        problem = null;
        string rest = upper[1..];
        bool nearestWeekday = rest.EndsWith('W');
        if (nearestWeekday)
        {
            rest = rest[..^1];
        }

        int offset = 0;
        bool valid = rest.Length == 0
            || (rest[0] == '-'
                && int.TryParse(rest.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out offset)
                && offset <= 30);
        if (!valid)
        {
            problem = $"the day-of-month field '{text}' is invalid; use 'L', 'L-n' with n from 0 to 30, or 'LW'";
            return false;
        }

        field = new DayOfMonthField { Days = 0, LastDayOffset = offset, NearestWeekday = nearestWeekday, Restricted = true };
        return true;
    }

    private static bool TryParseNth(string text, int hash, bool restricted, out DayOfWeekField? field, out string? problem)
    {
        field = null;
        if (!CronFieldParser.TryParseValue(text[..hash], CronFieldSpec.DayOfWeek, out int weekday, out problem))
        {
            return false;
        }

        string nthText = text[(hash + 1)..];
        if (!int.TryParse(nthText, NumberStyles.None, CultureInfo.InvariantCulture, out int nth) || nth < 1 || nth > 5)
        {
            problem = $"the day-of-week occurrence '#{nthText}' is invalid; use '#1' to '#5', such as '5#3' for the third Friday";
            return false;
        }

        field = new DayOfWeekField { Days = WeekdayBit(weekday), Nth = nth, Restricted = restricted };
        return true;
    }

    private static byte WeekdayBit(int weekday) => (byte)(1 << (weekday % SundayAsSeven));

    private static bool StartsUnrestricted(string text) => text.StartsWith('*') || text.StartsWith('?');
}
