using JobScheduler.Abstractions.Jobs;
using JobScheduler.Postgres.Stores;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace JobScheduler.Storage.Tests;

/// <summary>
/// Rows as a released silo wrote them must stay readable by every later one. Each fixture is a stored
/// row, frozen: change the code, never the fixture (add a new fixture for a new layout).
/// </summary>
public sealed class GoldenRowTests(SchemaDatabase database) : IClassFixture<SchemaDatabase>
{
    [Fact]
    public async Task DueIndexSnapshotV1_ReadsEveryField()
    {
        var json = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "due-index-snapshot-v1.json"));
        await using (var insert = database.DataSource.CreateCommand(
            "INSERT INTO js_due_index (shard, job_id, due_at, version, snapshot) VALUES (3, 'job_01KBJ0000000000000000000JB', '2026-12-07T08:30:00Z', 4, $1)"))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = json, NpgsqlDbType = NpgsqlDbType.Jsonb });
            await insert.ExecuteNonQueryAsync();
        }

        await using var index = new PostgresDueIndex(database.DataSource, NullLogger<PostgresDueIndex>.Instance);
        var job = Assert.Single(await index.ReadDueAsync(3, DateTimeOffset.MinValue, DateTimeOffset.MaxValue));

        Assert.Equal("job_01KBJ0000000000000000000JB", job.JobId);
        Assert.Equal("alice", job.UserId);
        Assert.Equal(4, job.Version);
        Assert.Equal(JobType.Recurring, job.Type);
        Assert.Equal("0 30 9 * * MON-FRI", job.ScheduleExpression);
        Assert.Equal("Europe/Berlin", job.TimeZone);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero), job.Anchor);
        Assert.Null(job.EndAt);
        Assert.Equal(500, job.MaxExecutions);
        Assert.Equal(TargetType.Http, job.Target.Type);
        Assert.Equal("https://reports.example/run", job.Target.Url);
        Assert.Equal("POST", job.Target.Method);
        Assert.Equal("sales", job.Target.Headers!["X-Team"]);
        Assert.Equal(45, job.Target.TimeoutSeconds);
        Assert.Equal("""{"report":"sales"}""", job.Payload);
        Assert.Equal(JobPriority.Low, job.Priority);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 8, 30, 0, TimeSpan.Zero), job.NextDue);
        Assert.Equal(12, job.FiredCount);
        Assert.Equal(60, job.MisfireThreshold);
        Assert.Equal(MisfirePolicy.Skip, job.MisfirePolicy);
    }
}
