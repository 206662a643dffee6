using System.Diagnostics;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Benchmarks.Measurement;
using JobScheduler.Grains.Ids;

namespace JobScheduler.Benchmarks.Workloads;

/// <summary>One job to create: its owner, its definition and the instants the handler should see run.</summary>
public sealed record PlannedJob(string UserId, JobDefinition Definition, IReadOnlyList<long> ExpectedInstantsMs);

/// <summary>
/// The outcome of a creation phase: jobs created, jobs the grain rejected or failed to create, and jobs not
/// attempted because the phase's deadline passed.
/// </summary>
public sealed record CreationResult(int Created, int Failed, int NotAttempted, double Seconds, string? FirstError)
{
    /// <summary>Creations per second.</summary>
    public double Throughput => Seconds > 0 ? Created / Seconds : 0;
}

/// <summary>
/// Creates jobs through <see cref="IJobGrain.Create"/> (the path the gateway and the embedded client take)
/// with a fixed number of concurrent callers, reporting progress on standard error every 5 s.
/// </summary>
public static class JobCreator
{
    /// <summary>
    /// Creates <paramref name="count"/> jobs, where <paramref name="plan"/> returns the job of each index.
    /// Instants are registered with <paramref name="recorder"/> before their job exists and withdrawn if
    /// creation fails. Once <paramref name="stopAtUnixMs"/> passes, the remaining jobs are not attempted.
    /// </summary>
    public static async Task<CreationResult> CreateAsync(
        IGrainFactory grains, int count, int concurrency, Func<int, PlannedJob> plan, RecordingHandler? recorder,
        string label, double stopAtUnixMs = double.MaxValue)
    {
        var next = -1;
        var created = 0;
        var failed = 0;
        var notAttempted = 0;
        string? firstError = null;
        var started = Stopwatch.GetTimestamp();
        using var progress = new Timer(
            _ => Console.Error.WriteLine($"{label}: created {Volatile.Read(ref created):N0} of {count:N0} ({Volatile.Read(ref created) / Stopwatch.GetElapsedTime(started).TotalSeconds:N0}/s)"),
            null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));

        async Task CreateLoopAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < count)
            {
                if (WallClock.NowUnixMs() >= stopAtUnixMs)
                {
                    Interlocked.Increment(ref notAttempted);
                    continue;
                }

                var job = plan(index);
                var jobId = JobIds.NewJobId(DateTimeOffset.UtcNow);
                foreach (var instant in job.ExpectedInstantsMs)
                {
                    recorder?.Expect(jobId, instant);
                }

                string? error;
                try
                {
                    var result = await grains.GetGrain<IJobGrain>(jobId).Create(job.UserId, job.Definition);
                    error = result.IsSuccess ? null : $"{result.Error!.Kind}: {result.Error.Message}";
                }
                catch (Exception exception) when (exception is not OutOfMemoryException)
                {
                    error = $"{exception.GetType().Name}: {exception.Message}";
                }

                if (error is null)
                {
                    Interlocked.Increment(ref created);
                    continue;
                }

                Interlocked.Increment(ref failed);
                Interlocked.CompareExchange(ref firstError, error, null);
                foreach (var instant in job.ExpectedInstantsMs)
                {
                    recorder?.Withdraw(jobId, instant);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(CreateLoopAsync)));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (firstError is not null)
        {
            await Console.Error.WriteLineAsync($"{label}: {failed:N0} creations failed. The first error: {firstError}");
        }

        if (notAttempted > 0)
        {
            await Console.Error.WriteLineAsync($"{label}: {notAttempted:N0} jobs were not created because the first instant was less than 1 s away.");
        }

        return new CreationResult(created, failed, notAttempted, seconds, firstError);
    }

    /// <summary>The owner of job <paramref name="index"/>: jobs go round-robin over the users.</summary>
    public static string UserOf(int index, int users) => $"bench-user-{index % users}";

    /// <summary>A one-time job that runs the recording handler at <paramref name="dueUnixMs"/>.</summary>
    public static PlannedJob OneTime(int index, int users, long dueUnixMs) => new(
        UserOf(index, users),
        new JobDefinition
        {
            Name = $"bench-{index}",
            Type = JobType.OneTime,
            ScheduleExpression = FormatInstant(dueUnixMs),
            Target = HandlerTarget,
        },
        [dueUnixMs]);

    /// <summary>The target every benchmark job calls.</summary>
    public static TargetDefinition HandlerTarget { get; } = new() { Type = TargetType.Handler, Name = RecordingHandler.Name };

    /// <summary>Formats Unix milliseconds as the API's ISO-8601 instant with milliseconds.</summary>
    public static string FormatInstant(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
