using System.Text;
using JobScheduler.Silo.Hosting;

namespace JobScheduler.Silo.Gateway.Security;

/// <summary>
/// Who may call the API, decided once at start from the storage mode, the <c>Auth</c> settings and the
/// listen URLs. Anonymous requests act as the user <see cref="Caller.DevUser"/> only in dev mode, only
/// while every listen URL is a loopback address, and only without <see cref="AuthSettings.RequireToken"/>.
/// </summary>
public sealed record GatewayAccess(bool AllowsAnonymousDevUser, bool ValidatesTokens, string Description)
{
    /// <summary>
    /// Decides the access mode. Throws <see cref="SiloStartupException"/> for a configuration that would
    /// leave the API open to other machines or that cannot validate tokens.
    /// </summary>
    public static GatewayAccess Decide(AuthSettings auth, bool durableMode, IReadOnlyList<string> listenUrls)
    {
        if (auth.SigningKey is { } key && !string.IsNullOrWhiteSpace(key) && Encoding.UTF8.GetByteCount(key) < AuthSettings.MinSigningKeyBytes)
        {
            throw new SiloStartupException(
                $"Auth:SigningKey is {Encoding.UTF8.GetByteCount(key)} bytes long; HMAC-SHA256 needs at least {AuthSettings.MinSigningKeyBytes}. "
                + "Generate one with: openssl rand -base64 48");
        }

        if (!string.IsNullOrWhiteSpace(auth.Authority) && string.IsNullOrWhiteSpace(auth.Audience))
        {
            throw new SiloStartupException("Auth:Authority is set without Auth:Audience; set the audience your identity provider puts in the tokens' aud claim.");
        }

        if (durableMode && !auth.TokensConfigured)
        {
            throw new SiloStartupException(
                "Durable mode requires authentication: set Auth:SigningKey (at least 32 bytes) to sign tokens yourself, "
                + "or Auth:Authority and Auth:Audience to accept tokens of an OpenID Connect provider.");
        }

        if (auth.RequireToken && !auth.TokensConfigured)
        {
            throw new SiloStartupException("Auth:RequireToken is set, but neither Auth:SigningKey nor Auth:Authority is, so no token could be validated.");
        }

        var exposed = listenUrls.Where(url => !ListenAddresses.IsLoopback(url)).ToList();
        if (!durableMode && exposed.Count > 0 && !auth.TokensConfigured)
        {
            throw new SiloStartupException(
                $"Dev mode without authentication listens only on loopback addresses, but the gateway is configured to listen on {string.Join(", ", exposed)}. "
                + "Listen on http://localhost:8080 or http://127.0.0.1:8080, or set Auth:SigningKey so that every request needs a token.");
        }

        var validates = auth.TokensConfigured;
        var tokenSource = !string.IsNullOrWhiteSpace(auth.Authority)
            ? $"tokens of the OpenID Connect authority {auth.Authority}"
            : validates ? "tokens signed with Auth:SigningKey" : "no tokens (no Auth:SigningKey or Auth:Authority is set)";
        if (!durableMode && exposed.Count == 0 && !auth.RequireToken)
        {
            return new GatewayAccess(true, validates,
                $"dev mode on loopback only: requests without a token act as user '{Caller.DevUser}'; the gateway accepts {tokenSource}");
        }

        return new GatewayAccess(false, validates, $"every API request needs a bearer token; the gateway accepts {tokenSource}");
    }
}
