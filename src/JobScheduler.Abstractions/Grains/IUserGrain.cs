namespace JobScheduler.Abstractions.Grains;

/// <summary>Per-user quota counters (key: <c>usr_</c> followed by the user id).</summary>
[Alias("js.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Counts one more active job unless that would pass <paramref name="limit"/>.</summary>
    [Alias("TryReserveJob")]
    Task<bool> TryReserveJob(int limit);

    /// <summary>Counts one active job less.</summary>
    [Alias("ReleaseJob")]
    Task ReleaseJob();

    /// <summary>Counts <paramref name="count"/> active jobs less, for a batch of completed jobs.</summary>
    [Alias("ReleaseJobs")]
    Task ReleaseJobs(int count);

    /// <summary>Returns the number of active jobs.</summary>
    [Alias("GetActiveJobCount")]
    Task<int> GetActiveJobCount();
}
