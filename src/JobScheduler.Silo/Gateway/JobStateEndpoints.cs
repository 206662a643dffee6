using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;

namespace JobScheduler.Silo.Gateway;

/// <summary>Actions on a job: pause, resume and execute now.</summary>
public static class JobStateEndpoints
{
    /// <summary>Maps the endpoints on the <c>/api/v1/jobs</c> group.</summary>
    public static void MapJobStateEndpoints(this RouteGroupBuilder jobs)
    {
        jobs.MapPost("/{jobId}/pause", PauseAsync)
            .WithName("PauseJob")
            .WithSummary("Pause a job")
            .WithDescription("Stops scheduled runs until the job is resumed. Pausing a paused job changes nothing.")
            .Produces<JobResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        jobs.MapPost("/{jobId}/resume", ResumeAsync)
            .WithName("ResumeJob")
            .WithSummary("Resume a paused job")
            .WithDescription("The schedule continues at its first instant after now: instants missed while paused are not run.")
            .Produces<JobResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        jobs.MapPost("/{jobId}/execute", ExecuteAsync)
            .WithName("ExecuteJob")
            .WithSummary("Run a job now")
            .WithDescription("Starts a manual execution. With an Idempotency-Key header, a repeated key within 24 hours returns the first response.")
            .Produces<ExecuteResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static Task<IResult> PauseAsync(string jobId, HttpContext context, IGrainFactory grains) =>
        ChangeAsync(jobId, context, grains, (job, user, expected) => job.Pause(user, expected));

    private static Task<IResult> ResumeAsync(string jobId, HttpContext context, IGrainFactory grains) =>
        ChangeAsync(jobId, context, grains, (job, user, expected) => job.Resume(user, expected));

    private static async Task<IResult> ChangeAsync(
        string jobId, HttpContext context, IGrainFactory grains, Func<IJobGrain, string, long?, Task<ApiResult<JobInfo>>> change)
    {
        if (!JobIds.IsJobId(jobId))
        {
            return JobEndpoints.JobNotFound(jobId);
        }

        var (expected, badTag) = ETags.ReadIfMatch(context.Request);
        if (badTag is not null)
        {
            return badTag;
        }

        return JobEndpoints.JobResult(await change(grains.GetGrain<IJobGrain>(jobId), Caller.UserId(context), expected));
    }

    private static Task<IResult> ExecuteAsync(string jobId, HttpContext context, IGrainFactory grains) =>
        IdempotentRequests.RunAsync(context, grains, async () =>
        {
            if (!JobIds.IsJobId(jobId))
            {
                return JobEndpoints.JobNotFound(jobId);
            }

            var result = await grains.GetGrain<IJobGrain>(jobId).ExecuteNow(Caller.UserId(context));
            return result.IsSuccess
                ? new ApiResponse(StatusCodes.Status202Accepted, new ExecuteResponse(result.Value!), $"/api/v1/executions/{result.Value}")
                : ApiProblems.From(result.Error!);
        });
}
