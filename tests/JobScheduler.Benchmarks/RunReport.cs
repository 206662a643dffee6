using System.Globalization;
using System.Text;
using System.Text.Json;
using JobScheduler.Benchmarks.Measurement;

namespace JobScheduler.Benchmarks;

/// <summary>
/// The result of one run: the protocol's fields in a fixed order (null where a figure does not apply to the
/// workload), then workload-specific fields. Written as one JSON line followed by a readable summary.
/// </summary>
public sealed class RunReport
{
    private static readonly string[] ProtocolFields =
    [
        "system", "mode", "workload", "jobs", "rate", "settings", "scheduleThroughput", "execThroughput",
        "lagP50Ms", "lagP95Ms", "lagP99Ms", "lagMaxMs", "duplicates", "missing", "peakRssMb", "cpuSeconds", "gcPauseMaxMs",
    ];

    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);
    private readonly List<string> _extraOrder = [];
    private readonly List<string> _notes = [];

    /// <summary>Sets a field. Protocol fields keep their place, and other fields follow in the order first set.</summary>
    public RunReport Set(string name, object? value)
    {
        if (!_values.ContainsKey(name) && !ProtocolFields.Contains(name))
        {
            _extraOrder.Add(name);
        }

        _values[name] = value switch
        {
            double number => Round(number),
            float number => Round(number),
            _ => value,
        };
        return this;
    }

    /// <summary>Adds a line to the readable summary.</summary>
    public RunReport Note(string line)
    {
        _notes.Add(line);
        return this;
    }

    /// <summary>True when the run lost or repeated an instant.</summary>
    public bool HasLoss =>
        (_values.GetValueOrDefault("missing") is int missing && missing > 0)
        || (_values.GetValueOrDefault("duplicates") is long duplicates && duplicates > 0);

    /// <summary>Sets the lag and loss fields from <paramref name="stats"/>.</summary>
    public RunReport SetExecution(ExecutionStats stats)
    {
        Set("execThroughput", stats.ExecThroughput);
        Set("lagP50Ms", stats.LagP50Ms);
        Set("lagP95Ms", stats.LagP95Ms);
        Set("lagP99Ms", stats.LagP99Ms);
        Set("lagMaxMs", stats.LagMaxMs);
        Set("duplicates", stats.Duplicates);
        Set("missing", stats.Missing);
        Set("expected", stats.Expected);
        Set("executed", stats.Runs);
        Set("unexpectedKeys", stats.Unexpected);
        if (stats.MissingSample.Count > 0)
        {
            Note($"missing instants (idempotency keys, first {stats.MissingSample.Count}): {string.Join(", ", stats.MissingSample)}");
        }

        return this;
    }

    /// <summary>Sets the CPU fields of the execution window.</summary>
    public RunReport SetExecutionCpu(CpuUse cpu)
    {
        Set("execWindowSeconds", cpu.WallSeconds);
        Set("execCpuSeconds", cpu.ProcessCpuSeconds);
        Set("execCpuShare", cpu.ProcessShare);
        Set("machineCpuShare", cpu.MachineShare);
        Set("execGcPauseMaxMs", cpu.GcPauseMaxMs);
        return this;
    }

    /// <summary>Writes the JSON object on one line.</summary>
    public string ToJsonLine()
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var name in ProtocolFields.Concat(_extraOrder))
            {
                writer.WritePropertyName(name);
                JsonSerializer.Serialize(writer, _values.GetValueOrDefault(name));
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes the readable summary: every field on its own line, then the notes.</summary>
    public string ToSummary()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{_values["workload"]} ({_values["mode"]} mode), {_values["jobs"]:N0} jobs");
        foreach (var name in ProtocolFields.Skip(3).Concat(_extraOrder))
        {
            var value = _values.GetValueOrDefault(name);
            if (name == "settings" || value is null)
            {
                continue;
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"  {name,-24} {Format(value)}");
        }

        if (_values.GetValueOrDefault("settings") is IDictionary<string, object> settings)
        {
            text.AppendLine("  settings:");
            foreach (var (key, value) in settings)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    {key} = {Format(value)}");
            }
        }

        foreach (var note in _notes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  note: {note}");
        }

        return text.ToString();
    }

    private static string Format(object value) => value switch
    {
        double number => number.ToString("#,0.###", CultureInfo.InvariantCulture),
        int or long => string.Format(CultureInfo.InvariantCulture, "{0:N0}", value),
        int[] numbers => string.Join(", ", numbers),
        double[] numbers => string.Join(", ", numbers.Select(number => number.ToString("0.#", CultureInfo.InvariantCulture))),
        IEnumerable<KeyValuePair<string, int>> counts => string.Join(", ", counts.Select(pair => $"{pair.Key}: {pair.Value}")),
        IEnumerable<KeyValuePair<string, long>> counts => string.Join(", ", counts.Select(pair => $"{pair.Key}: {pair.Value:N0}")),
        IEnumerable<KeyValuePair<string, double>> shares => string.Join(", ", shares.Select(pair => $"{pair.Key}: {pair.Value:P1}")),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static double Round(double value) => Math.Abs(value) >= 100 ? Math.Round(value, 1) : Math.Round(value, 3);
}
