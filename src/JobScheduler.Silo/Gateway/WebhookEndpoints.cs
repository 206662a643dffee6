using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Ids;
using JobScheduler.Grains.Storage;
using JobScheduler.Grains.Webhooks;

namespace JobScheduler.Silo.Gateway;

/// <summary>Webhooks: the caller's signing secret and a job's delivery log.</summary>
public static class WebhookEndpoints
{
    /// <summary>Maps <c>/webhook-secret</c>, <c>/webhook-secret/rotate</c> and <c>/jobs/{jobId}/webhook-deliveries</c> on the API group.</summary>
    public static void MapWebhookEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/webhook-secret", GetSecretAsync)
            .WithTags("Webhooks")
            .WithName("GetWebhookSecret")
            .WithSummary("Get the webhook signing secret")
            .WithDescription("Returns the secret that signs the caller's webhook deliveries, creating it on the first call.")
            .Produces<WebhookSecretResponse>();

        api.MapPost("/webhook-secret/rotate", RotateSecretAsync)
            .WithTags("Webhooks")
            .WithName("RotateWebhookSecret")
            .WithSummary("Rotate the webhook signing secret")
            .WithDescription("Creates a new secret. For 24 hours, deliveries carry a second signature made with the previous secret.")
            .Produces<WebhookSecretResponse>();

        api.MapGet("/jobs/{jobId}/webhook-deliveries", ListDeliveriesAsync)
            .WithTags("Webhooks")
            .WithName("ListWebhookDeliveries")
            .WithSummary("List a job's webhook delivery attempts, newest first")
            .Produces<WebhookDeliveryPageResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> GetSecretAsync(HttpContext context, IGrainFactory grains)
    {
        var secret = await SecretGrain(context, grains).GetSecret();
        return ApiResponse.Ok(WebhookSecretResponse.From(secret));
    }

    private static async Task<IResult> RotateSecretAsync(HttpContext context, IGrainFactory grains)
    {
        var secret = await SecretGrain(context, grains).Rotate();
        return ApiResponse.Ok(WebhookSecretResponse.From(secret));
    }

    private static async Task<IResult> ListDeliveriesAsync(
        string jobId, string? limit, string? cursor, HttpContext context, IGrainFactory grains, IWebhookDeliveryStore deliveries)
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

        if (cursor is not null && !WebhookIds.IsDeliveryIdOf(cursor, jobId))
        {
            return Paging.InvalidCursor();
        }

        // The job grain checks ownership: another user's job gets the same 404 as an unknown one.
        var job = await grains.GetGrain<IJobGrain>(jobId).GetJob(Caller.UserId(context));
        if (!job.IsSuccess)
        {
            return JobEndpoints.JobNotFound(jobId);
        }

        var page = await deliveries.ListByJobAsync(jobId, pageSize, cursor, context.RequestAborted);
        return ApiResponse.Ok(new WebhookDeliveryPageResponse(page.Items.Select(WebhookDeliveryResponse.From).ToList(), page.NextCursor));
    }

    private static IWebhookSecretGrain SecretGrain(HttpContext context, IGrainFactory grains) =>
        grains.GetGrain<IWebhookSecretGrain>(WebhookSecretGrain.Key(Caller.UserId(context)));
}
