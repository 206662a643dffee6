using System.Globalization;

namespace JobScheduler.Benchmarks.Measurement;

/// <summary>
/// CPU use over one phase of a run: this process's CPU seconds, and the busy share of the whole machine
/// from <c>/proc/stat</c> (Linux only). The machine figure includes PostgreSQL, and any other work that
/// runs on the machine at the time.
/// </summary>
public sealed class CpuWindow
{
    private readonly ResourceMonitor _monitor;
    private readonly TimeSpan _processStart;
    private readonly (long Busy, long Total)? _machineStart;
    private readonly long _wallStart;

    private CpuWindow(ResourceMonitor monitor)
    {
        _monitor = monitor;
        _processStart = monitor.ProcessCpu();
        _machineStart = ReadMachine();
        _wallStart = WallClock.Now();
    }

    /// <summary>Starts a window now.</summary>
    public static CpuWindow Start(ResourceMonitor monitor) => new(monitor);

    /// <summary>Ends the window and returns its figures.</summary>
    public CpuUse Stop()
    {
        var seconds = (WallClock.Now() - _wallStart) / (double)System.Diagnostics.Stopwatch.Frequency;
        var processSeconds = (_monitor.ProcessCpu() - _processStart).TotalSeconds;
        double? machineShare = null;
        if (_machineStart is { } start && ReadMachine() is { } end && end.Total > start.Total)
        {
            machineShare = (double)(end.Busy - start.Busy) / (end.Total - start.Total);
        }

        var processShare = seconds > 0 ? processSeconds / (seconds * Environment.ProcessorCount) : (double?)null;
        var startMs = WallClock.ToUnixMs(_wallStart);
        return new CpuUse(seconds, processSeconds, processShare, machineShare, _monitor.GcPauseMaxMs(startMs, startMs + seconds * 1000));
    }

    /// <summary>Reads the busy and total jiffies of all CPUs, or returns null when /proc/stat is not readable.</summary>
    private static (long Busy, long Total)? ReadMachine()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();

            // user nice system idle iowait irq softirq steal ...; idle and iowait are not busy time.
            var total = fields.Take(8).Sum();
            var idle = fields[3] + fields[4];
            return (total - idle, total);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}

/// <summary>
/// CPU use of one phase: wall seconds, process CPU seconds, the process's and the machine's share of all
/// cores, and the longest GC pause that ended within the phase.
/// </summary>
public sealed record CpuUse(double WallSeconds, double ProcessCpuSeconds, double? ProcessShare, double? MachineShare, double? GcPauseMaxMs);
