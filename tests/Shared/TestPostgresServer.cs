using System.Diagnostics;
using JobScheduler.Testing;

namespace JobScheduler.Tests;

/// <summary>
/// The PostgreSQL server the database tests use: the one <c>JOBSCHEDULER_TEST_POSTGRES</c> names (CI sets it),
/// else a throwaway cluster this test process creates with the machine's <c>initdb</c> on a free loopback
/// port and deletes when the process exits. So <c>dotnet test</c> works on any machine with PostgreSQL's
/// server binaries installed, without setup.
/// </summary>
public static class TestPostgresServer
{
    public const string Variable = "JOBSCHEDULER_TEST_POSTGRES";

    private const string DirectoryPrefix = "jobscheduler-test-pg-";

    private static readonly Lazy<string> Server = new(Resolve, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Connection string of a server where tests may create and drop databases.</summary>
    public static string ConnectionString => Server.Value;

    private static string Resolve()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        return string.IsNullOrWhiteSpace(configured) ? StartThrowawayCluster() : configured;
    }

    private static string StartThrowawayCluster()
    {
        var bin = FindServerBinaries();
        var asPostgres = Environment.UserName == "root";
        RemoveStaleClusters(asPostgres, bin);
        var directory = Path.Combine(Path.GetTempPath(), DirectoryPrefix + Environment.ProcessId);
        var data = Path.Combine(directory, "data");
        Directory.CreateDirectory(directory);
        if (asPostgres)
        {
            // initdb refuses to run as root, so the cluster belongs to the postgres user.
            Run("chown", ["postgres", directory]);
        }

        var port = LoopbackPorts.Next();
        RunServerTool(asPostgres, Path.Combine(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
        RunServerTool(asPostgres, Path.Combine(bin, "pg_ctl"),
        [
            "-D", data, "-l", Path.Combine(directory, "server.log"), "-w",
            "-o", $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off", "start",
        ]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(asPostgres, bin, data, directory);
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
    }

    private static void Stop(bool asPostgres, string bin, string data, string directory)
    {
        try
        {
            if (File.Exists(Path.Combine(data, "postmaster.pid")))
            {
                RunServerTool(asPostgres, Path.Combine(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"]);
            }

            Directory.Delete(directory, recursive: true);
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException)
        {
            Console.Error.WriteLine($"Could not remove the test PostgreSQL cluster in {directory}: {exception.Message}");
        }
    }

    /// <summary>
    /// Stops and deletes clusters left by test processes that no longer run: a test host can be ended before
    /// its exit handler finishes.
    /// </summary>
    private static void RemoveStaleClusters(bool asPostgres, string bin)
    {
        foreach (var directory in Directory.GetDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            if (!int.TryParse(Path.GetFileName(directory)[DirectoryPrefix.Length..], out var pid) || IsRunning(pid))
            {
                continue;
            }

            Stop(asPostgres, bin, Path.Combine(directory, "data"), directory);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
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
        return newest ?? throw new InvalidOperationException(
            $"The database tests need a PostgreSQL server: set {Variable} to a connection string, or install the server "
            + "binaries (Debian: apt-get install -y postgresql) so the tests can start a throwaway one. bash .ci/run does both.");
    }

    private static void RunServerTool(bool asPostgres, string tool, string[] arguments)
    {
        if (asPostgres)
        {
            Run("runuser", ["-u", "postgres", "--", tool, .. arguments]);
        }
        else
        {
            Run(tool, arguments);
        }
    }

    private static void Run(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}{output.Result}");
        }
    }
}
