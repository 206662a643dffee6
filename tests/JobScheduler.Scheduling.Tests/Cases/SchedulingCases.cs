using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace JobScheduler.Scheduling.Tests.Cases;

/// <summary>
/// Loads scheduling-cases.json (copied to the test output) and turns its entries into test rows.
/// </summary>
internal static partial class SchedulingCases
{
    private static readonly Lazy<JsonElement[]> All = new(Load);

    /// <summary>One query of a <c>cron-next</c> case.</summary>
    internal sealed record CronQuery(
        string CaseId,
        string Query,
        string Expression,
        string Format,
        string Zone,
        DateTimeOffset From,
        DateTimeOffset? To,
        int Count,
        bool Inclusive,
        DateTimeOffset[]? Expected);

    internal static JsonElement Case(string id) => All.Value.Single(entry => entry.GetProperty("id").GetString() == id);

    internal static IEnumerable<CronQuery> CronQueries()
    {
        foreach (JsonElement entry in All.Value.Where(entry => entry.GetProperty("kind").GetString() == "cron-next"))
        {
            string caseId = entry.GetProperty("id").GetString()!;
            JsonElement expected = entry.GetProperty("expected");
            foreach (JsonElement input in entry.GetProperty("input").EnumerateArray())
            {
                yield return ToQuery(caseId, input, expected);
            }
        }
    }

    internal static DateTimeOffset ParseInstant(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static CronQuery ToQuery(string caseId, JsonElement input, JsonElement expected)
    {
        string query = input.GetProperty("query").GetString()!;
        string call = input.GetProperty("call").GetString()!;
        JsonElement values = expected.GetProperty(query);
        DateTimeOffset[]? instants = values.ValueKind == JsonValueKind.Null
            ? null
            : values.EnumerateArray().Select(value => ParseInstant(value.GetString()!)).ToArray();

        Match chained = ChainedCall().Match(call);
        bool window = call.StartsWith("occurrences in [from, to)", StringComparison.Ordinal);
        if (!chained.Success && !window)
        {
            throw new InvalidDataException($"Case {caseId} query {query} has an unknown call '{call}'.");
        }

        return new CronQuery(
            caseId,
            query,
            input.GetProperty("expr").GetString()!,
            input.GetProperty("format").GetString()!,
            input.GetProperty("tz").GetString()!,
            ParseInstant(input.GetProperty("from").GetString()!),
            window ? ParseInstant(input.GetProperty("to").GetString()!) : null,
            chained.Success ? int.Parse(chained.Groups["count"].Value, CultureInfo.InvariantCulture) : 0,
            window || chained.Groups["mode"].Value == "inclusive",
            instants);
    }

    private static JsonElement[] Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Cases", "scheduling-cases.json");
        using FileStream stream = File.OpenRead(path);
        using JsonDocument document = JsonDocument.Parse(stream);
        return document.RootElement.EnumerateArray().Select(entry => entry.Clone()).ToArray();
    }

    [GeneratedRegex(@"^next (?<count>\d+) occurrences after from \((?<mode>exclusive|inclusive) for the first call\), chained$")]
    private static partial Regex ChainedCall();
}
