namespace JobScheduler.Grains.Execution;

/// <summary>A handler name registered in the silo host (one singleton per <c>AddJobHandler</c> call).</summary>
public sealed record JobHandlerRegistration(string Name);

/// <summary>The names of the handlers registered in this silo host, for validating handler targets.</summary>
public sealed class JobHandlerNames(IEnumerable<JobHandlerRegistration> registrations)
{
    private readonly HashSet<string> _names = registrations.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>True when a handler with this name is registered.</summary>
    public bool Contains(string name) => _names.Contains(name);
}
