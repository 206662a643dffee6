namespace JobScheduler.Silo.Gateway.Security;

/// <summary>
/// How the gateway authenticates callers, bound from the <c>Auth</c> configuration section. Either a
/// symmetric signing key (self-hosting: the silo's <c>token</c> command mints tokens) or an OpenID Connect
/// authority and audience. The token's <c>sub</c> claim is the user id.
/// </summary>
public sealed class AuthSettings
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Auth";

    /// <summary>Shortest accepted signing key, in UTF-8 bytes: HMAC-SHA256 needs a 256-bit key.</summary>
    public const int MinSigningKeyBytes = 32;

    /// <summary>HMAC-SHA256 key that signs and validates tokens; at least 32 bytes of UTF-8 text. Unset by default.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Issuer (<c>iss</c>) of tokens signed with <see cref="SigningKey"/>. Default "jobscheduler".</summary>
    public string Issuer { get; set; } = "jobscheduler";

    /// <summary>
    /// Audience (<c>aud</c>) tokens must carry. Default "jobscheduler-api" with a signing key; required with
    /// an <see cref="Authority"/>.
    /// </summary>
    public string? Audience { get; set; }

    /// <summary>OpenID Connect authority whose published keys validate tokens, such as https://login.example.com/realm. Unset by default.</summary>
    public string? Authority { get; set; }

    /// <summary>
    /// Requires a token on every API request even in dev mode. Durable mode always requires one. Default false.
    /// </summary>
    public bool RequireToken { get; set; }

    /// <summary>The audience in force: the configured one, or "jobscheduler-api".</summary>
    public string EffectiveAudience => string.IsNullOrWhiteSpace(Audience) ? "jobscheduler-api" : Audience;

    /// <summary>True when tokens can be validated (a signing key or an authority is set).</summary>
    public bool TokensConfigured => !string.IsNullOrWhiteSpace(SigningKey) || !string.IsNullOrWhiteSpace(Authority);
}
