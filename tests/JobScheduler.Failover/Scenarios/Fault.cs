namespace JobScheduler.Failover.Scenarios;

/// <summary>
/// One injected fault: what was done, to which silo (null for PostgreSQL), when it started and, for faults
/// that end (a hang, a restart), when the silo or server was back. Times are Unix milliseconds.
/// </summary>
public sealed record Fault(string Kind, int? Silo, long StartMs)
{
    public long? EndMs { get; set; }
}
