using System.Collections.Frozen;
using NodaTime;
using NodaTime.TimeZones;

namespace JobScheduler.Scheduling;

/// <summary>
/// The single source of time zone rules: the IANA tz database embedded in NodaTime, so every silo computes the
/// same instants whatever tzdata the host has installed.
/// </summary>
public static class TimeZoneSource
{
    /// <summary>The zone used when a job names none.</summary>
    public const string DefaultZoneId = "UTC";

    private static readonly TzdbDateTimeZoneSource Source = TzdbDateTimeZoneSource.Default;

    // Zone ids are matched case-insensitively ("europe/berlin" resolves to "Europe/Berlin").
    private static readonly FrozenDictionary<string, string> CanonicalIds =
        DateTimeZoneProviders.Tzdb.Ids.ToFrozenDictionary(id => id, id => id, StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, string> WindowsToIana =
        Source.WindowsMapping.PrimaryMapping.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the version of the embedded tz database, such as <c>2025b</c>, for the silo to log at start.</summary>
    public static string TzdbVersion => Source.TzdbVersion;

    /// <summary>
    /// Resolves an IANA zone id or a Windows zone id to a zone of the embedded database.
    /// </summary>
    /// <param name="id">The zone id; null or blank means <see cref="DefaultZoneId"/>.</param>
    /// <param name="zone">The zone, when found.</param>
    /// <returns>True when the id names a known zone.</returns>
    public static bool TryGetZone(string? id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DateTimeZone? zone)
    {
        string trimmed = string.IsNullOrWhiteSpace(id) ? DefaultZoneId : id.Trim();
        if (CanonicalIds.TryGetValue(trimmed, out string? ianaId)
            || WindowsToIana.TryGetValue(trimmed, out ianaId))
        {
            zone = DateTimeZoneProviders.Tzdb[ianaId];
            return true;
        }

        zone = null;
        return false;
    }
}
