using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace JobScheduler.Silo.Gateway;

/// <summary>
/// Enums in upper snake case (<c>ONE_TIME</c>), written and read in exactly that form. The framework's string enum
/// converter also reads the .NET member name in any case (<c>onetime</c>), a second spelling the API does not
/// document. Any other value fails the read, and the gateway reports the field.
/// </summary>
public sealed class ExactEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    /// <summary>Returns the API names of an enum type's values, in declaration order.</summary>
    public static IEnumerable<string> NamesOf(Type enumType) =>
        Enum.GetNames(enumType).Select(JsonNamingPolicy.SnakeCaseUpper.ConvertName).Distinct();

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    private sealed class Converter<TEnum> : JsonConverter<TEnum>
        where TEnum : struct, Enum
    {
        private readonly FrozenDictionary<string, TEnum> _byName = Enum.GetValues<TEnum>()
            .ToFrozenDictionary(value => JsonNamingPolicy.SnakeCaseUpper.ConvertName(value.ToString()), value => value, StringComparer.Ordinal);

        private readonly FrozenDictionary<TEnum, string> _byValue = Enum.GetValues<TEnum>()
            .Distinct()
            .ToFrozenDictionary(value => value, value => JsonNamingPolicy.SnakeCaseUpper.ConvertName(value.ToString()));

        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String && _byName.TryGetValue(reader.GetString()!, out var value))
            {
                return value;
            }

            throw new JsonException($"Expected one of {string.Join(", ", _byName.Keys)}.");
        }

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WriteStringValue(_byValue.TryGetValue(value, out var name) ? name : value.ToString());
    }
}
