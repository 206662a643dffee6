using System.IO.Hashing;

namespace JobScheduler.Scheduling.Tests;

public sealed class ShardMapTests
{
    [Fact]
    public void XxHash32_MatchesPublishedVectors()
    {
        // Reference values of XXH32 with seed 0 from the xxHash specification's test vectors.
        Assert.Equal(0x02CC5D05u, XxHash32.HashToUInt32([]));
        Assert.Equal(0x32D153FFu, XxHash32.HashToUInt32("abc"u8));
    }

    // Expected shards computed once with an independent XXH32 implementation; the hash of the second id
    // (0xE43A8AC7) is above int.MaxValue, so it checks the unsigned modulo.
    [Theory]
    [InlineData("job_01JF6Z8Q7R3M2K9W4X5Y6Z7A8B", 64, 44)]
    [InlineData("job_01JF6Z8Q7R3M2K9W4X5Y6Z7A8C", 64, 7)]
    [InlineData("job_a", 64, 48)]
    [InlineData("job_é", 64, 20)]
    [InlineData("", 64, 5)]
    [InlineData("abc", 1000, 327)]
    public void ShardOf_IsStable(string jobId, int shardCount, int expected)
    {
        Assert.Equal(expected, ShardMap.ShardOf(jobId, shardCount));
    }

    [Fact]
    public void ShardOf_HighBitHash_IsNonNegative()
    {
        for (int i = 0; i < 1000; i++)
        {
            int shard = ShardMap.ShardOf($"job_{i}", 7);
            Assert.InRange(shard, 0, 6);
        }
    }

    [Fact]
    public void ShardOf_LongId_UsesHeapBuffer()
    {
        string longId = new('x', 1000);

        Assert.Equal((int)(XxHash32.HashToUInt32(System.Text.Encoding.UTF8.GetBytes(longId)) % 64u), ShardMap.ShardOf(longId, 64));
    }

    [Fact]
    public void ShardOf_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ShardMap.ShardOf("job_a", 0));
        Assert.Throws<ArgumentNullException>(() => ShardMap.ShardOf(null!, 64));
    }
}
