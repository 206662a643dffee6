using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace JobScheduler.Scheduling;

/// <summary>
/// The start offset of a job with <c>jitterSeconds</c>: spreads the runs of many jobs due on one instant
/// over a window, deterministically per job and instant, so every silo computes the same offset and a
/// re-fired instant starts at the same time. The idempotency key keeps the nominal instant.
/// </summary>
public static class StartJitter
{
    /// <summary>Returns an offset in [0, <paramref name="jitterSeconds"/>) seconds, in whole milliseconds.</summary>
    public static TimeSpan Offset(string jobId, DateTimeOffset instant, int jitterSeconds)
    {
        if (jitterSeconds <= 0)
        {
            return TimeSpan.Zero;
        }

        var key = Encoding.UTF8.GetBytes($"{jobId}:{instant.ToUnixTimeMilliseconds()}");
        var hash = BinaryPrimitives.ReadUInt32BigEndian(XxHash32.Hash(key));
        return TimeSpan.FromMilliseconds(hash % ((uint)jitterSeconds * 1000));
    }
}
