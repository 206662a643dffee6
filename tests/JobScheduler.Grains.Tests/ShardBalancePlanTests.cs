using JobScheduler.Grains.Shards;

namespace JobScheduler.Grains.Tests;

public sealed class ShardBalancePlanTests
{
    private static Dictionary<int, string> AllOn(string silo, int shards = 64) =>
        Enumerable.Range(0, shards).ToDictionary(shard => shard, _ => silo);

    [Fact]
    public void TwoSilosJoinOne_SpreadsEvenly()
    {
        var locations = AllOn("a");

        var moves = ShardBalancePlan.Plan(locations, ["a", "b", "c"]);

        foreach (var (shard, target) in moves)
        {
            locations[shard] = target;
        }

        var counts = locations.Values.GroupBy(silo => silo).ToDictionary(group => group.Key, group => group.Count());
        Assert.Equal(42, moves.Count);
        Assert.InRange(counts["a"], 21, 22);
        Assert.InRange(counts["b"], 21, 22);
        Assert.InRange(counts["c"], 21, 22);
    }

    [Fact]
    public void BalancedCluster_MovesNothing()
    {
        var locations = Enumerable.Range(0, 64).ToDictionary(shard => shard, shard => (shard % 3).ToString());

        Assert.Empty(ShardBalancePlan.Plan(locations, ["0", "1", "2"]));
    }

    [Fact]
    public void ThirdSiloJoins_TakesOnlyItsShare()
    {
        var locations = Enumerable.Range(0, 64).ToDictionary(shard => shard, shard => shard < 32 ? "a" : "b");

        var moves = ShardBalancePlan.Plan(locations, ["a", "b", "c"]);

        Assert.Equal(21, moves.Count);
        Assert.All(moves, move => Assert.Equal("c", move.Target));
    }

    [Fact]
    public void SameInput_SamePlanInAnySiloOrder()
    {
        var locations = AllOn("a");

        var first = ShardBalancePlan.Plan(locations, ["a", "b", "c"]);
        var second = ShardBalancePlan.Plan(locations, ["c", "a", "b"]);

        Assert.Equal(first, second);
    }

    [Fact]
    public void SingleSilo_MovesNothing()
    {
        Assert.Empty(ShardBalancePlan.Plan(AllOn("a"), ["a"]));
    }

    [Fact]
    public void ShardsOnDeadSilo_AreLeftAlone()
    {
        var locations = Enumerable.Range(0, 64).ToDictionary(shard => shard, shard => shard < 10 ? "dead" : "a");

        var moves = ShardBalancePlan.Plan(locations, ["a", "b"]);

        Assert.DoesNotContain(moves, move => move.Shard < 10);
        Assert.Equal(27, moves.Count);
    }
}
