using JobScheduler.Abstractions.Grains;

namespace JobScheduler.Grains.Storage;

/// <summary>A retry waiting in the due-index: the attempt to dispatch and when.</summary>
public sealed record RetryEntry(AttemptRequest Attempt, DateTimeOffset Due);
