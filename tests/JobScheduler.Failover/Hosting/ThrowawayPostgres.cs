using System.Diagnostics;
using JobScheduler.Testing;

namespace JobScheduler.Failover.Hosting;

/// <summary>
/// A PostgreSQL cluster of the harness's own: created with the machine's <c>initdb</c> in a temporary
/// directory, listening on a free loopback port, and deleted at the end. It can be restarted, which the
/// <c>pg-restart</c> scenario needs. When the harness runs as root, the server runs as the <c>postgres</c> user,
/// because initdb rejects root.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _directory;
    private readonly string _data;
    private readonly bool _asPostgres;

    private ThrowawayPostgres(string bin, string directory, bool asPostgres, int port)
    {
        _bin = bin;
        _directory = directory;
        _data = Path.Combine(directory, "data");
        _asPostgres = asPostgres;
        Port = port;
    }

    public int Port { get; }

    /// <summary>A connection string of the server's <c>postgres</c> database.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres";

    /// <summary>Creates and starts a cluster; throws <see cref="HarnessException"/> when the binaries are missing.</summary>
    public static async Task<ThrowawayPostgres> StartAsync()
    {
        var bin = FindServerBinaries();
        var asPostgres = Environment.UserName == "root";
        var directory = Path.Combine(Path.GetTempPath(), $"jobscheduler-failover-pg-{Environment.ProcessId}");
        Directory.CreateDirectory(directory);
        if (asPostgres)
        {
            await RunAsync("chown", ["postgres", directory]);
        }

        var server = new ThrowawayPostgres(bin, directory, asPostgres, LoopbackPorts.Next());
        await server.RunToolAsync("initdb", ["-D", server._data, "-A", "trust", "-U", "postgres", "--no-sync"]);
        // Three silos keep up to 99 connections; the rest are for the harness and a restart's reconnects.
        await File.AppendAllTextAsync(Path.Combine(server._data, "postgresql.conf"), $"""

            listen_addresses = '127.0.0.1'
            port = {server.Port}
            unix_socket_directories = '{directory}'
            max_connections = 300
            """);
        await server.StartServerAsync();
        return server;
    }

    /// <summary>Stops the server (fast mode: sessions are disconnected) and starts it again.</summary>
    public async Task RestartAsync(TimeSpan downtime)
    {
        await RunToolAsync("pg_ctl", ["-D", _data, "-m", "fast", "-w", "stop"]);
        await Task.Delay(downtime);
        await StartServerAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (File.Exists(Path.Combine(_data, "postmaster.pid")))
            {
                await RunToolAsync("pg_ctl", ["-D", _data, "-m", "immediate", "-w", "stop"]);
            }

            Directory.Delete(_directory, recursive: true);
        }
        catch (Exception exception) when (exception is HarnessException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"Could not remove the harness's PostgreSQL cluster in {_directory}: {exception.Message}");
        }
    }

    private Task StartServerAsync() =>
        RunToolAsync("pg_ctl", ["-D", _data, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60", "start"]);

    private Task RunToolAsync(string tool, string[] arguments)
    {
        var path = Path.Combine(_bin, tool);
        return _asPostgres ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments]) : RunAsync(path, arguments);
    }

    private static async Task RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // runuser keeps the working directory, which the postgres user must be able to enter.
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new HarnessException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new HarnessException($"{file} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {error}{await output}");
        }
    }

    private static string FindServerBinaries()
    {
        var newest = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(path => Path.Combine(path, "bin"))
                .Where(path => File.Exists(Path.Combine(path, "initdb")))
                .OrderByDescending(path => int.TryParse(Path.GetFileName(Path.GetDirectoryName(path)), out var version) ? version : 0)
                .FirstOrDefault()
            : null;
        return newest ?? throw new HarnessException(
            "No PostgreSQL server binaries were found in /usr/lib/postgresql. Install them (Debian: apt-get install -y postgresql) "
            + "or pass --postgres with the connection string of a server the harness may create a database on.");
    }
}

/// <summary>The harness cannot run: the message states the cause and the fix.</summary>
public sealed class HarnessException(string message) : Exception(message);
