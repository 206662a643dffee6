using System.Globalization;

namespace JobScheduler.Benchmarks.Measurement;

/// <summary>
/// The machine's one-minute load average from <c>/proc/loadavg</c> (Linux only). Above the core count,
/// other processes competed with the run for CPU, so its figures are noisy.
/// </summary>
public static class LoadAverage
{
    /// <summary>Returns the one-minute load average, or null where <c>/proc/loadavg</c> is not readable.</summary>
    public static double? Read()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            return double.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
