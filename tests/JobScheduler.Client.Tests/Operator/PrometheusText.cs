using System.Globalization;

namespace JobScheduler.Client.Tests.Operator;

/// <summary>One sample of a Prometheus text exposition: metric name, labels and value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>A minimal reader of the Prometheus text format, enough for the samples the silo exports.</summary>
public static class PrometheusText
{
    /// <summary>Parses every sample line; comment lines are skipped.</summary>
    public static IReadOnlyList<PrometheusSample> Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            string name;
            string rest;
            var brace = line.IndexOf('{');
            if (brace >= 0)
            {
                name = line[..brace];
                var close = line.LastIndexOf('}');
                ParseLabels(line[(brace + 1)..close], labels);
                rest = line[(close + 1)..].Trim();
            }
            else
            {
                var space = line.IndexOf(' ');
                name = line[..space];
                rest = line[(space + 1)..].Trim();
            }

            var valueText = rest.Split(' ')[0];
            var value = valueText switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                _ => double.Parse(valueText, CultureInfo.InvariantCulture),
            };
            samples.Add(new PrometheusSample(name, labels, value));
        }

        return samples;
    }

    /// <summary>Returns the value of the one sample with this name and these labels (others may be present), or null.</summary>
    public static double? Value(IReadOnlyList<PrometheusSample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.SingleOrDefault(sample => sample.Name == name
            && labels.All(label => sample.Labels.TryGetValue(label.Key, out var value) && value == label.Value))?.Value;

    private static void ParseLabels(string text, Dictionary<string, string> labels)
    {
        var i = 0;
        while (i < text.Length)
        {
            var equals = text.IndexOf('=', i);
            var key = text[i..equals].Trim().TrimStart(',').Trim();
            var start = text.IndexOf('"', equals) + 1;
            var value = new System.Text.StringBuilder();
            var j = start;
            for (; j < text.Length && text[j] != '"'; j++)
            {
                if (text[j] == '\\' && j + 1 < text.Length)
                {
                    j++;
                }

                value.Append(text[j]);
            }

            labels[key] = value.ToString();
            i = j + 1;
        }
    }
}
