using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JobScheduler.Silo.Gateway.Security;

/// <summary>Mints and describes the tokens of self-hosted authentication (HMAC-SHA256 with <c>Auth:SigningKey</c>).</summary>
public static class TokenIssuer
{
    /// <summary>The longest lifetime the <c>token</c> command issues.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(366);

    /// <summary>Returns the key that signs and validates tokens.</summary>
    public static SymmetricSecurityKey SigningKey(AuthSettings auth) => new(Encoding.UTF8.GetBytes(auth.SigningKey!));

    /// <summary>Creates a signed token whose <c>sub</c> claim is <paramref name="userId"/>.</summary>
    public static string Create(AuthSettings auth, string userId, TimeSpan lifetime, DateTimeOffset now)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.EffectiveAudience,
            Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, userId)]),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(SigningKey(auth), SecurityAlgorithms.HmacSha256),
        };
        descriptor.Claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N") };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>Checks a user id taken from a token's <c>sub</c> claim or the command line; returns the problem, or null.</summary>
    public static string? CheckUserId(string? userId)
    {
        if (string.IsNullOrWhiteSpace(userId))
        {
            return "The user id (the token's sub claim) is missing.";
        }

        if (userId.Length > Caller.MaxUserIdLength)
        {
            return $"The user id is {userId.Length} characters long; the maximum is {Caller.MaxUserIdLength}.";
        }

        return userId.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
            ? "The user id contains spaces or control characters."
            : null;
    }
}
