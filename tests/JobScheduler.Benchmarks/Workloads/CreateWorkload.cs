using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using JobScheduler.Benchmarks.Measurement;
using JobScheduler.Silo.Gateway.Security;
using Microsoft.Extensions.DependencyInjection;

namespace JobScheduler.Benchmarks.Workloads;

/// <summary>
/// <c>create</c>: N <c>POST /api/v1/jobs</c> requests through the real gateway (authentication, rate limit,
/// validation, grain calls) from C concurrent HTTP clients, each request with the bearer token of one of
/// U users. The jobs are one-time jobs due an hour later, so no run overlaps the measurement.
/// </summary>
public sealed class CreateWorkload(RunContext context) : Workload(context)
{
    private static readonly TimeSpan DueAfter = TimeSpan.FromHours(1);

    public override async Task<RunReport> RunAsync()
    {
        await using var silo = await StartSiloAsync();
        var auth = silo.Services.GetRequiredService<AuthSettings>();
        var now = DateTimeOffset.UtcNow;
        var tokens = Enumerable.Range(0, Options.Users)
            .Select(user => TokenIssuer.Create(auth, JobCreator.UserOf(user, Options.Users), TimeSpan.FromHours(2), now))
            .ToArray();
        var dueMs = (now + DueAfter).ToUnixTimeMilliseconds();

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Options.Concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(silo.Url), Timeout = TimeSpan.FromSeconds(30) };

        if (Options.Warmup > 0)
        {
            await Console.Error.WriteLineAsync($"create: {Options.Warmup:N0} untimed warm-up requests");
            await SendAllAsync(http, tokens, dueMs, Options.Warmup, offset: 0);
        }

        var cpu = CpuWindow.Start(Monitor);
        var timed = await SendAllAsync(http, tokens, dueMs, Options.Jobs, offset: Options.Warmup);
        var cpuUse = cpu.Stop();

        var latencies = timed.LatenciesMs.Order().ToList();
        var report = NewReport(silo, Options.Jobs, null)
            .Set("scheduleThroughput", timed.Succeeded / timed.Seconds)
            .Set("apiP50Ms", ExecutionStats.Percentile(latencies, 50))
            .Set("apiP95Ms", ExecutionStats.Percentile(latencies, 95))
            .Set("apiP99Ms", ExecutionStats.Percentile(latencies, 99))
            .Set("apiMaxMs", latencies.Count > 0 ? latencies[^1] : null)
            .Set("created", timed.Succeeded)
            .Set("failedRequests", Options.Jobs - timed.Succeeded)
            .Set("statusCounts", timed.StatusCounts)
            .Set("warmupRequests", Options.Warmup)
            .SetExecutionCpu(cpuUse);
        if (timed.FirstError is not null)
        {
            report.Note($"first failed request: {timed.FirstError}");
        }

        report.Note("lag, loss and execThroughput do not apply: the created jobs are due an hour later and the run ends first");
        return Finish(report);
    }

    private sealed record SendResult(int Succeeded, double Seconds, double[] LatenciesMs, SortedDictionary<string, int> StatusCounts, string? FirstError);

    private async Task<SendResult> SendAllAsync(HttpClient http, string[] tokens, long dueMs, int count, int offset)
    {
        var latencies = new double[count];
        var statuses = new int[count];
        var next = -1;
        string? firstError = null;
        var started = Stopwatch.GetTimestamp();

        async Task SendLoopAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < count)
            {
                var number = offset + index;
                var body = $$$"""{"name":"bench-create-{{{number}}}","type":"ONE_TIME","scheduleExpression":"{{{JobCreator.FormatInstant(dueMs)}}}","target":{"type":"HANDLER","name":"{{{RecordingHandler.Name}}}"}}""";
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs")
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[number % tokens.Length]);

                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.SendAsync(request);
                    var content = response.IsSuccessStatusCode ? null : await response.Content.ReadAsStringAsync();
                    latencies[index] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                    statuses[index] = (int)response.StatusCode;
                    if (content is not null)
                    {
                        Interlocked.CompareExchange(ref firstError, $"{(int)response.StatusCode}: {content}", null);
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    latencies[index] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                    statuses[index] = 0;
                    Interlocked.CompareExchange(ref firstError, $"{exception.GetType().Name}: {exception.Message}", null);
                }
            }
        }

        using var progress = new Timer(
            _ => Console.Error.WriteLine($"create: {Math.Min(Volatile.Read(ref next), count):N0} of {count:N0} requests sent"),
            null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        await Task.WhenAll(Enumerable.Range(0, Options.Concurrency).Select(_ => Task.Run(SendLoopAsync)));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var status in statuses)
        {
            var key = status == 0 ? "error" : status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        var succeeded = statuses.Count(status => status == 201);
        return new SendResult(succeeded, seconds, latencies, counts, firstError);
    }
}
