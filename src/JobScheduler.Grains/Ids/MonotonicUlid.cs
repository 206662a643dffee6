namespace JobScheduler.Grains.Ids;

/// <summary>
/// ULIDs that increase strictly within this process, even within one millisecond (where plain ULIDs sort
/// by their random part), so a job's executions list in creation order. A later clock reading never
/// produces a smaller id; after the clock steps back, ids keep increasing from the last one.
/// </summary>
internal static class MonotonicUlid
{
    private static readonly Lock Gate = new();
    private static Ulid _last;

    public static Ulid Next(DateTimeOffset now)
    {
        var candidate = Ulid.NewUlid(now);
        lock (Gate)
        {
            if (candidate.CompareTo(_last) <= 0)
            {
                candidate = Increment(_last);
            }

            _last = candidate;
            return candidate;
        }
    }

    /// <summary>Adds one to the 128-bit value (time and randomness), carrying across bytes.</summary>
    private static Ulid Increment(Ulid value)
    {
        var bytes = value.ToByteArray();
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (++bytes[i] != 0)
            {
                break;
            }
        }

        return new Ulid(bytes);
    }
}
