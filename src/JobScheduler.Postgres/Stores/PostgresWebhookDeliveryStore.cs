using JobScheduler.Grains.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace JobScheduler.Postgres.Stores;

/// <summary>
/// The webhook delivery log in <c>js_webhook_deliveries</c>, written in group-committed batches (an add
/// completes when its batch commits) and listed per job by delivery id, newest first.
/// </summary>
public sealed class PostgresWebhookDeliveryStore : IWebhookDeliveryStore, IAsyncDisposable
{
    private const int MaxBatch = 1000;

    /// <summary>Rows deleted per statement by <see cref="DeleteStartedBeforeAsync"/>, so no statement holds locks for long.</summary>
    private const int DeleteBatch = 10_000;

    private const string Columns =
        "delivery_id, event_id, event_type, job_id, user_id, execution_id, url, attempt, status_code, error, succeeded, started_at, finished_at, duration_ms";

    private readonly NpgsqlDataSource _database;
    private readonly GroupCommitWriter<WebhookDelivery> _writer;

    public PostgresWebhookDeliveryStore(NpgsqlDataSource database, ILogger<PostgresWebhookDeliveryStore> logger)
    {
        _database = database;
        _writer = new GroupCommitWriter<WebhookDelivery>("webhook delivery", MaxBatch, FlushAsync, logger);
    }

    public ValueTask AddAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default) =>
        new(_writer.WriteAsync(delivery));

    public async ValueTask<WebhookDeliveryPage> ListByJobAsync(string jobId, int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        await using var command = _database.CreateCommand($"""
            SELECT {Columns} FROM js_webhook_deliveries
            WHERE job_id = $1 AND ($2::text IS NULL OR delivery_id < $2)
            ORDER BY delivery_id DESC LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jobId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)cursor ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });

        var items = new List<WebhookDelivery>(Math.Min(limit + 1, 64));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(Read(reader));
        }

        if (items.Count <= limit)
        {
            return new WebhookDeliveryPage(items, null);
        }

        items.RemoveAt(limit);
        return new WebhookDeliveryPage(items, items[^1].DeliveryId);
    }

    public async ValueTask<long> DeleteStartedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        long deleted = 0;
        int batch;
        do
        {
            await using var command = _database.CreateCommand("""
                DELETE FROM js_webhook_deliveries WHERE delivery_id IN (
                    SELECT delivery_id FROM js_webhook_deliveries WHERE started_at < $1 LIMIT $2)
                """);
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Timestamps.ToUtc(cutoff) });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = DeleteBatch });
            batch = await command.ExecuteNonQueryAsync(cancellationToken);
            deleted += batch;
        }
        while (batch == DeleteBatch);

        return deleted;
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    private async Task FlushAsync(IReadOnlyList<QueuedWrite<WebhookDelivery>> batch, CancellationToken cancellationToken)
    {
        var rows = batch.Select(write => write.Item).DistinctBy(delivery => delivery.DeliveryId).ToList();
        await using var command = _database.CreateCommand($"""
            INSERT INTO js_webhook_deliveries ({Columns})
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                $8::integer[], $9::integer[], $10::text[], $11::boolean[], $12::timestamptz[], $13::timestamptz[], $14::bigint[])
            ON CONFLICT (delivery_id) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.DeliveryId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.EventId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.EventType).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.JobId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.UserId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.ExecutionId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.Url).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = rows.Select(r => r.AttemptNumber).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<int?[]> { TypedValue = rows.Select(r => r.StatusCode).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = rows.Select(r => r.Error).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<bool[]> { TypedValue = rows.Select(r => r.Succeeded).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = rows.Select(r => Timestamps.ToUtc(r.StartedAt)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = rows.Select(r => Timestamps.ToUtc(r.FinishedAt)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = rows.Select(r => r.DurationMs).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);

        foreach (var write in batch)
        {
            write.Complete();
        }
    }

    private static WebhookDelivery Read(NpgsqlDataReader reader) => new()
    {
        DeliveryId = reader.GetString(0),
        EventId = reader.GetString(1),
        EventType = reader.GetString(2),
        JobId = reader.GetString(3),
        UserId = reader.GetString(4),
        ExecutionId = reader.GetString(5),
        Url = reader.GetString(6),
        AttemptNumber = reader.GetInt32(7),
        StatusCode = reader.IsDBNull(8) ? null : reader.GetInt32(8),
        Error = reader.IsDBNull(9) ? null : reader.GetString(9),
        Succeeded = reader.GetBoolean(10),
        StartedAt = Timestamps.FromUtc(reader.GetDateTime(11)),
        FinishedAt = Timestamps.FromUtc(reader.GetDateTime(12)),
        DurationMs = reader.GetInt64(13),
    };
}
