using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace JobScheduler.Recovery.Tests;

/// <summary>
/// A silo started as its own process from the build output, as an operator runs it, so a test can
/// SIGKILL it. Output goes to a log file that failing tests print.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SiloProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    /// <summary>The signing key every test silo uses, so tokens minted by one are accepted by the next.</summary>
    public const string SigningKey = "recovery-tests-signing-key-of-at-least-32-bytes";

    public string Url { get; }

    public int ProcessId => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts a silo with the given settings and waits until /health/ready answers 200.</summary>
    public static async Task<SiloProcess> StartAsync(string connectionString, SiloPorts ports, params string[] settings)
    {
        var url = $"http://127.0.0.1:{ports.Http}";
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            SiloAssemblyPath(), "--urls", url,
            $"--Orleans:SiloPort={ports.Silo}", $"--Orleans:GatewayPort={ports.Gateway}",
            $"--ConnectionStrings:JobScheduler={connectionString}",
            $"--Auth:SigningKey={SigningKey}",
            "--Targets:AllowedNetworks:0=127.0.0.0/8",
            "--Logging:LogLevel:Default=Information", "--Logging:LogLevel:Orleans=Warning",
            .. settings,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var silo = new SiloProcess(process, url);
        process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await silo.WaitUntilReadyAsync();
        return silo;
    }

    /// <summary>Mints a bearer token for <paramref name="user"/> with the silo's own <c>token</c> command.</summary>
    public static async Task<string> MintTokenAsync(string user)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { SiloAssemblyPath(), "token", "--user", user, $"--Auth:SigningKey={SigningKey}" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var token = (await process.StandardOutput.ReadToEndAsync()).Trim();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 && token.Length > 0
            ? token
            : throw new InvalidOperationException($"The token command failed ({process.ExitCode}): {error}");
    }

    /// <summary>Kills the process at once (SIGKILL on Linux): no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Sends SIGTERM, as a container runtime does on stop, and waits for the exit; returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }

        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync($"{Url}/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"The silo did not become ready within 60 s. Output:\n{Output}");
    }

    /// <summary>The silo's build output, in the configuration these tests were built in.</summary>
    public static string AssemblyPath() => SiloAssemblyPath();

    private static string SiloAssemblyPath()
    {
        var testDirectory = AppContext.BaseDirectory;
        var configuration = testDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var root = new DirectoryInfo(testDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "JobScheduler.Orleans.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"JobScheduler.Orleans.sln was not found above {testDirectory}.");
        }

        var path = Path.Combine(root.FullName, "src", "JobScheduler.Silo", "bin", configuration, "net10.0", "JobScheduler.Silo.dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"The silo build output {path} is missing; build the solution first.");
    }
}

/// <summary>The ports one silo listens on.</summary>
public sealed record SiloPorts(int Http, int Silo, int Gateway)
{
    public static SiloPorts Free() => new(FreePort(), FreePort(), FreePort());

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
