using System.Globalization;

namespace JobScheduler.Silo.Gateway.Security;

/// <summary>
/// The silo's <c>token</c> command: <c>token --user alice [--expires 1h]</c> prints a bearer token signed
/// with <c>Auth:SigningKey</c>, for scripts and tests. Other arguments (such as
/// <c>--Auth:SigningKey=...</c>) are configuration, read like the silo reads them.
/// </summary>
public static class TokenCommand
{
    /// <summary>The command's name, the first argument.</summary>
    public const string Name = "token";

    private const string Usage = "Usage: token --user NAME [--expires DURATION], where DURATION is a number and a unit (s, m, h or d), such as 30m, 12h or 7d. Default 1h.";

    /// <summary>Runs the command on the arguments after its name; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        string? user = null;
        var lifetime = TimeSpan.FromHours(1);
        var configurationArgs = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--user" when i + 1 < args.Length:
                    user = args[++i];
                    break;
                case "--expires" when i + 1 < args.Length:
                    if (!TryParseDuration(args[++i], out lifetime) || lifetime > TokenIssuer.MaxLifetime)
                    {
                        error.WriteLine($"The value '{args[i]}' of --expires is not a duration from 1s to {TokenIssuer.MaxLifetime.TotalDays:0}d. {Usage}");
                        return 2;
                    }

                    break;
                case "--user" or "--expires":
                    error.WriteLine($"The option {args[i]} needs a value. {Usage}");
                    return 2;
                default:
                    configurationArgs.Add(args[i]);
                    break;
            }
        }

        if (TokenIssuer.CheckUserId(user) is { } invalidUser)
        {
            error.WriteLine($"{invalidUser} {Usage}");
            return 2;
        }

        var configuration = LoadConfiguration(configurationArgs.ToArray());
        var auth = configuration.GetSection(AuthSettings.SectionName).Get<AuthSettings>() ?? new AuthSettings();
        if (string.IsNullOrWhiteSpace(auth.SigningKey))
        {
            error.WriteLine("No signing key is configured, so no token can be minted. Set Auth:SigningKey (at least 32 bytes), for example "
                + "with the environment variable Auth__SigningKey. Without a key, dev mode on loopback needs no token.");
            return 1;
        }

        if (System.Text.Encoding.UTF8.GetByteCount(auth.SigningKey) < AuthSettings.MinSigningKeyBytes)
        {
            error.WriteLine($"Auth:SigningKey is shorter than {AuthSettings.MinSigningKeyBytes} bytes; configure a longer key.");
            return 1;
        }

        output.WriteLine(TokenIssuer.Create(auth, user!, lifetime, DateTimeOffset.UtcNow));
        return 0;
    }

    /// <summary>Parses durations such as 90s, 30m, 12h or 7d; values beyond a year come back as a year and a second.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        long unitSeconds = text.Length < 2 ? 0 : char.ToLowerInvariant(text[^1]) switch
        {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86400,
            _ => 0,
        };
        if (unitSeconds == 0
            || text.Length > 12
            || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            || amount <= 0)
        {
            return false;
        }

        var seconds = amount * unitSeconds;
        duration = seconds > TokenIssuer.MaxLifetime.TotalSeconds ? TokenIssuer.MaxLifetime + TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>Reads configuration the way the silo does: appsettings files, environment variables, then arguments.</summary>
    private static IConfiguration LoadConfiguration(string[] args)
    {
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? "Production";
        return new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
    }
}
