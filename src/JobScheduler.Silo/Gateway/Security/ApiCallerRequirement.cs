using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Net.Http.Headers;

namespace JobScheduler.Silo.Gateway.Security;

/// <summary>
/// The API's authorization rule: a validated token with a <c>sub</c> claim, or, when
/// <see cref="GatewayAccess.AllowsAnonymousDevUser"/>, a request without an Authorization header that
/// arrived on a loopback address.
/// </summary>
public sealed class ApiCallerRequirement : AuthorizationHandler<ApiCallerRequirement>, IAuthorizationRequirement
{
    /// <summary>Name of the authorization policy that carries this requirement.</summary>
    public const string PolicyName = "ApiCaller";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiCallerRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated == true && context.User.FindFirst(Caller.SubjectClaim) is not null)
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }

        if (context.Resource is HttpContext http
            && http.RequestServices.GetRequiredService<GatewayAccess>().AllowsAnonymousDevUser
            && !http.Request.Headers.ContainsKey(HeaderNames.Authorization)
            && http.Connection.LocalIpAddress is { } local
            && IPAddress.IsLoopback(local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
