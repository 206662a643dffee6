using System.Text.Json;
using System.Text.Json.Serialization;
using JobScheduler.Grains.Execution;
using JobScheduler.Grains.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace JobScheduler.Postgres.Stores;

/// <summary>
/// The webhook outbox in <c>js_webhook_outbox</c>. Adds and deletes go in group-committed batches, and claims
/// skip rows another silo is claiming at the same moment.
/// </summary>
public sealed class PostgresWebhookOutbox : IWebhookOutbox, IAsyncDisposable
{
    private const int MaxBatch = 1000;

    private static readonly JsonSerializerOptions EventJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly NpgsqlDataSource _database;
    private readonly GroupCommitWriter<StoredEvent> _adds;
    private readonly GroupCommitWriter<string> _removes;

    public PostgresWebhookOutbox(NpgsqlDataSource database, ILogger<PostgresWebhookOutbox> logger)
    {
        _database = database;
        _adds = new GroupCommitWriter<StoredEvent>("webhook outbox add", MaxBatch, FlushAddsAsync, logger);
        _removes = new GroupCommitWriter<string>("webhook outbox delete", MaxBatch, FlushRemovesAsync, logger);
    }

    public ValueTask AddAsync(OutboxEvent item, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        new(_adds.WriteAsync(new StoredEvent(item, owner, leaseUntil)));

    public ValueTask RemoveAsync(string eventId, CancellationToken cancellationToken = default) =>
        new(_removes.WriteAsync(eventId));

    public async ValueTask<IReadOnlyList<OutboxEvent>> ClaimExpiredAsync(
        string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = _database.CreateCommand("""
            UPDATE js_webhook_outbox SET owner = $1, lease_until = $2
            WHERE event_id IN (
                SELECT event_id FROM js_webhook_outbox WHERE lease_until < $3
                ORDER BY lease_until, event_id LIMIT $4 FOR UPDATE SKIP LOCKED)
            RETURNING event_id, event::text, lease_until
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = owner });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Timestamps.ToUtc(leaseUntil) });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Timestamps.ToUtc(now) });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });

        var claimed = new List<OutboxEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var executionEvent = JsonSerializer.Deserialize<ExecutionEvent>(reader.GetString(1), EventJson)
                ?? throw new InvalidOperationException($"The outbox row of webhook event {reader.GetString(0)} contains no event.");
            claimed.Add(new OutboxEvent(reader.GetString(0), executionEvent));
        }

        // UPDATE ... RETURNING returns rows in no set order. Event ids start with their time, so this sorts by time.
        claimed.Sort((left, right) => string.CompareOrdinal(left.EventId, right.EventId));
        return claimed;
    }

    public async ValueTask<int> ReleaseAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = _database.CreateCommand("UPDATE js_webhook_outbox SET lease_until = $2 WHERE owner = $1 AND lease_until > $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = owner });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Timestamps.ToUtc(now) });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _adds.DisposeAsync();
        await _removes.DisposeAsync();
    }

    private async Task FlushAddsAsync(IReadOnlyList<QueuedWrite<StoredEvent>> batch, CancellationToken cancellationToken)
    {
        var rows = batch.Select(write => write.Item).DistinctBy(row => row.Item.EventId).ToList();
        await using var command = _database.CreateCommand("""
            INSERT INTO js_webhook_outbox (event_id, owner, lease_until, event)
            SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::jsonb[])
            ON CONFLICT (event_id) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(row => row.Item.EventId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(row => row.Owner).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = rows.Select(row => Timestamps.ToUtc(row.LeaseUntil)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = rows.Select(row => JsonSerializer.Serialize(row.Item.Event, EventJson)).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
        });
        await command.ExecuteNonQueryAsync(cancellationToken);
        CompleteAll(batch);
    }

    private async Task FlushRemovesAsync(IReadOnlyList<QueuedWrite<string>> batch, CancellationToken cancellationToken)
    {
        await using var command = _database.CreateCommand("DELETE FROM js_webhook_outbox WHERE event_id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = batch.Select(write => write.Item).Distinct().ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
        CompleteAll(batch);
    }

    private static void CompleteAll<TItem>(IReadOnlyList<QueuedWrite<TItem>> batch)
    {
        foreach (var write in batch)
        {
            write.Complete();
        }
    }

    private sealed record StoredEvent(OutboxEvent Item, string Owner, DateTimeOffset LeaseUntil);
}
