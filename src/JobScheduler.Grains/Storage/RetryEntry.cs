using JobScheduler.Abstractions.Grains;

namespace JobScheduler.Grains.Storage;

/// <summary>
/// An attempt waiting in the due-index. A retry (<see cref="IsLease"/> false) is dispatched at
/// <see cref="Due"/>. A lease (<see cref="IsLease"/> true) records an attempt already dispatched: when its
/// shard is re-activated elsewhere (the silo died) and the lease passes <see cref="Due"/> with no outcome,
/// the attempt is recorded lost and retried.
/// </summary>
public sealed record RetryEntry(AttemptRequest Attempt, DateTimeOffset Due, bool IsLease = false);
