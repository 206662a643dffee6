namespace JobScheduler.Grains.Shards;

/// <summary>A wheel slot's entry: which job version fires at which instant. Stale entries are skipped.</summary>
internal readonly record struct WheelEntry(string JobId, long Version, DateTimeOffset Due);
