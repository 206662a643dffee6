namespace JobScheduler.Grains.Hosting;

/// <summary>Names of the Orleans grain storage providers the grains use.</summary>
public static class StorageNames
{
    /// <summary>Job grain state.</summary>
    public const string Jobs = "jobs";

    /// <summary>User grain state (quota counters).</summary>
    public const string Users = "users";
}
