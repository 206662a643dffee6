using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace JobScheduler.Recovery.Tests;

/// <summary>
/// Durable mode across a crash: a silo on PostgreSQL is SIGKILLed and a new one started 5 s later on the
/// same database. Nothing scheduled is lost, missed instants follow each job's misfire threshold, and the
/// history written before the kill is still there.
/// </summary>
public sealed class RestartRecoveryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Downtime = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task SiloKilledAndRestarted_LosesNothing()
    {
        await using var database = new TestDatabase();
        await database.InitializeAsync();
        await using var receiver = await TargetReceiver.StartAsync();
        var ports = SiloPorts.Free();

        var first = await SiloProcess.StartAsync(database.ConnectionString, ports);
        using var http = new HttpClient { BaseAddress = new Uri(first.Url), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", await SiloProcess.MintTokenAsync("alice"));
        var now = DateTimeOffset.UtcNow;
        var strict = await CreateAsync(http, RecurringBody("strict", receiver.BaseUrl + "/ok/strict", misfireThreshold: 2));
        var lenient = await CreateAsync(http, RecurringBody("lenient", receiver.BaseUrl + "/ok/lenient", misfireThreshold: null));
        var dueLater = now.AddSeconds(20);
        var later = await CreateAsync(http, OneTimeBody("later", receiver.BaseUrl + "/ok/later", dueLater));
        var dueDuringOutage = now.AddSeconds(6);
        var outage = await CreateAsync(http, OneTimeBody("outage", receiver.BaseUrl + "/ok/outage", dueDuringOutage));

        await Eventually.HoldsAsync(() => receiver.CallsTo("/ok/lenient").Count >= 3, "three runs before the kill");
        var historyBeforeKill = await HistoryAsync(http, lenient);
        await first.KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        output.WriteLine($"Killed the first silo at {killedAt:O}");

        await Task.Delay(Downtime);
        await using var second = await SiloProcess.StartAsync(database.ConnectionString, ports);
        output.WriteLine($"Second silo ready at {DateTimeOffset.UtcNow:O}");
        try
        {
            await Eventually.HoldsAsync(() => receiver.CallsTo("/ok/later").Count >= 1, "the one-time job due after the restart", seconds: 40);
            await Eventually.HoldsAsync(() => receiver.CallsTo("/ok/outage").Count >= 1, "the one-time job due during the outage", seconds: 10);
            await Task.Delay(2000);

            // One-time jobs ran exactly once, at their own instants.
            Assert.Equal([$"{later}:{dueLater.ToUnixTimeMilliseconds()}"], Keys(receiver, "/ok/later"));
            Assert.Equal([$"{outage}:{dueDuringOutage.ToUnixTimeMilliseconds()}"], Keys(receiver, "/ok/outage"));

            AssertEveryInstantRanOnce(receiver, lenient);
            await AssertOneCatchUpAsync(http, receiver, strict, killedAt);

            // The history written before the kill is complete.
            var historyAfter = (await HistoryAsync(http, lenient)).ToDictionary(e => e.GetProperty("executionId").GetString()!);
            foreach (var execution in historyBeforeKill.Where(e => e.GetProperty("status").GetString() == "SUCCEEDED"))
            {
                var id = execution.GetProperty("executionId").GetString()!;
                Assert.True(historyAfter.ContainsKey(id), $"Execution {id} recorded before the kill is missing.");
                Assert.Equal("SUCCEEDED", historyAfter[id].GetProperty("status").GetString());
            }

            // Every job is still readable by id.
            foreach (var jobId in new[] { strict, lenient, later, outage })
            {
                using var response = await http.GetAsync($"/api/v1/jobs/{jobId}");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
        catch
        {
            output.WriteLine("First silo output:\n" + first.Output);
            output.WriteLine("Second silo output:\n" + second.Output);
            throw;
        }
    }

    /// <summary>
    /// With the default 60 s threshold the outage only made instants late: every second from the first run
    /// to the last ran, each exactly once (the instant in flight at the kill may run twice: at least once).
    /// </summary>
    private static void AssertEveryInstantRanOnce(TargetReceiver receiver, string jobId)
    {
        var instants = Instants(receiver, "/ok/lenient", jobId);
        var distinct = instants.Distinct().Order().ToList();
        var expected = Enumerable.Range(0, (int)((distinct[^1] - distinct[0]) / 1000) + 1).Select(i => distinct[0] + (i * 1000L)).ToList();
        Assert.Equal(expected, distinct);
        Assert.True(instants.Count - distinct.Count <= 1, $"{instants.Count - distinct.Count} instants ran more than once.");
    }

    /// <summary>
    /// With a 2 s threshold the instants missed during the outage collapse into one catch-up run keyed at
    /// the latest missed instant, then the job resumes its cadence. So after the last instant run before the
    /// kill, some instants are skipped, and the runs after the gap are consecutive seconds whose first one,
    /// the catch-up, started more than the threshold after its instant. The runs after it may be late by up
    /// to the threshold plus dispatch time, so only the first is checked for lag.
    /// </summary>
    private static async Task AssertOneCatchUpAsync(HttpClient http, TargetReceiver receiver, string jobId, DateTimeOffset killedAt)
    {
        var instants = Instants(receiver, "/ok/strict", jobId).Distinct().Order().ToList();
        var lastBeforeKill = instants.Where(ms => ms < killedAt.ToUnixTimeMilliseconds()).Max();
        var after = instants.Where(ms => ms > lastBeforeKill).ToList();

        var skipped = ((after[0] - lastBeforeKill) / 1000) - 1;
        Assert.True(skipped >= 2, $"Expected missed instants to be skipped after {lastBeforeKill}, but the next run was {after[0]}.");
        Assert.True(after.Count >= 3, "The job did not resume its cadence after the catch-up.");
        Assert.Equal(Enumerable.Repeat(1000L, after.Count - 1).ToList(), after.Zip(after.Skip(1), (a, b) => b - a).ToList());

        var history = await HistoryAsync(http, jobId, limit: 200);
        var catchUp = history.Single(e => DateTimeOffset.Parse(e.GetProperty("scheduledAt").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() == after[0]);
        Assert.True(Lag(catchUp) > TimeSpan.FromSeconds(2), $"The first run after the outage is not a catch-up run: lag {Lag(catchUp)}.");
    }

    private static TimeSpan Lag(JsonElement execution) =>
        DateTimeOffset.Parse(execution.GetProperty("startedAt").GetString()!, CultureInfo.InvariantCulture)
        - DateTimeOffset.Parse(execution.GetProperty("scheduledAt").GetString()!, CultureInfo.InvariantCulture);

    private static List<string> Keys(TargetReceiver receiver, string path) =>
        receiver.CallsTo(path).Select(c => c.Header("Idempotency-Key")).ToList();

    private static List<long> Instants(TargetReceiver receiver, string path, string jobId) =>
        Keys(receiver, path).Select(key => long.Parse(key[(jobId.Length + 1)..], CultureInfo.InvariantCulture)).ToList();

    private static async Task<List<JsonElement>> HistoryAsync(HttpClient http, string jobId, int limit = 500)
    {
        var page = await http.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{jobId}/executions?limit={limit}");
        return page.GetProperty("items").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static async Task<string> CreateAsync(HttpClient http, string body)
    {
        using var response = await http.PostAsync("/api/v1/jobs", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("jobId").GetString()!;
    }

    private static string RecurringBody(string name, string url, int? misfireThreshold) => JsonSerializer.Serialize(new
    {
        name,
        type = "RECURRING",
        scheduleExpression = "*/1 * * * * *",
        target = new { type = "HTTP", url },
        misfireThreshold,
    });

    private static string OneTimeBody(string name, string url, DateTimeOffset due) => JsonSerializer.Serialize(new
    {
        name,
        type = "ONE_TIME",
        scheduleExpression = due.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        target = new { type = "HTTP", url },
    });
}
