using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Ids;

namespace JobScheduler.Silo.Gateway;

/// <summary>Executions: a job's history, and one execution by id.</summary>
public static class ExecutionEndpoints
{
    /// <summary>Maps <c>/jobs/{jobId}/executions</c> and <c>/executions/{executionId}</c> on the API group.</summary>
    public static void MapExecutionEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/jobs/{jobId}/executions", ListAsync)
            .WithTags("Executions")
            .WithName("ListExecutions")
            .WithSummary("List a job's executions, newest first")
            .Produces<ExecutionPageResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/executions/{executionId}", GetAsync)
            .WithTags("Executions")
            .WithName("GetExecution")
            .WithSummary("Get an execution")
            .Produces<ExecutionResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/executions/{executionId}/cancel", CancelAsync)
            .WithTags("Executions")
            .WithName("CancelExecution")
            .WithSummary("Cancel a waiting, running or retrying execution; it ends CANCELLED and is not retried")
            .Produces<ExecutionResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> CancelAsync(string executionId, HttpContext context, IGrainFactory grains)
    {
        if (!JobIds.TryGetJobId(executionId, out var jobId))
        {
            return NotFound(executionId);
        }

        var result = await grains.GetGrain<IJobGrain>(jobId).CancelExecution(Caller.UserId(context), executionId);
        return result.IsSuccess
            ? new ApiResponse(StatusCodes.Status202Accepted, ExecutionResponse.From(result.Value!), $"/api/v1/executions/{executionId}")
            : ApiProblems.From(result.Error!, "executionId");
    }

    private static async Task<IResult> ListAsync(string jobId, string? limit, string? cursor, HttpContext context, IGrainFactory grains)
    {
        if (!JobIds.IsJobId(jobId))
        {
            return JobEndpoints.JobNotFound(jobId);
        }

        var (pageSize, badLimit) = Paging.ReadLimit(limit);
        if (badLimit is not null)
        {
            return badLimit;
        }

        if (cursor is not null && !JobIds.TryGetJobId(cursor, out _))
        {
            return Paging.InvalidCursor();
        }

        var result = await grains.GetGrain<IJobGrain>(jobId).ListExecutions(Caller.UserId(context), pageSize, cursor);
        if (!result.IsSuccess)
        {
            return ApiProblems.From(result.Error!);
        }

        var page = result.Value!;
        return ApiResponse.Ok(new ExecutionPageResponse(page.Items.Select(ExecutionResponse.From).ToList(), page.NextCursor));
    }

    private static async Task<IResult> GetAsync(string executionId, HttpContext context, IGrainFactory grains)
    {
        if (!JobIds.TryGetJobId(executionId, out var jobId))
        {
            return NotFound(executionId);
        }

        var result = await grains.GetGrain<IJobGrain>(jobId).GetExecution(Caller.UserId(context), executionId);
        return result.IsSuccess ? ApiResponse.Ok(ExecutionResponse.From(result.Value!)) : NotFound(executionId);
    }

    private static IResult NotFound(string executionId) => ApiProblems.NotFound("executionId", $"Execution {executionId} was not found.");
}
