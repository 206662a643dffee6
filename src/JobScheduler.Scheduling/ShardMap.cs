using System.IO.Hashing;
using System.Text;

namespace JobScheduler.Scheduling;

/// <summary>
/// Maps a job to its scheduler shard. The hash is stable across processes, machines and .NET versions,
/// unlike <see cref="string.GetHashCode()"/>, so every silo agrees on the owner of a job.
/// </summary>
public static class ShardMap
{
    private const int MaxStackBytes = 256;

    /// <summary>
    /// Returns the shard of a job: the XxHash32 (seed 0) of the UTF-8 bytes of <paramref name="jobId"/>,
    /// as an unsigned number, modulo <paramref name="shardCount"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="jobId"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shardCount"/> is not positive.</exception>
    public static int ShardOf(string jobId, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(shardCount, 0);

        int byteCount = Encoding.UTF8.GetByteCount(jobId);
        Span<byte> bytes = byteCount <= MaxStackBytes ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(jobId, bytes);
        uint hash = XxHash32.HashToUInt32(bytes);
        return (int)(hash % (uint)shardCount);
    }
}
