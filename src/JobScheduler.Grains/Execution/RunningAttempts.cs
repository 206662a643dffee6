using System.Collections.Concurrent;
using JobScheduler.Abstractions.Grains;

namespace JobScheduler.Grains.Execution;

/// <summary>The attempts running on this silo, for cancel requests.</summary>
internal sealed class RunningAttempts
{
    private readonly ConcurrentDictionary<string, Running> _byExecution = new(StringComparer.Ordinal);

    /// <summary>Attempts running now.</summary>
    public int Count => _byExecution.Count;

    /// <summary>Registers an attempt for as long as the result is not disposed.</summary>
    public Running Start(AttemptRequest attempt)
    {
        var running = new Running(this, attempt);
        _byExecution[attempt.ExecutionId] = running;
        return running;
    }

    /// <summary>Cancels a running attempt; false when it does not run here.</summary>
    public bool Cancel(string executionId, string reason)
    {
        if (!_byExecution.TryGetValue(executionId, out var running))
        {
            return false;
        }

        running.RequestCancel(reason);
        return true;
    }

    /// <summary>One running attempt and its cancel request.</summary>
    public sealed class Running(RunningAttempts owner, AttemptRequest attempt) : IDisposable
    {
        private readonly CancellationTokenSource _cancel = new();
        private string? _reason;

        public AttemptRequest Attempt { get; } = attempt;

        public CancellationToken Cancellation => _cancel.Token;

        /// <summary>Why the attempt was cancelled on request, or null.</summary>
        public string? CancelReason => Volatile.Read(ref _reason);

        public void RequestCancel(string reason)
        {
            Interlocked.CompareExchange(ref _reason, reason, null);
            _cancel.Cancel();
        }

        public void Dispose()
        {
            owner._byExecution.TryRemove(new KeyValuePair<string, Running>(Attempt.ExecutionId, this));
            _cancel.Dispose();
        }
    }
}
