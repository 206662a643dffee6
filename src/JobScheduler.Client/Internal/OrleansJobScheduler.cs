using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Client.Hosting;
using JobScheduler.Client.Jobs;
using Polly;

namespace JobScheduler.Client.Internal;

/// <summary><see cref="IJobScheduler"/> over <see cref="IJobGrain"/> calls, each run through a retry pipeline.</summary>
internal sealed partial class OrleansJobScheduler : IJobScheduler
{
    /// <summary>Maximum page size the grains return.</summary>
    private const int MaxPageSize = 500;

    private readonly IGrainFactory _grains;
    private readonly GrainCallResilience _resilience;
    private readonly JobSchedulerClientOptions _options;
    private readonly TimeProvider _time;

    public OrleansJobScheduler(
        IGrainFactory grains, GrainCallResilience resilience, JobSchedulerClientOptions options, TimeProvider time, string userId)
    {
        if (JobSchedulerClientOptions.UserIdProblem(userId) is { } problem)
        {
            throw new ArgumentException(problem, nameof(userId));
        }

        _grains = grains;
        _resilience = resilience;
        _options = options;
        _time = time;
        UserId = userId;
    }

    public string UserId { get; }

    public IJobScheduler ForUser(string userId) => new OrleansJobScheduler(_grains, _resilience, _options, _time, userId);

    public Task<JobInfo> CreateAsync(JobBuilder job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        return CreateAsync(job.Build(), cancellationToken);
    }

    public async Task<JobInfo> CreateAsync(JobDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);

        var jobId = ClientIds.NewJobId(_time.GetUtcNow());
        var grain = _grains.GetGrain<IJobGrain>(jobId);
        var attempts = 0;
        var result = await _resilience.Repeatable.ExecuteAsync(async token =>
        {
            attempts++;
            var created = await grain.Create(UserId, definition).WaitAsync(token);

            // A retry that finds the job means an earlier attempt created it and its response was lost.
            if (attempts > 1 && created.Error is { Kind: ApiErrorKind.Conflict, Field: "jobId" })
            {
                return await grain.GetJob(UserId).WaitAsync(token);
            }

            return created;
        }, cancellationToken);
        return Unwrap(result);
    }

    public Task<JobInfo> GetAsync(string jobId, CancellationToken cancellationToken = default) =>
        CallJobAsync(jobId, (grain, user) => grain.GetJob(user), cancellationToken);

    public Task<JobInfo> UpdateAsync(string jobId, JobBuilder job, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        return UpdateAsync(jobId, job.Build(), expectedVersion, cancellationToken);
    }

    public Task<JobInfo> UpdateAsync(string jobId, JobDefinition definition, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return CallJobAsync(jobId, (grain, user) => grain.Update(user, definition, expectedVersion), cancellationToken);
    }

    public Task<JobInfo> PauseAsync(string jobId, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        CallJobAsync(jobId, (grain, user) => grain.Pause(user, expectedVersion), cancellationToken);

    public Task<JobInfo> ResumeAsync(string jobId, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        CallJobAsync(jobId, (grain, user) => grain.Resume(user, expectedVersion), cancellationToken);

    public Task<JobInfo> DeleteAsync(string jobId, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        CallJobAsync(jobId, (grain, user) => grain.Delete(user, expectedVersion), cancellationToken);

    public async Task<string> ExecuteNowAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var grain = JobGrain(jobId);
        var result = await _resilience.NotRepeatable.ExecuteAsync(
            async token => await grain.ExecuteNow(UserId).WaitAsync(token), cancellationToken);
        return Unwrap(result);
    }

    public async Task<JobPage> ListJobsAsync(
        JobStatus? status = null, string? namePrefix = null, int limit = 50, string? cursor = null, CancellationToken cancellationToken = default)
    {
        CheckLimit(limit);
        var listing = _grains.GetGrain<IListingGrain>(0);
        var result = await _resilience.Repeatable.ExecuteAsync(
            async token => await listing.ListJobs(UserId, limit, cursor, status, namePrefix).WaitAsync(token), cancellationToken);
        return Unwrap(result);
    }

    /// <summary>Calls a job grain through the retry pipeline for repeatable calls and unwraps its result.</summary>
    private async Task<JobInfo> CallJobAsync(
        string jobId, Func<IJobGrain, string, Task<ApiResult<JobInfo>>> call, CancellationToken cancellationToken)
    {
        var grain = JobGrain(jobId);
        var result = await _resilience.Repeatable.ExecuteAsync(
            async token => await call(grain, UserId).WaitAsync(token), cancellationToken);
        return Unwrap(result);
    }

    /// <summary>Returns the grain of a well-formed job id; a malformed id is not found, as in the REST API.</summary>
    private IJobGrain JobGrain(string jobId)
    {
        if (!ClientIds.IsJobId(jobId))
        {
            throw new JobSchedulerException(new ApiError(ApiErrorKind.NotFound, "jobId", $"Job {jobId} was not found."));
        }

        return _grains.GetGrain<IJobGrain>(jobId);
    }

    /// <summary>Rejects a page size outside 1 to <see cref="MaxPageSize"/> before any grain call.</summary>
    private static void CheckLimit(int limit)
    {
        if (limit is < 1 or > MaxPageSize)
        {
            throw new JobSchedulerException(ApiError.Invalid("limit", $"The limit {limit} is out of range; use 1 to {MaxPageSize}."));
        }
    }

    private static T Unwrap<T>(ApiResult<T> result) =>
        result.IsSuccess ? result.Value! : throw new JobSchedulerException(result.Error!);

    private static JobSchedulerException ExecutionNotFound(string executionId) =>
        new(new ApiError(ApiErrorKind.NotFound, "executionId", $"Execution {executionId} was not found."));
}
