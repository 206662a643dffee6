using JobScheduler.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Ids;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace JobScheduler.Silo.Gateway;

/// <summary>The jobs resource: create, read, execute now, and list a job's executions.</summary>
public static class JobEndpoints
{
    private const int DefaultLimit = 50;
    private const int MaxLimit = 500;

    /// <summary>Maps the endpoints under <c>/api/v1</c>.</summary>
    public static void MapJobEndpoints(this IEndpointRouteBuilder routes)
    {
        var jobs = routes.MapGroup("/api/v1/jobs");
        jobs.MapPost("", CreateAsync);
        jobs.MapGet("/{jobId}", GetAsync);
        jobs.MapPost("/{jobId}/execute", ExecuteAsync);
        jobs.MapGet("/{jobId}/executions", ListExecutionsAsync);
        routes.MapGet("/api/v1/executions/{executionId}", GetExecutionAsync);
    }

    private static async Task<IResult> CreateAsync(
        HttpContext context, IGrainFactory grains, [FromKeyedServices(SchedulerTime.Key)] TimeProvider time, IOptions<JsonOptions> json)
    {
        var (request, problem) = await RequestBody.ReadAsync<CreateJobRequest>(context.Request, json.Value.SerializerOptions);
        if (problem is not null)
        {
            return problem;
        }

        var jobId = JobIds.NewJobId(time.GetUtcNow());
        var result = await grains.GetGrain<IJobGrain>(jobId).Create(Caller.UserId(context), request!.ToDefinition());
        return result.IsSuccess
            ? Results.Created($"/api/v1/jobs/{jobId}", JobResponse.From(result.Value!))
            : ApiProblems.From(result.Error!);
    }

    private static async Task<IResult> GetAsync(string jobId, HttpContext context, IGrainFactory grains)
    {
        if (!JobIds.IsJobId(jobId))
        {
            return JobNotFound(jobId);
        }

        var result = await grains.GetGrain<IJobGrain>(jobId).GetJob(Caller.UserId(context));
        return result.IsSuccess ? Results.Ok(JobResponse.From(result.Value!)) : ApiProblems.From(result.Error!);
    }

    private static async Task<IResult> ExecuteAsync(string jobId, HttpContext context, IGrainFactory grains)
    {
        if (!JobIds.IsJobId(jobId))
        {
            return JobNotFound(jobId);
        }

        var result = await grains.GetGrain<IJobGrain>(jobId).ExecuteNow(Caller.UserId(context));
        return result.IsSuccess
            ? Results.Accepted($"/api/v1/executions/{result.Value}", new ExecuteResponse(result.Value!))
            : ApiProblems.From(result.Error!);
    }

    private static async Task<IResult> ListExecutionsAsync(
        string jobId, string? limit, string? cursor, HttpContext context, IGrainFactory grains)
    {
        if (!JobIds.IsJobId(jobId))
        {
            return JobNotFound(jobId);
        }

        var pageSize = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, out pageSize) || pageSize < 1 || pageSize > MaxLimit))
        {
            return ApiProblems.Invalid("limit", $"limit must be a whole number from 1 to {MaxLimit}; got '{limit}'.");
        }

        if (cursor is not null && !JobIds.TryGetJobId(cursor, out _))
        {
            return ApiProblems.Invalid("cursor", "The cursor is not valid; pass the nextCursor value of the previous page unchanged.");
        }

        var result = await grains.GetGrain<IJobGrain>(jobId).ListExecutions(Caller.UserId(context), pageSize, cursor);
        if (!result.IsSuccess)
        {
            return ApiProblems.From(result.Error!);
        }

        var page = result.Value!;
        return Results.Ok(new ExecutionPageResponse(page.Items.Select(ExecutionResponse.From).ToList(), page.NextCursor));
    }

    private static async Task<IResult> GetExecutionAsync(string executionId, HttpContext context, IGrainFactory grains)
    {
        if (!JobIds.TryGetJobId(executionId, out var jobId))
        {
            return ApiProblems.NotFound($"Execution {executionId} was not found.");
        }

        var result = await grains.GetGrain<IJobGrain>(jobId).GetExecution(Caller.UserId(context), executionId);
        return result.IsSuccess
            ? Results.Ok(ExecutionResponse.From(result.Value!))
            : ApiProblems.NotFound($"Execution {executionId} was not found.");
    }

    private static IResult JobNotFound(string jobId) => ApiProblems.NotFound($"Job {jobId} was not found.");
}
