using System.Globalization;

namespace JobScheduler.Silo.Hosting;

/// <summary>
/// The silo's <c>healthcheck</c> command: <c>healthcheck [--url URL] [--timeout SECONDS]</c> requests the
/// readiness endpoint and exits 0 when it responds with a 2xx status, else 1. Container images without curl use it for their
/// health check.
/// </summary>
public static class HealthCheckCommand
{
    /// <summary>The command's name, the first argument.</summary>
    public const string Name = "healthcheck";

    /// <summary>The URL checked when <c>--url</c> is not given: the readiness endpoint on the default port.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080/health/ready";

    private const int DefaultTimeoutSeconds = 5;

    private const string Usage =
        "Usage: healthcheck [--url URL] [--timeout SECONDS]. Default URL " + DefaultUrl + ", default timeout 5 s. Exit status 0 when the URL responds with a 2xx status, else 1.";

    /// <summary>Runs the command on the arguments after its name; returns the exit code (0 healthy, 1 not, 2 bad usage).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var url = DefaultUrl;
        var timeoutSeconds = DefaultTimeoutSeconds;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--url" when i + 1 < args.Length:
                    url = args[++i];
                    break;
                case "--timeout" when i + 1 < args.Length:
                    if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out timeoutSeconds) || timeoutSeconds is < 1 or > 300)
                    {
                        error.WriteLine($"The value '{args[i]}' of --timeout is not a whole number of seconds from 1 to 300. {Usage}");
                        return 2;
                    }

                    break;
                default:
                    error.WriteLine($"Unknown argument '{args[i]}'. {Usage}");
                    return 2;
            }
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            error.WriteLine($"The value '{url}' of --url is not an absolute http or https URL. {Usage}");
            return 2;
        }

        // No proxy: the check must reach this host's own port, not whatever HTTP_PROXY names.
        using var handler = new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(timeoutSeconds) };
        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                output.WriteLine($"healthy: {uri} responded {status}");
                return 0;
            }

            error.WriteLine($"unhealthy: {uri} responded {status}");
            return 1;
        }
        catch (HttpRequestException exception)
        {
            error.WriteLine($"unhealthy: {uri} could not be reached: {exception.Message}");
            return 1;
        }
        catch (TaskCanceledException)
        {
            error.WriteLine($"unhealthy: {uri} did not answer within {timeoutSeconds} s");
            return 1;
        }
    }
}
