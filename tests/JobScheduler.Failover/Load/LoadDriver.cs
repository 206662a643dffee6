using System.Collections.Concurrent;
using System.Globalization;
using JobScheduler.Failover.Hosting;

namespace JobScheduler.Failover.Load;

/// <summary>
/// The steady load: recurring jobs that run every second from <see cref="StartMs"/> for the run's duration,
/// created before it starts, plus one-time jobs at a steady rate, each created a few seconds before its
/// instant while the load runs. Every instant expected to run is registered by idempotency key.
/// </summary>
public sealed class LoadDriver(FailoverOptions options, ApiClient api, IReadOnlyList<string> users, int silos)
{
    /// <summary>How long before its instant a one-time job is created.</summary>
    private const long CreateLeadMs = 5_000;

    /// <summary>A job created less than this before its instant is not created at all (and counted).</summary>
    private const long MinLeadMs = 1_000;

    /// <summary>
    /// Concurrent creations. A create whose shard sits on a hung silo waits until that silo is declared dead, so
    /// there is room for many such waits besides the steady flow.
    /// </summary>
    private const int Concurrency = 96;

    private readonly ConcurrentDictionary<string, long> _expected = new(StringComparer.Ordinal);
    private int _createFailed;
    private int _notCreated;
    private int _created;

    /// <summary>The first instant of the load, in Unix milliseconds, on a whole second.</summary>
    public long StartMs { get; private set; }

    /// <summary>The end of the load (exclusive), in Unix milliseconds.</summary>
    public long EndMs => StartMs + options.Duration * 1000L;

    /// <summary>Every instant expected to run: idempotency key to scheduled Unix milliseconds.</summary>
    public IReadOnlyDictionary<string, long> Expected => _expected;

    /// <summary>Jobs the API did not create although every try was made.</summary>
    public int CreateFailed => Volatile.Read(ref _createFailed);

    /// <summary>One-time jobs skipped because creation fell too far behind their instant.</summary>
    public int NotCreated => Volatile.Read(ref _notCreated);

    /// <summary>Jobs created.</summary>
    public int Created => Volatile.Read(ref _created);

    /// <summary>Creates the recurring jobs and picks the start instant after them.</summary>
    public async Task CreateRecurringAsync()
    {
        var count = options.RecurringJobs;
        // Room for the creations at a conservative 100 per second (a fresh cluster on two cores), plus a margin.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        StartMs = (now + 15_000 + count * 10L + 999) / 1000 * 1000;
        var next = -1;
        async Task CreateLoopAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < count)
            {
                await CreateRecurringAsync(index);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(CreateLoopAsync)));
        if (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() > StartMs - MinLeadMs)
        {
            throw new HarnessException($"Creating {count:N0} recurring jobs overran the start of the load; lower --rate or --recurring-share.");
        }
    }

    /// <summary>Creates the one-time jobs, each shortly before its instant, until the end of the load.</summary>
    public async Task FeedOneTimeAsync()
    {
        var rate = options.OneTimeRate;
        var count = (long)rate * options.Duration;
        using var gate = new SemaphoreSlim(Concurrency);
        var running = new List<Task>();
        for (long i = 0; i < count; i++)
        {
            var due = StartMs + i * 1000 / rate;
            var wait = due - CreateLeadMs - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            if (wait > 5)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(wait));
            }

            await gate.WaitAsync();
            if (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() > due - MinLeadMs)
            {
                gate.Release();
                Interlocked.Increment(ref _notCreated);
                continue;
            }

            var index = i;
            running.Add(Task.Run(async () =>
            {
                try
                {
                    await CreateOneTimeAsync(index, due);
                }
                finally
                {
                    gate.Release();
                }
            }));
            running.RemoveAll(task => task.IsCompleted);
        }

        await Task.WhenAll(running);
    }

    private async Task CreateRecurringAsync(int index)
    {
        var body = new
        {
            name = $"failover-recurring-{index}",
            type = "RECURRING",
            scheduleExpression = "* * * * * *",
            target = new { type = "HANDLER", name = RecordingSilo.HandlerName },
            // Half a second either side, so the run covers exactly `duration` whole seconds.
            startAt = Format(StartMs - 500),
            endAt = Format(EndMs - 500),
            retryPolicy = RetryPolicy,
        };
        var jobId = await api.CreateJobAsync(UserOf(index), body, $"failover-recurring-{index}", index % silos);
        if (jobId is null)
        {
            Interlocked.Increment(ref _createFailed);
            return;
        }

        Interlocked.Increment(ref _created);
        for (var instant = StartMs; instant < EndMs; instant += 1000)
        {
            _expected[Key(jobId, instant)] = instant;
        }
    }

    private async Task CreateOneTimeAsync(long index, long due)
    {
        var body = new
        {
            name = $"failover-once-{index}",
            type = "ONE_TIME",
            scheduleExpression = Format(due),
            target = new { type = "HANDLER", name = RecordingSilo.HandlerName },
            retryPolicy = RetryPolicy,
        };
        var jobId = await api.CreateJobAsync(UserOf((int)(index % int.MaxValue)), body, $"failover-once-{index}", (int)(index % silos));
        if (jobId is null)
        {
            Interlocked.Increment(ref _createFailed);
            return;
        }

        Interlocked.Increment(ref _created);
        _expected[Key(jobId, due)] = due;
    }

    /// <summary>Fast retries, so an attempt lost with its silo is retried (and counted) within the run.</summary>
    private static object RetryPolicy => new { maxRetries = 3, retryInterval = 1, jitter = 0 };

    private string UserOf(int index) => users[index % users.Count];

    private static string Key(string jobId, long instantMs) => string.Create(CultureInfo.InvariantCulture, $"{jobId}:{instantMs}");

    private static string Format(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
