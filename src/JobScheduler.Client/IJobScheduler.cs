using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Client.Jobs;

namespace JobScheduler.Client;

/// <summary>
/// Creates, changes and runs jobs through the Orleans cluster, acting for one user. Every method throws
/// <see cref="JobSchedulerException"/> when the scheduler rejects the request (with the field to fix), and
/// retries calls that fail while a silo fails over.
/// </summary>
/// <remarks>
/// The embedded client is for trusted networks only: Orleans does not authenticate its clients, so the user id
/// is whatever the host app configured. The grains enforce ownership, validation and quotas for that user id.
/// </remarks>
public interface IJobScheduler
{
    /// <summary>The user this instance acts for.</summary>
    string UserId { get; }

    /// <summary>
    /// Returns an instance that acts for another user, for a trusted backend that serves several users.
    /// It shares this instance's connection and retry settings.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is empty, too long or has control characters.</exception>
    IJobScheduler ForUser(string userId);

    /// <summary>Validates and creates a job, then schedules its first instant. Returns the job with defaults applied.</summary>
    /// <remarks>
    /// The client chooses the job id, so a create that is retried after a lost response finds the job it
    /// created instead of creating a second one.
    /// </remarks>
    Task<JobInfo> CreateAsync(JobDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>Creates a job from a builder such as <c>Job.Recurring("daily-report")</c>.</summary>
    Task<JobInfo> CreateAsync(JobBuilder job, CancellationToken cancellationToken = default);

    /// <summary>Returns a job; throws with kind NotFound for an unknown job or one of another user.</summary>
    Task<JobInfo> GetAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces a job's definition. The next instant follows the new schedule from the later of now and the last
    /// scheduled instant, so a change never runs the job at once. With <paramref name="expectedVersion"/>, the
    /// change applies only while the job is at that version (else kind PreconditionFailed).
    /// </summary>
    Task<JobInfo> UpdateAsync(string jobId, JobDefinition definition, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Replaces a job's definition with the one a builder describes.</summary>
    Task<JobInfo> UpdateAsync(string jobId, JobBuilder job, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Stops a job firing until it is resumed; instants passed while paused are never replayed. Pausing a paused job changes nothing.</summary>
    Task<JobInfo> PauseAsync(string jobId, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Schedules a paused job again from its first instant after now. Resuming an active job changes nothing.</summary>
    Task<JobInfo> ResumeAsync(string jobId, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Stops a job's future runs and frees its quota slot; the job stays readable as DELETED with its history.</summary>
    Task<JobInfo> DeleteAsync(string jobId, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts a manual execution now and returns its execution id. Not retried after a timeout, because the first
    /// call may have started a run: the <see cref="TimeoutException"/> reaches the caller.
    /// </summary>
    Task<string> ExecuteNowAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>Returns one execution by its id.</summary>
    Task<ExecutionInfo> GetExecutionAsync(string executionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns a page of a job's executions, newest first. Pass the page's <see cref="ExecutionPage.NextCursor"/>
    /// as <paramref name="cursor"/> for the next page; <paramref name="limit"/> is 1 to 500.
    /// </summary>
    Task<ExecutionPage> ListExecutionsAsync(string jobId, int limit = 50, string? cursor = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels an execution that is waiting, running or scheduled as a retry: it ends CANCELLED and is not retried.
    /// Returns the execution as recorded when the request was taken; a running attempt ends once its target
    /// observes the cancellation.
    /// </summary>
    /// <exception cref="JobSchedulerException">Kind NotFound for an unknown execution or one of another user; kind
    /// Conflict when it already ended, or when its shard does not hold it right now (try again in a few seconds).</exception>
    Task<ExecutionInfo> CancelExecutionAsync(string executionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits until an execution reaches a final status (SUCCEEDED, FAILED, TIMED_OUT, CANCELLED or SKIPPED) and
    /// returns it. A failed attempt that will be retried is final: the retry is a new execution with its own id.
    /// </summary>
    /// <remarks>
    /// With <see cref="Hosting.JobSchedulerClientOptions.UseExecutionObserver"/> (the default) the client subscribes an
    /// Orleans observer to the outcome, renews the subscription while it waits, and reads the execution every
    /// <see cref="Hosting.JobSchedulerClientOptions.FallbackPollInterval"/> in case a notification is lost in a
    /// failover. Without it, or when the subscription fails, it reads at a growing interval from
    /// <see cref="Hosting.JobSchedulerClientOptions.PollInterval"/>. Either way the returned value is the execution's
    /// history record.
    /// </remarks>
    /// <exception cref="TimeoutException">The execution was not final within <paramref name="timeout"/>.</exception>
    Task<ExecutionInfo> WaitForExecutionAsync(string executionId, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns a page of this user's jobs in job id order, which is creation order to the millisecond. Deleted jobs
    /// are listed only when <paramref name="status"/> is <see cref="JobStatus.Deleted"/>; <paramref name="namePrefix"/>
    /// (at most 200 characters) matches the start of the name, ignoring case. A page may hold fewer than
    /// <paramref name="limit"/> items (1 to 500) while more follow: pass <see cref="JobPage.NextCursor"/> as
    /// <paramref name="cursor"/> until it is null.
    /// </summary>
    Task<JobPage> ListJobsAsync(
        JobStatus? status = null, string? namePrefix = null, int limit = 50, string? cursor = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns a page of this user's dead letters (executions that exhausted their retries), newest first. Pass
    /// <see cref="DeadLetterPage.NextCursor"/> as <paramref name="cursor"/> for the next page; <paramref name="limit"/>
    /// is 1 to 500.
    /// </summary>
    Task<DeadLetterPage> ListDeadLettersAsync(int limit = 50, string? cursor = null, CancellationToken cancellationToken = default);

    /// <summary>Returns one dead letter; throws with kind NotFound for an unknown one or one of another user.</summary>
    Task<DeadLetterInfo> GetDeadLetterAsync(string deadLetterId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs a dead-lettered execution again as a new attempt chain under the same idempotency key, removes the dead
    /// letter and returns the new execution id. Not retried after a timeout, because the first call may have
    /// started the run.
    /// </summary>
    /// <exception cref="JobSchedulerException">Kind NotFound for an unknown dead letter; kind Conflict when the job
    /// is deleted (discard the dead letter instead).</exception>
    Task<string> RedriveDeadLetterAsync(string deadLetterId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a dead letter without running it. A retry after a lost response that no longer finds the dead letter
    /// counts as done.
    /// </summary>
    Task DiscardDeadLetterAsync(string deadLetterId, CancellationToken cancellationToken = default);
}
