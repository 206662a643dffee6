namespace JobScheduler.Silo.Gateway;

/// <summary>Resolves the user a request acts for.</summary>
public static class Caller
{
    /// <summary>The user of anonymous requests in dev mode on loopback.</summary>
    public const string DevUser = "dev";

    /// <summary>The claim that carries the user id.</summary>
    public const string SubjectClaim = "sub";

    /// <summary>Longest accepted user id, in characters.</summary>
    public const int MaxUserIdLength = 128;

    /// <summary>
    /// Returns the caller's user id: the <c>sub</c> claim of the validated token, or <see cref="DevUser"/> for
    /// an anonymous request, which the API's authorization policy lets through only in dev mode on loopback.
    /// </summary>
    public static string UserId(HttpContext context) => context.User.FindFirst(SubjectClaim)?.Value ?? DevUser;
}
