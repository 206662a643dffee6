using JobScheduler.Silo.Gateway.Limits;
using JobScheduler.Silo.Gateway.Security;

namespace JobScheduler.Silo.Gateway;

/// <summary>The REST API under <c>/api/v1</c>: every endpoint needs an authorized caller and counts against its rate limit.</summary>
public static class GatewayEndpoints
{
    /// <summary>Maps every API endpoint.</summary>
    public static void MapGatewayApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1")
            .RequireAuthorization(ApiCallerRequirement.PolicyName)
            .RequireRateLimiting(UserRateLimiting.PolicyName)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        var jobs = api.MapGroup("/jobs").WithTags("Jobs");
        jobs.MapJobListEndpoint();
        jobs.MapJobEndpoints();
        jobs.MapJobStateEndpoints();
        api.MapExecutionEndpoints();
        api.MapScheduleEndpoints();
        api.MapWebhookEndpoints();
        api.MapDeadLetterEndpoints();
    }
}
