using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace JobScheduler.Postgres.Stores;

/// <summary>One queued write and the task its caller awaits until the batch that carries it commits.</summary>
internal sealed class QueuedWrite<TItem>(TItem item)
{
    private readonly TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TItem Item { get; } = item;

    public Task Committed => _committed.Task;

    public void Complete() => _committed.TrySetResult();

    public void Fail(Exception exception) => _committed.TrySetException(exception);
}

/// <summary>
/// Group commit: writes queue up while one batch is in flight and go to PostgreSQL together in the next,
/// so the per-write cost of a round trip and an fsync is shared by every write in the batch. A caller's
/// task completes only after its batch commits; nothing is reported as recorded before that.
/// </summary>
internal sealed partial class GroupCommitWriter<TItem> : IAsyncDisposable
{
    private readonly Channel<QueuedWrite<TItem>> _queue = Channel.CreateUnbounded<QueuedWrite<TItem>>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<IReadOnlyList<QueuedWrite<TItem>>, CancellationToken, Task> _flush;
    private readonly int _maxBatch;
    private readonly string _name;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    /// <summary>Starts the writer; <paramref name="flush"/> writes one batch and completes or fails each write in it.</summary>
    public GroupCommitWriter(string name, int maxBatch, Func<IReadOnlyList<QueuedWrite<TItem>>, CancellationToken, Task> flush, ILogger logger)
    {
        _name = name;
        _maxBatch = maxBatch;
        _flush = flush;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues a write; the task completes when its batch commits.</summary>
    public Task WriteAsync(TItem item)
    {
        var write = new QueuedWrite<TItem>(item);
        if (!_queue.Writer.TryWrite(write))
        {
            write.Fail(new ObjectDisposedException(_name, "The writer is stopping; the write was not queued."));
        }

        return write.Committed;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        var batch = new List<QueuedWrite<TItem>>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            await FlushAsync(batch);
        }
    }

    private async Task FlushAsync(List<QueuedWrite<TItem>> batch)
    {
        try
        {
            await _flush(batch, _stopping.Token);
        }
        catch (Exception exception)
        {
            LogBatchFailed(_logger, exception, _name, batch.Count);
            foreach (var write in batch)
            {
                write.Fail(exception);
            }
        }
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Error, Message = "A batch of {Count} {Writer} writes failed; callers see the error")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, string writer, int count);
}
