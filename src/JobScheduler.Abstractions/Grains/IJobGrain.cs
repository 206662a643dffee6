using Orleans.Concurrency;

using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Jobs;

namespace JobScheduler.Abstractions.Grains;

/// <summary>
/// Owner and source of truth of one job (key: the job id). Every method takes the caller's user id and
/// answers NotFound for a job the caller does not own, so no client can reach another user's job.
/// </summary>
[Alias("js.IJobGrain")]
public interface IJobGrain : IGrainWithStringKey
{
    /// <summary>Validates and creates the job, then schedules its first instant.</summary>
    [Alias("Create")]
    Task<ApiResult<JobInfo>> Create(string userId, JobDefinition definition);

    /// <summary>
    /// Completes a create whose first try found its silo dead half-way: sends the job's index and shard rows
    /// again unless the job changed since. Called by the gateway when a repeated create finds the job.
    /// </summary>
    [Alias("CompleteCreate")]
    Task<ApiResult<JobInfo>> CompleteCreate(string userId);

    /// <summary>Returns the job.</summary>
    [Alias("GetJob")]
    Task<ApiResult<JobInfo>> GetJob(string userId);

    /// <summary>Starts a manual execution now; returns its execution id.</summary>
    [Alias("ExecuteNow")]
    Task<ApiResult<string>> ExecuteNow(string userId);

    /// <summary>Returns one execution of this job.</summary>
    [Alias("GetExecution")]
    Task<ApiResult<ExecutionInfo>> GetExecution(string userId, string executionId);

    /// <summary>Returns a page of this job's executions, newest first.</summary>
    [Alias("ListExecutions")]
    Task<ApiResult<ExecutionPage>> ListExecutions(string userId, int limit, string? cursor);

    /// <summary>
    /// Replaces the definition. The next instant follows the new schedule from the later of now and the last
    /// scheduled instant, so a change never fires at once. <paramref name="expectedVersion"/>, when given, must
    /// equal the current version, else the call fails with <see cref="ApiErrorKind.PreconditionFailed"/>.
    /// </summary>
    [Alias("Update")]
    Task<ApiResult<JobInfo>> Update(string userId, JobDefinition definition, long? expectedVersion);

    /// <summary>Stops future runs and releases the user's quota; the job stays readable as DELETED.</summary>
    [Alias("Delete")]
    Task<ApiResult<JobInfo>> Delete(string userId, long? expectedVersion);

    /// <summary>Stops firing until resumed; instants passed while paused are never replayed.</summary>
    [Alias("Pause")]
    Task<ApiResult<JobInfo>> Pause(string userId, long? expectedVersion);

    /// <summary>Schedules the first instant after now again.</summary>
    [Alias("Resume")]
    Task<ApiResult<JobInfo>> Resume(string userId, long? expectedVersion);

    /// <summary>Told by the shard that the schedule has no further instant.</summary>
    [Alias("OnScheduleExhausted"), OneWay]
    Task OnScheduleExhausted(long version);

    /// <summary>
    /// Told by the shard that an attempt ended without success. The job grain decides: a retry with
    /// exponential backoff while retries remain, else a dead letter. A two-way call, so a call lost with a
    /// dead silo fails at the shard and is repeated. A repeated report of one execution is ignored.
    /// </summary>
    [Alias("OnAttemptFailed")]
    Task OnAttemptFailed(AttemptRequest attempt, AttemptOutcome outcome);

    /// <summary>Returns one of this job's dead letters.</summary>
    [Alias("GetDeadLetter")]
    Task<ApiResult<DeadLetterInfo>> GetDeadLetter(string userId, string deadLetterId);

    /// <summary>
    /// Runs a dead-lettered execution again as a new attempt chain under the same idempotency key, and
    /// removes the dead letter; returns the new execution id.
    /// </summary>
    [Alias("RedriveDeadLetter")]
    Task<ApiResult<string>> RedriveDeadLetter(string userId, string deadLetterId);

    /// <summary>
    /// Cancels an execution that is waiting, running or scheduled as a retry: it ends CANCELLED and is not
    /// retried. Returns the execution as recorded when the request was taken.
    /// </summary>
    [Alias("CancelExecution")]
    Task<ApiResult<ExecutionInfo>> CancelExecution(string userId, string executionId);

    /// <summary>Discards one of this job's dead letters.</summary>
    [Alias("DiscardDeadLetter")]
    Task<ApiResult<bool>> DiscardDeadLetter(string userId, string deadLetterId);

    /// <summary>
    /// Subscribes <paramref name="observer"/> to the final status of one of this job's executions, for
    /// <paramref name="expiry"/> (at most 10 minutes); subscribe again before it lapses to keep watching. Returns
    /// false when the shard has too many subscriptions, so the caller reads the execution instead.
    /// </summary>
    [Alias("WatchExecution")]
    Task<ApiResult<bool>> WatchExecution(string userId, string executionId, IExecutionObserver observer, TimeSpan expiry);

    /// <summary>Ends a subscription made with <see cref="WatchExecution"/>; unknown subscriptions are ignored.</summary>
    [Alias("UnwatchExecution")]
    Task UnwatchExecution(string executionId, IExecutionObserver observer);
}
