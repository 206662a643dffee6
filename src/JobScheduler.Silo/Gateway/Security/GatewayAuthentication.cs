using JobScheduler.Silo.Hosting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace JobScheduler.Silo.Gateway.Security;

/// <summary>Registers JWT bearer authentication and the API's authorization policy.</summary>
public static class GatewayAuthentication
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Decides the <see cref="GatewayAccess"/> from configuration (throwing <see cref="SiloStartupException"/>
    /// for an unsafe one) and registers it with the authentication services.
    /// </summary>
    public static GatewayAccess AddGatewayAuthentication(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var auth = configuration.GetSection(AuthSettings.SectionName).Get<AuthSettings>() ?? new AuthSettings();
        var durable = StorageMode.ConnectionString(configuration) is not null;
        var access = GatewayAccess.Decide(auth, durable, ListenAddresses.Configured(configuration));
        builder.Services.AddSingleton(access);
        builder.Services.AddSingleton(auth);

        builder.Services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options => ConfigureJwtBearer(options, auth));
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiCallerRequirement.PolicyName, policy => policy.AddRequirements(new ApiCallerRequirement()));
        return access;
    }

    private static void ConfigureJwtBearer(JwtBearerOptions options, AuthSettings auth)
    {
        // Keep "sub" as "sub" instead of mapping it to a long WS-Federation claim type.
        options.MapInboundClaims = false;
        options.Events = new JwtBearerEvents
        {
            OnTokenValidated = CheckSubject,
            OnChallenge = AuthenticationProblems.WriteChallengeAsync,
        };

        if (!string.IsNullOrWhiteSpace(auth.Authority))
        {
            options.Authority = auth.Authority;
            options.Audience = auth.Audience;
            options.TokenValidationParameters.ClockSkew = ClockSkew;
            return;
        }

        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = auth.Issuer,
            ValidAudience = auth.EffectiveAudience,
            IssuerSigningKey = string.IsNullOrWhiteSpace(auth.SigningKey) ? null : TokenIssuer.SigningKey(auth),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
            ClockSkew = ClockSkew,
        };
    }

    private static Task CheckSubject(TokenValidatedContext context)
    {
        if (TokenIssuer.CheckUserId(context.Principal?.FindFirst(Caller.SubjectClaim)?.Value) is { } problem)
        {
            context.Fail(new AuthenticationFailureException(problem));
        }

        return Task.CompletedTask;
    }
}
