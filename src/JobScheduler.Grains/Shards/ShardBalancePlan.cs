namespace JobScheduler.Grains.Shards;

/// <summary>
/// Plans the fewest shard moves that even out the shard count across silos: while the fullest silo has at
/// least two shards more than the emptiest, its highest-numbered shard moves there. Every silo computes the
/// same plan from the same locations, and each carries out only the moves of its own shards.
/// </summary>
public static class ShardBalancePlan
{
    /// <summary>
    /// Returns the moves (shard, target silo) for <paramref name="locations"/> (shard to silo) over the active
    /// <paramref name="silos"/>. Shards on a silo outside the list are left alone: Orleans re-places them.
    /// </summary>
    public static IReadOnlyList<(int Shard, TSilo Target)> Plan<TSilo>(IReadOnlyDictionary<int, TSilo> locations, IReadOnlyList<TSilo> silos)
        where TSilo : notnull
    {
        if (silos.Count < 2)
        {
            return [];
        }

        // Silos in a fixed order, so ties break the same way on every silo.
        var ordered = silos.Distinct().OrderBy(silo => silo.ToString(), StringComparer.Ordinal).ToList();
        var bySilo = ordered.ToDictionary(
            silo => silo,
            silo => new SortedSet<int>(locations.Where(location => location.Value.Equals(silo)).Select(location => location.Key)));
        var moves = new List<(int, TSilo)>();
        while (true)
        {
            var fullest = ordered.MaxBy(silo => bySilo[silo].Count)!;
            var emptiest = ordered.MinBy(silo => bySilo[silo].Count)!;
            if (bySilo[fullest].Count - bySilo[emptiest].Count < 2)
            {
                return moves;
            }

            var shard = bySilo[fullest].Max;
            bySilo[fullest].Remove(shard);
            bySilo[emptiest].Add(shard);
            moves.Add((shard, emptiest));
        }
    }
}
