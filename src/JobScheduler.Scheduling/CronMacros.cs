namespace JobScheduler.Scheduling;

/// <summary>
/// The cron macros (<c>@daily</c> and the like) and the 5-field expressions they stand for.
/// </summary>
internal static class CronMacros
{
    /// <summary>The supported macro names, for messages.</summary>
    internal const string Supported = "@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly";

    /// <summary>Returns the 5-field expression of a macro, or null when <paramref name="expression"/> is not one.</summary>
    internal static string? Expand(string expression) => expression.Trim().ToLowerInvariant() switch
    {
        "@yearly" or "@annually" => "0 0 1 1 *",
        "@monthly" => "0 0 1 * *",
        "@weekly" => "0 0 * * 0",
        "@daily" or "@midnight" => "0 0 * * *",
        "@hourly" => "0 * * * *",
        _ => null,
    };
}
