using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using Xunit.Abstractions;

namespace JobScheduler.Recovery.Tests;

/// <summary>
/// A rolling restart step: two silos share the cluster, and the one running a 10 s attempt gets SIGTERM. It
/// hands its shards to the other silo, lets the attempt finish, and exits. The attempt succeeds once, on its
/// first try, and its lease never lapses into a retry.
/// </summary>
public sealed class GracefulDrainTests(ITestOutputHelper output)
{
    private static readonly string[] FastLeases = ["--Execution:LeaseDuration=00:00:05", "--Execution:HeartbeatInterval=00:00:01"];

    [Fact]
    public async Task SigtermMidAttempt_FinishesOnceWithoutRetry()
    {
        await using var database = new TestDatabase();
        await database.InitializeAsync();
        await using var receiver = await TargetReceiver.StartAsync();
        await using var first = await SiloProcess.StartAsync(database.ConnectionString, SiloPorts.Free(), FastLeases);
        var secondPorts = SiloPorts.Free();
        await using var second = await SiloProcess.StartAsync(database.ConnectionString, secondPorts, FastLeases);
        try
        {
            // Shards spread over both silos a few seconds after the second joins.
            await Task.Delay(TimeSpan.FromSeconds(6));
            var token = await SiloProcess.MintTokenAsync("alice");
            using var http = Client(second.Url, token);
            var jobId = await SlowJobApi.CreateAsync(http, "drain", receiver.BaseUrl + "/slow/drain");
            using var executed = await http.PostAsync($"/api/v1/jobs/{jobId}/execute", null);
            Assert.Equal(HttpStatusCode.Accepted, executed.StatusCode);
            await Eventually.HoldsAsync(() => receiver.CallsTo("/slow/drain").Count == 1, "the attempt started");

            var (running, survivor) = await OwnerOfJobAsync(database, jobId, secondPorts) ? (second, first) : (first, second);
            output.WriteLine($"The attempt runs on {running.Url}; sending it SIGTERM");
            var exitCode = await running.TerminateAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(0, exitCode);

            using var survivorHttp = Client(survivor.Url, token);
            await Eventually.HoldsAsync(async () => (await SlowJobApi.StatusesAsync(survivorHttp, jobId)).Contains("SUCCEEDED"), "the attempt succeeded", seconds: 30);
            // Longer than the 5 s lease: a lapsed lease would have been retried by now.
            await Task.Delay(TimeSpan.FromSeconds(8));

            Assert.Single(receiver.CallsTo("/slow/drain"));
            Assert.Equal(["SUCCEEDED"], await SlowJobApi.StatusesAsync(survivorHttp, jobId));
        }
        catch
        {
            output.WriteLine("First silo output:\n" + first.Output);
            output.WriteLine("Second silo output:\n" + second.Output);
            throw;
        }
    }

    /// <summary>Returns true when the job's shard was last claimed by the silo on <paramref name="ports"/>.</summary>
    private static async Task<bool> OwnerOfJobAsync(TestDatabase database, string jobId, SiloPorts ports)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT e.owner FROM js_due_index d JOIN js_shard_epochs e ON e.shard = d.shard WHERE d.job_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jobId });
        var owner = (string?)await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"Job {jobId} has no due-index row.");
        return owner.Contains($":{ports.Silo}:", StringComparison.Ordinal);
    }

    private static HttpClient Client(string url, string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return http;
    }
}
