namespace JobScheduler.Silo.Gateway;

/// <summary>Resolves the user a request acts for.</summary>
public static class Caller
{
    /// <summary>The user every request acts for until authentication exists.</summary>
    public const string DevUser = "dev";

    /// <summary>Returns the caller's user id.</summary>
    // TODO: authentication is not built yet; every request acts as the user "dev".
    public static string UserId(HttpContext context) => DevUser;
}
