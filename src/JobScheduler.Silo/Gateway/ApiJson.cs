using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace JobScheduler.Silo.Gateway;

/// <summary>
/// The API's JSON conventions: camelCase members, enums in upper snake case (ONE_TIME), instants as
/// ISO-8601 UTC with milliseconds (2026-12-04T10:00:00.000Z).
/// </summary>
public static class ApiJson
{
    /// <summary>Applies the conventions to <paramref name="options"/>.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = false;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new ExactEnumConverter());
        options.Converters.Add(new UtcInstantConverter());
    }

    /// <summary>The message of an unparseable instant; the gateway repeats it to the caller.</summary>
    public const string InstantFormatMessage = "Expected an ISO-8601 instant with an offset or Z, such as 2026-12-04T10:00:00Z.";

    /// <summary>Options with the conventions applied, for code outside the HTTP pipeline.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        return options;
    }

    /// <summary>Reads any ISO-8601 instant with an offset; writes UTC with exactly three fractional digits.</summary>
    private sealed class UtcInstantConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString();
            if (text is null || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value)
                || !HasOffset(text))
            {
                throw new JsonException(InstantFormatMessage);
            }

            return value.ToUniversalTime();
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));

        private static bool HasOffset(string text) =>
            text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && (text[^6] is '+' or '-') && text[^3] == ':');
    }
}
