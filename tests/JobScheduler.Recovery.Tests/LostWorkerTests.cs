using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace JobScheduler.Recovery.Tests;

/// <summary>
/// A silo dies while an attempt runs on it (scheduling case BH-25): the attempt must not stay RUNNING
/// forever. Its lease lapses on the shard's new activation, the attempt is recorded FAILED (worker lost)
/// and retried exactly once under the same idempotency key.
/// </summary>
public sealed class LostWorkerTests(ITestOutputHelper output)
{
    private static readonly string[] FastLeases = ["--Execution:LeaseDuration=00:00:05", "--Execution:HeartbeatInterval=00:00:01"];

    [Fact]
    public async Task SiloKilledMidAttempt_RetriesOnceWithinLease()
    {
        await using var database = new TestDatabase();
        await database.InitializeAsync();
        await using var receiver = await TargetReceiver.StartAsync();
        var ports = SiloPorts.Free();
        var first = await SiloProcess.StartAsync(database.ConnectionString, ports, FastLeases);
        using var http = new HttpClient { BaseAddress = new Uri(first.Url), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", await SiloProcess.MintTokenAsync("alice"));

        var jobId = await SlowJobApi.CreateAsync(http, "lease", receiver.BaseUrl + "/slow/lease");
        using var executed = await http.PostAsync($"/api/v1/jobs/{jobId}/execute", null);
        var executionId = JsonDocument.Parse(await executed.Content.ReadAsStringAsync()).RootElement.GetProperty("executionId").GetString()!;
        await Eventually.HoldsAsync(() => receiver.CallsTo("/slow/lease").Count == 1, "first attempt started");
        await first.KillAsync();

        await using var second = await SiloProcess.StartAsync(database.ConnectionString, ports, FastLeases);
        try
        {
            await Eventually.HoldsAsync(() => receiver.CallsTo("/slow/lease").Count == 2, "the lost attempt was retried", seconds: 40);
            await Eventually.HoldsAsync(async () => (await SlowJobApi.StatusesAsync(http, jobId)).Contains("SUCCEEDED"), "the retry succeeded", seconds: 30);
            await Task.Delay(2000);

            var calls = receiver.CallsTo("/slow/lease");
            Assert.Equal(2, calls.Count);
            Assert.Equal(["1", "2"], calls.Select(c => c.Header("JobScheduler-Attempt")).ToList());
            Assert.Equal(calls[0].Header("Idempotency-Key"), calls[1].Header("Idempotency-Key"));
            var lost = await http.GetFromJsonAsync<JsonElement>($"/api/v1/executions/{executionId}");
            Assert.Equal("FAILED", lost.GetProperty("status").GetString());
            Assert.Contains("worker running this attempt was lost", lost.GetProperty("error").GetString());
            Assert.Equal(["SUCCEEDED", "FAILED"], await SlowJobApi.StatusesAsync(http, jobId));
        }
        catch
        {
            output.WriteLine("First silo output:\n" + first.Output);
            output.WriteLine("Second silo output:\n" + second.Output);
            throw;
        }
    }
}
