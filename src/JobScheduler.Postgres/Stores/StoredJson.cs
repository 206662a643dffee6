using System.Text.Json;
using System.Text.Json.Serialization;

namespace JobScheduler.Postgres.Stores;

/// <summary>
/// JSON settings for rows the stores write. Enums are names, not numbers, and unknown members are
/// ignored on read, so adding a field never breaks an older row or an older silo.
/// </summary>
internal static class StoredJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
    };
}
