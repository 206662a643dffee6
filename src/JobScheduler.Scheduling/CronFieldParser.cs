using System.Globalization;

namespace JobScheduler.Scheduling;

/// <summary>
/// Parses the plain form of a cron field into a bit set: a comma-separated list of <c>*</c>, <c>?</c>,
/// values, ranges <c>a-b</c> and steps <c>*/s</c>, <c>a/s</c>, <c>a-b/s</c>. The L, W and # forms of the day
/// fields are parsed by <see cref="CronDayFieldParser"/>.
/// </summary>
internal static class CronFieldParser
{
    /// <summary>Parses <paramref name="text"/>; bit <c>v</c> of the result is set when value <c>v</c> matches.</summary>
    /// <param name="text">The field text.</param>
    /// <param name="spec">The field.</param>
    /// <param name="bits">The matching values.</param>
    /// <param name="isInterval">True when the field uses <c>*</c>, <c>?</c>, a range or a step.</param>
    /// <param name="problem">A sentence fragment that names the field and the problem, on failure.</param>
    internal static bool TryParse(string text, CronFieldSpec spec, out ulong bits, out bool isInterval, out string? problem)
    {
        bits = 0;
        isInterval = false;
        foreach (string item in text.Split(','))
        {
            if (!TryParseItem(item, spec, out ulong itemBits, out bool itemIsInterval, out problem))
            {
                return false;
            }

            bits |= itemBits;
            isInterval |= itemIsInterval;
        }

        problem = null;
        return true;
    }

    private static bool TryParseItem(string item, CronFieldSpec spec, out ulong bits, out bool isInterval, out string? problem)
    {
        bits = 0;
        isInterval = true;
        if (item.Length == 0)
        {
            problem = $"the {spec.Name} field has an empty list item; remove the extra comma";
            return false;
        }

        string rangeText = item;
        int step = 1;
        int slash = item.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            rangeText = item[..slash];
            if (!TryParseStep(item[(slash + 1)..], spec, out step, out problem))
            {
                return false;
            }
        }

        if (!TryParseRange(rangeText, spec, slash >= 0, out int low, out int high, out isInterval, out problem))
        {
            return false;
        }

        for (int value = low; value <= high; value += step)
        {
            bits |= 1UL << value;
        }

        return true;
    }

    private static bool TryParseRange(
        string text,
        CronFieldSpec spec,
        bool hasStep,
        out int low,
        out int high,
        out bool isInterval,
        out string? problem)
    {
        low = spec.Min;
        high = spec.Max;
        isInterval = true;
        problem = null;
        if (text is "*" or "?")
        {
            return true;
        }

        int dash = text.IndexOf('-', StringComparison.Ordinal);
        string lowText = dash >= 0 ? text[..dash] : text;
        if (!TryParseValue(lowText, spec, out low, out problem))
        {
            return false;
        }

        if (dash < 0)
        {
            // "a/s" runs from a to the end of the field; a bare "a" is a single value.
            high = hasStep ? spec.Max : low;
            isInterval = hasStep;
            return true;
        }

        if (!TryParseValue(text[(dash + 1)..], spec, out high, out problem))
        {
            return false;
        }

        if (low > high)
        {
            problem = $"the {spec.Name} range '{text}' runs backwards; wrapping ranges are not supported, so split it into two ranges such as '{low}-{spec.Max},{spec.Min}-{high}'";
            return false;
        }

        return true;
    }

    private static bool TryParseStep(string text, CronFieldSpec spec, out int step, out string? problem)
    {
        problem = null;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1 || step > spec.Max)
        {
            problem = $"the {spec.Name} step '{text}' is invalid; use a whole number from 1 to {spec.Max}";
            return false;
        }

        return true;
    }

    /// <summary>Parses one value: a number in the field's range or, for month and day-of-week, a three-letter name.</summary>
    internal static bool TryParseValue(string text, CronFieldSpec spec, out int value, out string? problem)
    {
        problem = null;
        if (text.Length > 0 && char.IsAsciiDigit(text[0]))
        {
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= spec.Min && value <= spec.Max)
            {
                return true;
            }

            problem = text.All(char.IsAsciiDigit)
                ? $"the {spec.Name} value {text} is out of range; use {spec.AllowedValues}"
                : $"the {spec.Name} value '{text}' is not a number or name; use {spec.AllowedValues}";
            return false;
        }

        int index = spec.ValueNames is null ? -1 : Array.FindIndex(spec.ValueNames, name => name.Equals(text, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            value = spec.NamesStartAt + index;
            return true;
        }

        value = 0;
        problem = text.Length == 0
            ? $"the {spec.Name} field is missing a value; use {spec.AllowedValues}"
            : $"the {spec.Name} value '{text}' is not a number or name; use {spec.AllowedValues}";
        return false;
    }
}
