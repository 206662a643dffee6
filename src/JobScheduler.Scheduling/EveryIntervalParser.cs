using System.Globalization;

namespace JobScheduler.Scheduling;

/// <summary>
/// Parses the duration of an <c>@every</c> expression: one or more groups of a whole number and a unit
/// (<c>h</c>, <c>m</c> or <c>s</c>), largest unit first, such as <c>90s</c>, <c>5m</c> or <c>2h30m</c>.
/// </summary>
internal static class EveryIntervalParser
{
    /// <summary>The longest interval accepted, so that arithmetic on instants stays far from overflow.</summary>
    internal static readonly TimeSpan MaxInterval = TimeSpan.FromDays(366);

    internal static bool TryParse(string text, out TimeSpan interval, out string? problem)
    {
        interval = TimeSpan.Zero;
        problem = null;
        string trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            problem = "the interval is missing";
            return false;
        }

        long totalSeconds = 0;
        int lastUnitRank = int.MaxValue;
        int position = 0;
        while (position < trimmed.Length)
        {
            int digitsStart = position;
            while (position < trimmed.Length && char.IsAsciiDigit(trimmed[position]))
            {
                position++;
            }

            if (position == digitsStart || position == trimmed.Length)
            {
                problem = $"'{trimmed}' is not a duration made of whole numbers with the units h, m and s";
                return false;
            }

            int unitRank = RankOf(trimmed[position]);
            if (unitRank < 0 || unitRank >= lastUnitRank)
            {
                problem = $"'{trimmed}' is not a duration with the units h, m and s, each used at most once and the largest first";
                return false;
            }

            ReadOnlySpan<char> digits = trimmed.AsSpan(digitsStart, position - digitsStart);
            if (digits.Length > 9 || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long amount))
            {
                problem = $"the interval '{trimmed}' is longer than the maximum of {MaxInterval.TotalDays} days";
                return false;
            }

            totalSeconds += amount * SecondsPerUnit(unitRank);
            lastUnitRank = unitRank;
            position++;
        }

        return Validate(trimmed, totalSeconds, out interval, out problem);
    }

    private static bool Validate(string text, long totalSeconds, out TimeSpan interval, out string? problem)
    {
        interval = TimeSpan.FromSeconds(totalSeconds);
        problem = null;
        if (totalSeconds <= 0)
        {
            problem = $"the interval '{text}' is zero; use at least 1s";
            return false;
        }

        if (interval > MaxInterval)
        {
            problem = $"the interval '{text}' is longer than the maximum of {MaxInterval.TotalDays} days";
            return false;
        }

        return true;
    }

    // Ranks order the units from the smallest (0) up, so "2h30m" is accepted and "30m2h" is not.
    private static int RankOf(char unit) => unit switch
    {
        's' or 'S' => 0,
        'm' or 'M' => 1,
        'h' or 'H' => 2,
        _ => -1,
    };

    private static long SecondsPerUnit(int rank) => rank switch
    {
        0 => 1,
        1 => 60,
        _ => 3600,
    };
}
