using System.Globalization;

namespace JobScheduler.Failover;

/// <summary>The harness's command line, with defaults filled in.</summary>
public sealed class FailoverOptions
{
    public static readonly string[] Scenarios = ["kill", "hang", "pg-restart", "rolling"];

    public const string Usage = """
        Usage: JobScheduler.Failover --scenario kill|hang|pg-restart|rolling [options]

          --scenario NAME      kill: SIGKILL one silo; hang: SIGSTOP one silo, SIGCONT it after --hang seconds;
                               pg-restart: stop PostgreSQL and start it again; rolling: SIGTERM each silo in
                               turn and start it again once it has exited (required)
          --rate R             instants per second across the cluster. Default 2,000
          --duration S         seconds of load. Default 60
          --postgres CS        connection string of a PostgreSQL server the harness may create a database
                               on. Default: a throwaway cluster of its own, started with initdb. pg-restart
                               needs that cluster, because it restarts the server
          --recurring-share F  share of the rate from recurring jobs that run every second; the rest are
                               one-time jobs created while the load runs. Default 0.75
          --fault-at S         seconds into the load when the fault starts. Default a third of --duration
          --hang S             hang only: seconds between SIGSTOP and SIGCONT. Default 30
          --users U            users the jobs are spread over. Default 32
          --settle S           seconds to wait after the last fault for late retries and duplicates. Default 45,
                               longer than the default 30 s lease, so a retry of a lost attempt is counted
          --set KEY=VALUE      silo configuration override (repeatable), printed in "settings"
          --keep-logs          keep the silo logs directory instead of deleting it
          --fail-on-loss       exit with status 3 when an instant is missing or ran twice for a reason the
                               scenario does not allow (kill and hang allow only attempts in flight on the
                               faulted silo; pg-restart and rolling allow none)
        """;

    public string Scenario { get; private set; } = "";

    public int Rate { get; private set; } = 2000;

    public int Duration { get; private set; } = 60;

    public string? Postgres { get; private set; }

    public double RecurringShare { get; private set; } = 0.75;

    public double FaultAt { get; private set; } = double.NaN;

    public int HangSeconds { get; private set; } = 30;

    public int Users { get; private set; } = 32;

    public int Settle { get; private set; } = 45;

    public bool KeepLogs { get; private set; }

    public bool FailOnLoss { get; private set; }

    public List<KeyValuePair<string, string>> Overrides { get; } = [];

    /// <summary>Recurring jobs, each due every second.</summary>
    public int RecurringJobs => (int)Math.Round(Rate * RecurringShare);

    /// <summary>One-time instants per second.</summary>
    public int OneTimeRate => Rate - RecurringJobs;

    /// <summary>Parses the arguments; throws <see cref="UsageException"/> with a message, or an empty one for --help.</summary>
    public static FailoverOptions Parse(string[] args)
    {
        var options = new FailoverOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{name} needs a value.");
            switch (name)
            {
                case "--help" or "-h":
                    throw new UsageException("");
                case "--scenario":
                    options.Scenario = Value();
                    break;
                case "--rate":
                    options.Rate = PositiveInt(name, Value());
                    break;
                case "--duration":
                    options.Duration = PositiveInt(name, Value());
                    break;
                case "--postgres":
                    options.Postgres = Value();
                    break;
                case "--recurring-share":
                    options.RecurringShare = Fraction(name, Value());
                    break;
                case "--fault-at":
                    options.FaultAt = PositiveInt(name, Value());
                    break;
                case "--hang":
                    options.HangSeconds = PositiveInt(name, Value());
                    break;
                case "--users":
                    options.Users = PositiveInt(name, Value());
                    break;
                case "--settle":
                    options.Settle = PositiveInt(name, Value());
                    break;
                case "--set":
                    options.Overrides.Add(Setting(Value()));
                    break;
                case "--keep-logs":
                    options.KeepLogs = true;
                    break;
                case "--fail-on-loss":
                    options.FailOnLoss = true;
                    break;
                default:
                    throw new UsageException($"Unknown option {name}.");
            }
        }

        if (!Scenarios.Contains(options.Scenario))
        {
            throw new UsageException($"--scenario must be one of {string.Join(", ", Scenarios)}; it was '{options.Scenario}'.");
        }

        if (double.IsNaN(options.FaultAt))
        {
            options.FaultAt = options.Duration / 3.0;
        }

        if (options.FaultAt >= options.Duration)
        {
            throw new UsageException($"--fault-at ({options.FaultAt}) must be less than --duration ({options.Duration}).");
        }

        return options;
    }

    private static int PositiveInt(string name, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new UsageException($"{name} must be a positive whole number; it was '{text}'.");

    private static double Fraction(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1
            ? value
            : throw new UsageException($"{name} must be a number from 0 to 1; it was '{text}'.");

    private static KeyValuePair<string, string> Setting(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals > 0
            ? new KeyValuePair<string, string>(text[..equals], text[(equals + 1)..])
            : throw new UsageException($"--set needs KEY=VALUE; it was '{text}'.");
    }
}

/// <summary>The command line is invalid; the message names the option and the reason.</summary>
public sealed class UsageException(string message) : Exception(message);
