using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Ids;
using JobScheduler.Grains.Storage;

namespace JobScheduler.Silo.Gateway;

/// <summary>
/// Dead letters: list the caller's, read, redrive as a new attempt chain, discard. A dead letter id
/// contains its job id, so each call goes straight to the job grain, which checks ownership.
/// </summary>
public static class DeadLetterEndpoints
{
    /// <summary>Maps <c>/dead-letters</c> on the API group.</summary>
    public static void MapDeadLetterEndpoints(this RouteGroupBuilder api)
    {
        var deadLetters = api.MapGroup("/dead-letters").WithTags("Dead letters");
        deadLetters.MapGet("", ListAsync)
            .WithName("ListDeadLetters")
            .WithSummary("List the caller's dead letters, newest first")
            .Produces<DeadLetterPageResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        deadLetters.MapGet("/{deadLetterId}", GetAsync)
            .WithName("GetDeadLetter")
            .WithSummary("Get a dead letter")
            .Produces<DeadLetterResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        deadLetters.MapPost("/{deadLetterId}/redrive", RedriveAsync)
            .WithName("RedriveDeadLetter")
            .WithSummary("Run a dead-lettered execution again as a new attempt chain with the same idempotency key")
            .Produces<ExecuteResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        deadLetters.MapDelete("/{deadLetterId}", DiscardAsync)
            .WithName("DiscardDeadLetter")
            .WithSummary("Discard a dead letter")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ListAsync(string? limit, string? cursor, HttpContext context, IDeadLetterStore store)
    {
        var (pageSize, badLimit) = Paging.ReadLimit(limit);
        if (badLimit is not null)
        {
            return badLimit;
        }

        if (cursor is not null && !JobIds.TryGetJobIdOfDeadLetter(cursor, out _))
        {
            return Paging.InvalidCursor();
        }

        var page = await store.ListAsync(Caller.UserId(context), pageSize, cursor, context.RequestAborted);
        return ApiResponse.Ok(new DeadLetterPageResponse(page.Items.Select(DeadLetterResponse.From).ToList(), page.NextCursor));
    }

    private static async Task<IResult> GetAsync(string deadLetterId, HttpContext context, IGrainFactory grains)
    {
        if (!JobIds.TryGetJobIdOfDeadLetter(deadLetterId, out var jobId))
        {
            return NotFound(deadLetterId);
        }

        var result = await grains.GetGrain<IJobGrain>(jobId).GetDeadLetter(Caller.UserId(context), deadLetterId);
        return result.IsSuccess ? ApiResponse.Ok(DeadLetterResponse.From(result.Value!)) : NotFound(deadLetterId);
    }

    private static async Task<IResult> RedriveAsync(string deadLetterId, HttpContext context, IGrainFactory grains)
    {
        if (!JobIds.TryGetJobIdOfDeadLetter(deadLetterId, out var jobId))
        {
            return NotFound(deadLetterId);
        }

        var result = await grains.GetGrain<IJobGrain>(jobId).RedriveDeadLetter(Caller.UserId(context), deadLetterId);
        if (!result.IsSuccess)
        {
            return ApiProblems.From(result.Error!, "deadLetterId");
        }

        return new ApiResponse(StatusCodes.Status202Accepted, new ExecuteResponse(result.Value!), $"/api/v1/executions/{result.Value}");
    }

    private static async Task<IResult> DiscardAsync(string deadLetterId, HttpContext context, IGrainFactory grains)
    {
        if (!JobIds.TryGetJobIdOfDeadLetter(deadLetterId, out var jobId))
        {
            return NotFound(deadLetterId);
        }

        var result = await grains.GetGrain<IJobGrain>(jobId).DiscardDeadLetter(Caller.UserId(context), deadLetterId);
        return result.IsSuccess ? Results.NoContent() : ApiProblems.From(result.Error!, "deadLetterId");
    }

    private static IResult NotFound(string deadLetterId) =>
        ApiProblems.NotFound("deadLetterId", $"Dead letter {deadLetterId} was not found.");
}
