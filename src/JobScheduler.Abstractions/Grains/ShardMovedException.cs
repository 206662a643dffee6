namespace JobScheduler.Abstractions.Grains;

/// <summary>
/// A shard call reached an activation that a newer activation of the shard, on another silo, has replaced. The
/// old activation stops, so repeating the call reaches the new one. The silo's retry filter repeats it.
/// </summary>
[GenerateSerializer, Alias("js.ShardMovedException")]
public sealed class ShardMovedException : Exception
{
    public ShardMovedException(int shard)
        : base($"Shard {shard} moved to another silo while the call ran; repeat the call.")
    {
        Shard = shard;
    }

    /// <summary>The shard the call was for.</summary>
    [Id(0)]
    public int Shard { get; init; }
}
