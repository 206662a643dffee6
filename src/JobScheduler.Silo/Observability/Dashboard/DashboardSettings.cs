namespace JobScheduler.Silo.Observability.Dashboard;

/// <summary>
/// The operator login of the Orleans dashboard, bound from the <c>Dashboard</c> configuration section. With a
/// <see cref="Username"/> set, the dashboard needs a login; without one, it is open in dev mode on loopback and
/// closed everywhere else.
/// </summary>
public sealed class DashboardSettings
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Dashboard";

    /// <summary>The operator's user name. Unset by default.</summary>
    public string? Username { get; set; }

    /// <summary>
    /// The operator's password as a hash printed by the silo's <c>hash-password</c> command (ASP.NET Core
    /// Identity's PBKDF2 format). Unset by default. Set this or <see cref="Password"/>, not both.
    /// </summary>
    public string? PasswordHash { get; set; }

    /// <summary>
    /// The operator's password in plain text, for throwaway setups; prefer <see cref="PasswordHash"/>, because a
    /// plain password stays readable in the configuration. Unset by default.
    /// </summary>
    public string? Password { get; set; }

    /// <summary>How long a login lasts without a dashboard request; each request renews it. Default 8 hours.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Failed or successful login attempts accepted per client address and minute. Default 10.</summary>
    public int LoginAttemptsPerMinute { get; set; } = 10;

    /// <summary>True when a user name is set, which turns the login on.</summary>
    public bool CredentialsConfigured => !string.IsNullOrWhiteSpace(Username);
}
