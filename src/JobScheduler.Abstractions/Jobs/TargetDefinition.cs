namespace JobScheduler.Abstractions.Jobs;

/// <summary>What an attempt calls: an HTTP endpoint or a named in-process handler.</summary>
[GenerateSerializer, Alias("js.TargetDefinition")]
public sealed record TargetDefinition
{
    /// <summary>Target kind.</summary>
    [Id(0)] public TargetType Type { get; init; }

    /// <summary>Absolute http or https URL (HTTP targets).</summary>
    [Id(1)] public string? Url { get; init; }

    /// <summary>HTTP method (HTTP targets); default POST.</summary>
    [Id(2)] public string? Method { get; init; }

    /// <summary>Extra request headers (HTTP targets).</summary>
    [Id(3)] public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Registered handler name (handler targets).</summary>
    [Id(4)] public string? Name { get; init; }

    /// <summary>Attempt timeout in seconds; default 30.</summary>
    [Id(5)] public int? TimeoutSeconds { get; init; }
}
