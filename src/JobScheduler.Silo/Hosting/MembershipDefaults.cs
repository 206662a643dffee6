using Orleans.Configuration;

namespace JobScheduler.Silo.Hosting;

/// <summary>
/// Failure-detection defaults for a scheduler, applied before <c>Orleans:Membership:*</c> so configuration
/// overrides each of them. Orleans' own defaults (5 s probes, 3 missed probes, 60 s table refresh) take about
/// 12 s to declare a killed silo dead and about a minute for a hung one, and every shard of that silo fires
/// nothing meanwhile. These values suspect a silo after about 3 s without a response. They still need two votes
/// (two other silos agreeing), so one slow silo or a GC pause of 1 to 1.5 s cannot get a healthy silo declared dead.
/// </summary>
public static class MembershipDefaults
{
    /// <summary>Time a probe waits for its response, and the interval between probes. Orleans' default is 5 s.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Consecutive missed probes before a silo votes another dead. Orleans' default is 3.</summary>
    public const int NumMissedProbesLimit = 3;

    /// <summary>Votes needed to declare a silo dead. Orleans' default, kept: one vote would let a single starved silo evict a healthy one.</summary>
    public const int NumVotesForDeathDeclaration = 2;

    /// <summary>How often a silo re-reads the membership table when no update reached it. Orleans' default is 60 s.</summary>
    public static readonly TimeSpan TableRefreshTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How often a silo writes its IAmAlive time to the table, which silos read for peers they cannot probe yet. Orleans' default is 30 s.</summary>
    public static readonly TimeSpan IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether a silo that misses a probe requests another silo to probe for it before counting the miss. Orleans'
    /// default is on. Off here: with one-second probes, the indirect probe times out as fast as the direct one,
    /// so its result does not count either way, and a hung silo measured on one machine was never declared dead
    /// in 30 s. Two votes still guard against one silo's view.
    /// </summary>
    public const bool EnableIndirectProbes = false;

    /// <summary>
    /// Whether a vote is withheld while the suspected silo's connection delivered any message within
    /// 4 × <see cref="ProbeTimeout"/> × <see cref="NumMissedProbesLimit"/> (12 s here). Orleans 10.4's default is on.
    /// Off here: it put a floor of 12 s under the detection of a hung silo, and in some runs measured on one
    /// machine a SIGSTOPped silo got no vote within 30 s at all. Three missed probes and two votes still stand
    /// between a GC pause and a death declaration.
    /// </summary>
    public const bool EnableConnectionLivenessCheck = false;

    /// <summary>Sets the scheduler's defaults on <paramref name="options"/>.</summary>
    public static void Apply(ClusterMembershipOptions options)
    {
        options.ProbeTimeout = ProbeTimeout;
        options.NumMissedProbesLimit = NumMissedProbesLimit;
        options.NumVotesForDeathDeclaration = NumVotesForDeathDeclaration;
        options.TableRefreshTimeout = TableRefreshTimeout;
        options.IAmAliveTablePublishTimeout = IAmAliveTablePublishTimeout;
        options.EnableIndirectProbes = EnableIndirectProbes;
        options.EnableConnectionLivenessCheck = EnableConnectionLivenessCheck;
    }
}
