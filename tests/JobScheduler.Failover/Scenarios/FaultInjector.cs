using JobScheduler.Failover.Hosting;

namespace JobScheduler.Failover.Scenarios;

/// <summary>Performs a scenario's fault on the cluster and records when each step happened.</summary>
public sealed class FaultInjector(FailoverOptions options, IReadOnlyList<SiloNode> silos, ThrowawayPostgres? postgres)
{
    /// <summary>The silo the kill and hang scenarios fault: the first one started.</summary>
    public const int Victim = 0;

    /// <summary>How long a SIGTERMed silo may take to drain and exit before it is killed.</summary>
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Pause after a restarted silo is ready, so shards rebalance before the next silo stops.</summary>
    private static readonly TimeSpan RollingPause = TimeSpan.FromSeconds(5);

    public List<Fault> Faults { get; } = [];

    /// <summary>Runs the scenario's fault; returns once it is over (the faulted silo or server is back, or dead for good).</summary>
    public Task RunAsync() => options.Scenario switch
    {
        "kill" => KillAsync(),
        "hang" => HangAsync(),
        "pg-restart" => RestartPostgresAsync(),
        "rolling" => RollingRestartAsync(),
        _ => throw new HarnessException($"Unknown scenario {options.Scenario}."),
    };

    private async Task KillAsync()
    {
        var fault = Record("SIGKILL", Victim);
        silos[Victim].Signal(Signals.Kill);
        await silos[Victim].WaitForExitAsync(ExitTimeout);
        fault.EndMs = Now();
    }

    private async Task HangAsync()
    {
        var fault = Record("SIGSTOP", Victim);
        silos[Victim].Signal(Signals.Stop);
        await Task.Delay(TimeSpan.FromSeconds(options.HangSeconds));
        silos[Victim].Signal(Signals.Continue);
        fault.EndMs = Now();
        Log($"SIGCONT sent to silo {Victim}");
    }

    private async Task RestartPostgresAsync()
    {
        var server = postgres ?? throw new HarnessException("pg-restart needs the harness's own PostgreSQL; omit --postgres.");
        var fault = Record("restart", null);
        await server.RestartAsync(TimeSpan.Zero);
        fault.EndMs = Now();
        Log("PostgreSQL is back");
    }

    private async Task RollingRestartAsync()
    {
        foreach (var silo in silos)
        {
            var fault = Record("SIGTERM and restart", silo.Index);
            silo.Signal(Signals.Terminate);
            var exitCode = await silo.WaitForExitAsync(ExitTimeout);
            Log($"silo {silo.Index} exited with code {exitCode} after {Now() - fault.StartMs} ms; starting it again");
            await silo.StartAsync();
            fault.EndMs = Now();
            Log($"silo {silo.Index} is ready again");
            await Task.Delay(RollingPause);
        }
    }

    private Fault Record(string kind, int? silo)
    {
        var fault = new Fault(kind, silo, Now());
        Faults.Add(fault);
        Log(silo is { } index ? $"{kind}: silo {index}" : $"{kind}: PostgreSQL");
        return fault;
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static void Log(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss.fff}] {message}");
}
