using System.Security.Cryptography;
using System.Text;
using JobScheduler.Silo.Gateway.Security;
using JobScheduler.Silo.Hosting;
using Microsoft.AspNetCore.Identity;

namespace JobScheduler.Silo.Observability.Dashboard;

/// <summary>How the dashboard is reached, decided once at start.</summary>
public enum DashboardMode
{
    /// <summary>No login: dev mode with every listen URL on loopback and no operator configured.</summary>
    Open,

    /// <summary>A login with the configured operator credentials and a cookie session.</summary>
    Login,

    /// <summary>A login page that rejects every login, because no operator is configured outside dev mode on loopback.</summary>
    Locked,
}

/// <summary>The dashboard's access mode and the check of an operator's credentials.</summary>
public sealed class DashboardAccess
{
    private static readonly PasswordHasher<DashboardOperator> Hasher = new();

    private readonly DashboardSettings _settings;

    private DashboardAccess(DashboardMode mode, DashboardSettings settings)
    {
        Mode = mode;
        _settings = settings;
    }

    /// <summary>The access mode.</summary>
    public DashboardMode Mode { get; }

    /// <summary>
    /// Decides the mode. Throws <see cref="SiloStartupException"/> for credentials that cannot work: a user name
    /// without a password, a password without a user name, both password forms, or a malformed hash.
    /// </summary>
    public static DashboardAccess Decide(DashboardSettings settings, bool durableMode, IReadOnlyList<string> listenUrls)
    {
        var hasHash = !string.IsNullOrEmpty(settings.PasswordHash);
        var hasPassword = !string.IsNullOrEmpty(settings.Password);
        if (settings.CredentialsConfigured)
        {
            if (hasHash == hasPassword)
            {
                throw new SiloStartupException(hasHash
                    ? "Dashboard:PasswordHash and Dashboard:Password are both set; keep only Dashboard:PasswordHash."
                    : "Dashboard:Username is set without a password; set Dashboard:PasswordHash to the output of the silo's hash-password command.");
            }

            if (hasHash && !IsWellFormedHash(settings.PasswordHash!))
            {
                throw new SiloStartupException(
                    "Dashboard:PasswordHash is not a hash printed by the silo's hash-password command; run 'dotnet JobScheduler.Silo.dll hash-password' and paste its output.");
            }
        }
        else if (hasHash || hasPassword)
        {
            throw new SiloStartupException("A dashboard password is set without Dashboard:Username; set the operator's user name too.");
        }

        if (settings.SessionLifetime <= TimeSpan.Zero)
        {
            throw new SiloStartupException($"Dashboard:SessionLifetime is {settings.SessionLifetime}; use a positive duration such as 08:00:00.");
        }

        if (settings.LoginAttemptsPerMinute < 1)
        {
            throw new SiloStartupException($"Dashboard:LoginAttemptsPerMinute is {settings.LoginAttemptsPerMinute}; use 1 or more.");
        }

        if (settings.CredentialsConfigured)
        {
            return new DashboardAccess(DashboardMode.Login, settings);
        }

        var loopbackOnly = listenUrls.All(ListenAddresses.IsLoopback);
        return new DashboardAccess(!durableMode && loopbackOnly ? DashboardMode.Open : DashboardMode.Locked, settings);
    }

    /// <summary>
    /// True when the user name and password match the configured operator. Both comparisons take the same time
    /// wherever the texts differ, and a wrong name still runs the password check, so the timing does not tell
    /// which of the two was wrong.
    /// </summary>
    public bool Verify(string? username, string? password)
    {
        if (Mode != DashboardMode.Login || username is null || password is null)
        {
            return false;
        }

        var nameMatches = FixedTimeEquals(username, _settings.Username!);
        bool passwordMatches;
        if (_settings.PasswordHash is { Length: > 0 } hash)
        {
            passwordMatches = Hasher.VerifyHashedPassword(DashboardOperator.Instance, hash, password) != PasswordVerificationResult.Failed;
        }
        else
        {
            passwordMatches = FixedTimeEquals(password, _settings.Password!);
        }

        return nameMatches && passwordMatches;
    }

    /// <summary>Returns the hash of a password in the format <see cref="DashboardSettings.PasswordHash"/> expects.</summary>
    public static string HashPassword(string password) => Hasher.HashPassword(DashboardOperator.Instance, password);

    /// <summary>Compares two texts by their SHA-256 digests, so neither the content nor the length shows in the timing.</summary>
    private static bool FixedTimeEquals(string left, string right) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(left)), SHA256.HashData(Encoding.UTF8.GetBytes(right)));

    /// <summary>True for a base64 text whose first byte is the version marker of ASP.NET Core Identity's v3 hashes.</summary>
    private static bool IsWellFormedHash(string hash)
    {
        var bytes = new byte[hash.Length];
        return Convert.TryFromBase64String(hash, bytes, out var length) && length > 13 && bytes[0] == 0x01;
    }

    /// <summary>The user type <see cref="PasswordHasher{TUser}"/> needs; the hash does not depend on it.</summary>
    private sealed class DashboardOperator
    {
        public static DashboardOperator Instance { get; } = new();
    }
}
