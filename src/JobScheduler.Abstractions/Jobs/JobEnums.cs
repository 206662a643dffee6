namespace JobScheduler.Abstractions.Jobs;

/// <summary>How a job is scheduled.</summary>
[GenerateSerializer, Alias("js.JobType")]
public enum JobType
{
    /// <summary>Runs once, at the ISO-8601 instant in <c>scheduleExpression</c>.</summary>
    OneTime = 0,

    /// <summary>Runs on a cron expression, macro or <c>@every</c> interval.</summary>
    Recurring = 1,
}

/// <summary>Lifecycle status of a job.</summary>
[GenerateSerializer, Alias("js.JobStatus")]
public enum JobStatus
{
    /// <summary>Scheduled and firing.</summary>
    Active = 0,

    /// <summary>Kept, but not firing until resumed.</summary>
    Paused = 1,

    /// <summary>A one-time job that ran, or a recurring job past its end.</summary>
    Completed = 2,

    /// <summary>Deleted: no further runs, still readable with its history.</summary>
    Deleted = 3,
}

/// <summary>Dispatch priority when more executions are due than the in-flight bound allows.</summary>
[GenerateSerializer, Alias("js.JobPriority")]
public enum JobPriority
{
    /// <summary>Dispatched first.</summary>
    High = 0,

    /// <summary>The default.</summary>
    Normal = 1,

    /// <summary>Dispatched last.</summary>
    Low = 2,
}

/// <summary>What an attempt calls.</summary>
[GenerateSerializer, Alias("js.TargetType")]
public enum TargetType
{
    /// <summary>An HTTP request; a 2xx status is success.</summary>
    Http = 0,

    /// <summary>A named <see cref="Handlers.IJobHandler"/> registered in the silo host.</summary>
    Handler = 1,
}

/// <summary>What happens when an instant comes while the job's previous run is still running.</summary>
[GenerateSerializer, Alias("js.ConcurrencyPolicy")]
public enum ConcurrencyPolicy
{
    /// <summary>Runs overlap (the default).</summary>
    Allow = 0,

    /// <summary>The new instant is skipped and recorded SKIPPED.</summary>
    Forbid = 1,

    /// <summary>The running attempt is cancelled and the new instant runs.</summary>
    Replace = 2,
}

/// <summary>What happens to instants the cluster could not dispatch within the misfire threshold.</summary>
[GenerateSerializer, Alias("js.MisfirePolicy")]
public enum MisfirePolicy
{
    /// <summary>One catch-up run keyed at the latest missed instant (the default).</summary>
    FireOnce = 0,

    /// <summary>No catch-up run; the schedule resumes at its next instant.</summary>
    Skip = 1,

    /// <summary>A run for every missed instant, up to a configured maximum, spaced out.</summary>
    FireAll = 2,
}
