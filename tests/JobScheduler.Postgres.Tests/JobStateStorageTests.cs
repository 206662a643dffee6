using System.Text.Json;
using JobScheduler.Grains.Hosting;
using JobScheduler.Grains.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace JobScheduler.Postgres.Tests;

/// <summary>
/// Job grain state in durable mode: stored by the ADO.NET provider as JSON that every later silo version
/// must keep reading.
/// </summary>
public sealed class JobStateStorageTests(PostgresClusterFixture fixture) : IClassFixture<PostgresClusterFixture>
{
    /// <summary>A job state as the first layout stores it. Frozen: change the code, never this text.</summary>
    private const string StoredV1 = """
        {"SchemaVersion":1,"JobId":"job_01KBJ0000000000000000000JB","UserId":"alice","Status":"PAUSED",
         "CreatedAt":"2026-03-02T10:00:00.25+00:00","UpdatedAt":"2026-03-02T11:00:00+00:00","Version":3,
         "Definition":{"Name":"daily-report","Type":"RECURRING","ScheduleExpression":"0 0 * * *","TimeZone":"Europe/Berlin",
           "TargetType":"HTTP","TargetUrl":"https://reports.example/run","TargetMethod":"POST","TargetHeaders":{"X-Team":"sales"},
           "TimeoutSeconds":30,"Payload":"{\"report\":\"sales\"}","MaxRetries":3,"RetryInterval":300,"MaxRetryInterval":3600,
           "Jitter":0.1,"Priority":"HIGH","MaxExecutions":12,"MisfireThreshold":60}}
        """;

    [Fact]
    public void JobStateV1_ReadsEveryField()
    {
        var serializer = fixture.SiloServices.GetRequiredService<SystemTextJsonGrainStorageSerializer>();

        var state = serializer.Deserialize<JobState>(BinaryData.FromString(StoredV1));

        Assert.NotNull(state);
        Assert.Equal(1, state.SchemaVersion);
        Assert.Equal("job_01KBJ0000000000000000000JB", state.JobId);
        Assert.Equal("alice", state.UserId);
        Assert.Equal("PAUSED", state.Status);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 10, 0, 0, 250, TimeSpan.Zero), state.CreatedAt);
        Assert.Equal(3, state.Version);
        var definition = state.Definition!;
        Assert.Equal("daily-report", definition.Name);
        Assert.Equal("RECURRING", definition.Type);
        Assert.Equal("Europe/Berlin", definition.TimeZone);
        Assert.Equal("sales", definition.TargetHeaders!["X-Team"]);
        Assert.Equal("""{"report":"sales"}""", definition.Payload);
        Assert.Equal(0.1, definition.Jitter);
        Assert.Equal("HIGH", definition.Priority);
        Assert.Equal(12, definition.MaxExecutions);

        // Fields added after the first layout read as their defaults.
        Assert.Null(definition.MisfirePolicy);
        Assert.Null(definition.WebhookUrl);
        Assert.Null(definition.ConcurrencyPolicy);
        Assert.Equal(0, definition.JitterSeconds);
        Assert.Null(state.TraceParent);
    }

    [Fact]
    public async Task JobState_RoundTripsThroughPostgres()
    {
        var storage = fixture.SiloServices.GetRequiredKeyedService<IGrainStorage>(StorageNames.Jobs);
        var grainId = GrainId.Create("job", "job_01KBJ0000000000000000000RT");
        var state = JsonSerializer.Deserialize<JobState>(StoredV1)!;
        state.JobId = "job_01KBJ0000000000000000000RT";

        await storage.WriteStateAsync("job", grainId, new GrainState<JobState>(state));
        var read = new GrainState<JobState>();
        await storage.ReadStateAsync("job", grainId, read);
        var json = await fixture.Database.ScalarAsync<string>(
            "SELECT convert_from(payload, 'UTF8') FROM orleans_grain_state WHERE state_name = 'job' AND key_string = @k",
            ("k", "job_01KBJ0000000000000000000RT"));

        Assert.True(read.RecordExists);
        var stored = read.State!;
        Assert.Equal("job_01KBJ0000000000000000000RT", stored.JobId);
        Assert.Equal("PAUSED", stored.Status);
        Assert.Equal("https://reports.example/run", stored.Definition!.TargetUrl);
        using var document = JsonDocument.Parse(json!);
        Assert.Equal("RECURRING", document.RootElement.GetProperty("Definition").GetProperty("Type").GetString());
    }
}
