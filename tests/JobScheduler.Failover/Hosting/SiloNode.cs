using System.Diagnostics;
using JobScheduler.Failover.Measurement;
using JobScheduler.Testing;

namespace JobScheduler.Failover.Hosting;

/// <summary>
/// One silo of the cluster: a child process running this assembly's <c>silo</c> command on fixed loopback
/// ports, so a restart comes back at the same addresses. Run lines from its standard output go to the run
/// log; its standard error goes to a log file per start.
/// </summary>
public sealed class SiloNode : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    private readonly string[] _settings;
    private readonly RunLog _runs;
    private readonly string _logDirectory;
    private Process? _process;
    private StreamWriter? _log;
    private int _starts;

    public SiloNode(int index, string[] settings, RunLog runs, string logDirectory)
    {
        Index = index;
        _settings = settings;
        _runs = runs;
        _logDirectory = logDirectory;
        HttpPort = LoopbackPorts.Next();
        SiloPort = LoopbackPorts.Next();
        GatewayPort = LoopbackPorts.Next();
    }

    public int Index { get; }

    public int HttpPort { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public string Url => $"http://127.0.0.1:{HttpPort}";

    /// <summary>The log file of the latest start.</summary>
    public string LogPath => Path.Combine(_logDirectory, $"silo{Index}-{_starts}.log");

    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    /// <summary>Starts the process and waits until <c>/health/ready</c> returns 200.</summary>
    public async Task StartAsync()
    {
        _starts++;
        _log = new StreamWriter(LogPath) { AutoFlush = true };
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            typeof(SiloNode).Assembly.Location, RecordingSilo.Command,
            "--urls", Url, $"--Orleans:SiloPort={SiloPort}", $"--Orleans:GatewayPort={GatewayPort}",
            .. _settings,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new HarnessException("dotnet did not start.");
        var log = _log;
        process.OutputDataReceived += (_, e) => OnOutput(e.Data, log);
        process.ErrorDataReceived += (_, e) => WriteLog(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilReadyAsync(process);
    }

    /// <summary>Sends a signal to the running process.</summary>
    public void Signal(int signal) =>
        Signals.Send(ProcessId ?? throw new HarnessException($"Silo {Index} is not running."), signal);

    /// <summary>Waits for the process to exit; SIGKILLs it after <paramref name="timeout"/>. Returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        var process = _process ?? throw new HarnessException($"Silo {Index} was never started.");
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            await Console.Error.WriteLineAsync($"Silo {Index} did not exit within {timeout.TotalSeconds:0} s; killing it.");
            process.Kill();
            await process.WaitForExitAsync();
        }

        // The exit event can come before the last output lines are read; this waits for them too.
        process.WaitForExit();
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        if (_log is not null)
        {
            await _log.DisposeAsync();
        }
    }

    private void OnOutput(string? line, StreamWriter log)
    {
        if (line is null)
        {
            return;
        }

        if (!line.StartsWith(RecordingSilo.RunPrefix, StringComparison.Ordinal) || !_runs.TryAdd(Index, line.AsSpan(RecordingSilo.RunPrefix.Length)))
        {
            WriteLog(log, line);
        }
    }

    private static void WriteLog(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }

    private async Task WaitUntilReadyAsync(Process process)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync($"{Url}/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening or not responding yet.
            }

            await Task.Delay(200);
        }

        throw new HarnessException(process.HasExited
            ? $"Silo {Index} exited with code {process.ExitCode} during start; see {LogPath}."
            : $"Silo {Index} was not ready within {ReadyTimeout.TotalSeconds:0} s; see {LogPath}.");
    }
}
