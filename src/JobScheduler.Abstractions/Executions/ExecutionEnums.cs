namespace JobScheduler.Abstractions.Executions;

/// <summary>Status of one attempt.</summary>
[GenerateSerializer, Alias("js.ExecutionStatus")]
public enum ExecutionStatus
{
    /// <summary>Due, waiting for capacity.</summary>
    Pending = 0,

    /// <summary>Handed to an executor and running.</summary>
    Running = 1,

    /// <summary>Finished with success.</summary>
    Succeeded = 2,

    /// <summary>Finished with an error.</summary>
    Failed = 3,

    /// <summary>Cancelled at the target's timeout.</summary>
    TimedOut = 4,

    /// <summary>Cancelled on request.</summary>
    Cancelled = 5,

    /// <summary>Not run, because of the overlap or misfire policy.</summary>
    Skipped = 6,
}

/// <summary>What started an execution.</summary>
[GenerateSerializer, Alias("js.ExecutionTrigger")]
public enum ExecutionTrigger
{
    /// <summary>A scheduled instant.</summary>
    Schedule = 0,

    /// <summary>An execute-now request.</summary>
    Manual = 1,

    /// <summary>A redrive of a dead letter.</summary>
    Redrive = 2,
}

/// <summary>Helpers over <see cref="ExecutionStatus"/>.</summary>
public static class ExecutionStatusExtensions
{
    /// <summary>True for statuses after which the attempt no longer changes.</summary>
    public static bool IsFinal(this ExecutionStatus status) =>
        status is not (ExecutionStatus.Pending or ExecutionStatus.Running);
}
