using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace JobScheduler.Silo.Gateway.Security;

/// <summary>The 401 problem of a request without a valid token, with the reason and how to get a token.</summary>
public static class AuthenticationProblems
{
    private const string HowToGetToken =
        "Send the header 'Authorization: Bearer TOKEN'; a self-hosted silo mints tokens with 'dotnet run --project src/JobScheduler.Silo -- token --user NAME'.";

    /// <summary>Writes the 401 problem in place of the default empty challenge.</summary>
    public static async Task WriteChallengeAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var failure = context.AuthenticateFailure;
        context.Response.Headers.WWWAuthenticate = failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        var detail = failure switch
        {
            null => $"This endpoint requires a bearer token. {HowToGetToken}",
            SecurityTokenExpiredException expired => $"The bearer token expired at {expired.Expires:yyyy-MM-ddTHH:mm:ssZ}; get a new token. {HowToGetToken}",
            SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException =>
                $"The bearer token's signature does not match this gateway's signing key. {HowToGetToken}",
            SecurityTokenInvalidAudienceException or SecurityTokenInvalidIssuerException =>
                $"The bearer token was issued for another issuer or audience. {HowToGetToken}",
            AuthenticationFailureException => $"The bearer token was rejected: {failure.Message} {HowToGetToken}",
            _ => $"The bearer token is not a valid token for this gateway. {HowToGetToken}",
        };
        await ApiProblems.Unauthorized(detail).ExecuteAsync(context.HttpContext);
    }
}

/// <summary>A token that passed signature checks but carries an unusable <c>sub</c> claim.</summary>
public sealed class AuthenticationFailureException(string message) : Exception(message);
