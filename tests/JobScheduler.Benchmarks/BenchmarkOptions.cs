using System.Globalization;

namespace JobScheduler.Benchmarks;

/// <summary>Storage mode of the silo under test.</summary>
public enum StorageKind
{
    Memory,
    Postgres,
}

/// <summary>The command line of one benchmark run, with each workload's defaults filled in.</summary>
public sealed class BenchmarkOptions
{
    /// <summary>Environment variable read when <c>--postgres</c> is absent.</summary>
    public const string PostgresVariable = "JOBSCHEDULER_BENCH_POSTGRES";

    /// <summary>
    /// Jobs per user by default: a tenth of the default quota of 10,000. Each user's quota counter is one
    /// grain that writes its state once per create and once per completion, so fewer users serialize more.
    /// </summary>
    public const int JobsPerUser = 1000;

    public static readonly string[] Workloads = ["burst", "steady", "recurring", "create", "scale", "cold"];

    public const string Usage = """
        Usage: JobScheduler.Benchmarks --workload NAME [options]

          --workload NAME     burst, steady, recurring, create, scale or cold (required)
          --mode MODE         memory (dev-mode silo) or postgres (durable silo). Default memory
          --postgres CS       PostgreSQL connection string of a server the run may create a database on.
                              Default: the JOBSCHEDULER_BENCH_POSTGRES environment variable
          --jobs N            jobs to schedule. Default: burst 100,000, steady and scale rate x duration,
                              recurring 10,000, create 20,000, cold 50,000
          --rate R            instants per second for steady and scale. Default 10,000
          --duration S        seconds of steady, scale and recurring. Default 20 (recurring 30)
          --concurrency C     concurrent creators: HTTP clients for create (default 32), grain callers
                              otherwise (default 128)
          --registered M      recurring jobs registered far ahead before the scale run. Default 1,000,000
          --users U           users the jobs are spread over. Default: one per 1,000 jobs (create: 256).
                              The registered jobs of scale have users of their own, one per 1,000
          --lead S            seconds from the start of scheduling to the first due instant. Default: an
                              estimate of the creation time plus 5 s. The run stops if creation overruns it
          --settle S          seconds to wait after the last expected start for late duplicates. Default 2
          --warmup N          create only: untimed requests sent before the timed ones. Default 1,000
          --set KEY=VALUE     silo configuration override, such as Scheduler:MaxInFlightPerShard=4000
                              (repeatable, and every override is printed in "settings")
          --keep-database     postgres only: keep the run's database instead of dropping it
          --fail-on-loss      exit with status 3 when missing or duplicates is not 0
          --profile-allocations
                              also sample the GC's allocation ticks and report the types allocated most
        """;

    public string Workload { get; private set; } = "";

    public StorageKind Mode { get; private set; } = StorageKind.Memory;

    public string? Postgres { get; private set; }

    public int Jobs { get; private set; }

    public int Rate { get; private set; }

    public int Duration { get; private set; }

    public int Concurrency { get; private set; }

    public int Registered { get; private set; }

    public int Users { get; private set; }

    /// <summary>Seconds from the start of scheduling to the first due instant, or null for the computed default.</summary>
    public double? Lead { get; private set; }

    public double Settle { get; private set; } = 2;

    public int Warmup { get; private set; }

    public List<KeyValuePair<string, string>> Overrides { get; } = [];

    public bool KeepDatabase { get; private set; }

    public bool FailOnLoss { get; private set; }

    public bool ProfileAllocations { get; private set; }

    /// <summary>Parses the command line, or throws <see cref="UsageException"/> with the reason and the fix.</summary>
    public static BenchmarkOptions Parse(string[] args, Func<string, string?> environment)
    {
        var options = new BenchmarkOptions();
        int? jobs = null, rate = null, duration = null, concurrency = null, registered = null, users = null, warmup = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "--help" or "-h")
            {
                throw new UsageException("");
            }

            if (name is "--keep-database")
            {
                options.KeepDatabase = true;
                continue;
            }

            if (name is "--fail-on-loss")
            {
                options.FailOnLoss = true;
                continue;
            }

            if (name is "--profile-allocations")
            {
                options.ProfileAllocations = true;
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new UsageException($"The option {name} needs a value.");
            }

            var value = args[++i];
            switch (name)
            {
                case "--workload":
                    options.Workload = Workloads.Contains(value, StringComparer.Ordinal)
                        ? value
                        : throw new UsageException($"The workload '{value}' is unknown. Use one of {string.Join(", ", Workloads)}.");
                    break;
                case "--mode":
                    options.Mode = value switch
                    {
                        "memory" => StorageKind.Memory,
                        "postgres" => StorageKind.Postgres,
                        _ => throw new UsageException($"The mode '{value}' is unknown. Use memory or postgres."),
                    };
                    break;
                case "--postgres":
                    options.Postgres = value;
                    break;
                case "--jobs":
                    jobs = PositiveInt(name, value);
                    break;
                case "--rate":
                    rate = PositiveInt(name, value);
                    break;
                case "--duration":
                    duration = PositiveInt(name, value);
                    break;
                case "--concurrency":
                    concurrency = PositiveInt(name, value);
                    break;
                case "--registered":
                    registered = PositiveInt(name, value);
                    break;
                case "--users":
                    users = PositiveInt(name, value);
                    break;
                case "--warmup":
                    warmup = NonNegativeInt(name, value);
                    break;
                case "--lead":
                    options.Lead = PositiveSeconds(name, value);
                    break;
                case "--settle":
                    options.Settle = PositiveSeconds(name, value);
                    break;
                case "--set":
                    var equals = value.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0)
                    {
                        throw new UsageException($"The value '{value}' of --set is not KEY=VALUE, such as Scheduler:MaxInFlightPerShard=4000.");
                    }

                    options.Overrides.Add(new(value[..equals], value[(equals + 1)..]));
                    break;
                default:
                    throw new UsageException($"The option {name} is unknown.");
            }
        }

        if (options.Workload.Length == 0)
        {
            throw new UsageException($"The option --workload is missing. Use one of {string.Join(", ", Workloads)}.");
        }

        options.ApplyDefaults(jobs, rate, duration, concurrency, registered, users, warmup);
        options.CheckPostgres(environment);
        return options;
    }

    private void ApplyDefaults(int? jobs, int? rate, int? duration, int? concurrency, int? registered, int? users, int? warmup)
    {
        Rate = rate ?? 10_000;
        Duration = duration ?? (Workload == "recurring" ? 30 : 20);
        Jobs = jobs ?? Workload switch
        {
            "burst" => 100_000,
            "steady" or "scale" => checked(Rate * Duration),
            "recurring" => 10_000,
            "create" => 20_000,
            _ => 50_000,
        };
        if (Workload is "steady" or "scale" && jobs is not null && duration is null)
        {
            // --jobs and --rate given: the run lasts as long as the jobs take at that rate.
            Duration = Math.Max(1, (int)Math.Ceiling((double)Jobs / Rate));
        }

        Concurrency = concurrency ?? (Workload == "create" ? 32 : 128);
        Registered = Workload == "scale" ? registered ?? 1_000_000 : 0;
        Users = users ?? (Workload == "create" ? 256 : Math.Max(1, (Jobs + JobsPerUser - 1) / JobsPerUser));
        Warmup = Workload == "create" ? Math.Min(warmup ?? 1000, Jobs) : 0;

        if (Workload == "cold" && Mode != StorageKind.Postgres)
        {
            throw new UsageException("The cold workload restarts the silo and needs durable storage: add --mode postgres.");
        }
    }

    private void CheckPostgres(Func<string, string?> environment)
    {
        if (Mode != StorageKind.Postgres)
        {
            if (Postgres is not null)
            {
                throw new UsageException("--postgres is set but --mode is memory; add --mode postgres or drop --postgres.");
            }

            return;
        }

        Postgres ??= environment(PostgresVariable);
        if (string.IsNullOrWhiteSpace(Postgres))
        {
            throw new UsageException(
                $"Postgres mode needs a server: pass --postgres \"Host=127.0.0.1;Port=5432;Username=postgres\" or set {PostgresVariable}. "
                + "The run creates its own database on that server and drops it at the end. To start a throwaway server: "
                + "initdb -D /tmp/pg-bench -A trust -U postgres && pg_ctl -D /tmp/pg-bench -o \"-p 55432 -c listen_addresses=127.0.0.1 -c max_connections=300\" start");
        }
    }

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new UsageException($"The value '{value}' of {name} is not a positive whole number.");

    private static int NonNegativeInt(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new UsageException($"The value '{value}' of {name} is not a whole number of 0 or more.");

    private static double PositiveSeconds(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds < 86_400
            ? seconds
            : throw new UsageException($"The value '{value}' of {name} is not a number of seconds between 0 and 86,400.");
}

/// <summary>An invalid command line. The message gives the problem and the fix, and is empty for --help.</summary>
public sealed class UsageException(string message) : Exception(message);
