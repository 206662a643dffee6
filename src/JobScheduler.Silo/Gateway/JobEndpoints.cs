using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Hosting;
using JobScheduler.Grains.Ids;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace JobScheduler.Silo.Gateway;

/// <summary>The job resource: create, read, replace and delete.</summary>
public static class JobEndpoints
{
    /// <summary>Maps the endpoints on the <c>/api/v1/jobs</c> group.</summary>
    public static void MapJobEndpoints(this RouteGroupBuilder jobs)
    {
        jobs.MapPost("", CreateAsync)
            .WithName("CreateJob")
            .WithSummary("Create a job")
            .WithDescription("Validates and schedules a job. With an Idempotency-Key header, a repeated key within 24 hours returns the first response.")
            .Accepts<JobRequest>("application/json")
            .Produces<JobResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        jobs.MapGet("/{jobId}", GetAsync)
            .WithName("GetJob")
            .WithSummary("Get a job")
            .Produces<JobResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        jobs.MapPut("/{jobId}", ReplaceAsync)
            .WithName("ReplaceJob")
            .WithSummary("Replace a job's definition")
            .WithDescription("The next run follows the new schedule from the later of now and the last scheduled instant, so a change never runs the job at once. Send If-Match with the ETag you read to avoid overwriting another change.")
            .Accepts<JobRequest>("application/json")
            .Produces<JobResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        jobs.MapDelete("/{jobId}", DeleteAsync)
            .WithName("DeleteJob")
            .WithSummary("Delete a job")
            .WithDescription("Stops future runs and frees a quota slot. The job stays readable with status DELETED and its history.")
            .Produces<JobResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
    }

    private static Task<IResult> CreateAsync(
        HttpContext context, IGrainFactory grains, [FromKeyedServices(SchedulerTime.Key)] TimeProvider time, IOptions<JsonOptions> json) =>
        IdempotentRequests.RunAsync(context, grains, async claimed =>
        {
            var (request, problem) = await RequestBody.ReadAsync<JobRequest>(context.Request, json.Value.SerializerOptions);
            if (problem is not null)
            {
                return problem;
            }

            // A keyed create derives its job id from the key, so a repeat reaches the job an earlier try created,
            // whether that try still runs (its silo may be hung) or was cut off by a silo failure.
            var userId = Caller.UserId(context);
            var jobId = claimed is null
                ? JobIds.NewJobId(time.GetUtcNow())
                : JobIds.JobIdForIdempotencyKey(userId, claimed.Key, claimed.FirstClaimedAt);
            var job = grains.GetGrain<IJobGrain>(jobId);
            var result = await job.Create(userId, request!.ToDefinition());
            if (result.Error is { Kind: ApiErrorKind.Conflict, Field: "jobId" })
            {
                // Only an earlier try of this request can have created this id: the call was repeated after its
                // silo died (see DeadSiloRetryFilter), or the client repeated the request. That try may have
                // stopped after writing the job and before scheduling it, so the job grain completes it.
                result = await job.CompleteCreate(userId);
            }

            return result.IsSuccess
                ? new ApiResponse(StatusCodes.Status201Created, JobResponse.From(result.Value!), $"/api/v1/jobs/{jobId}", ETags.Of(result.Value!.Version))
                : ApiProblems.From(result.Error!);
        }, repeatsRunConcurrently: true);

    private static async Task<IResult> GetAsync(string jobId, HttpContext context, IGrainFactory grains)
    {
        if (!JobIds.IsJobId(jobId))
        {
            return JobNotFound(jobId);
        }

        var result = await grains.GetGrain<IJobGrain>(jobId).GetJob(Caller.UserId(context));
        return JobResult(result);
    }

    private static async Task<IResult> ReplaceAsync(string jobId, HttpContext context, IGrainFactory grains, IOptions<JsonOptions> json)
    {
        if (!JobIds.IsJobId(jobId))
        {
            return JobNotFound(jobId);
        }

        var (expected, badTag) = ETags.ReadIfMatch(context.Request);
        if (badTag is not null)
        {
            return badTag;
        }

        var (request, problem) = await RequestBody.ReadAsync<JobRequest>(context.Request, json.Value.SerializerOptions);
        if (problem is not null)
        {
            return problem;
        }

        var result = await grains.GetGrain<IJobGrain>(jobId).Update(Caller.UserId(context), request!.ToDefinition(), expected);
        return JobResult(result);
    }

    private static async Task<IResult> DeleteAsync(string jobId, HttpContext context, IGrainFactory grains)
    {
        if (!JobIds.IsJobId(jobId))
        {
            return JobNotFound(jobId);
        }

        var (expected, badTag) = ETags.ReadIfMatch(context.Request);
        if (badTag is not null)
        {
            return badTag;
        }

        return JobResult(await grains.GetGrain<IJobGrain>(jobId).Delete(Caller.UserId(context), expected));
    }

    /// <summary>200 with the job and its ETag, or the grain's problem.</summary>
    internal static IResult JobResult(Abstractions.ApiResult<JobInfo> result) =>
        result.IsSuccess
            ? ApiResponse.Ok(JobResponse.From(result.Value!), ETags.Of(result.Value!.Version))
            : ApiProblems.From(result.Error!);

    /// <summary>The 404 of an unknown, malformed or foreign job id; the same text in every case.</summary>
    internal static IResult JobNotFound(string jobId) => ApiProblems.NotFound("jobId", $"Job {jobId} was not found.");
}
