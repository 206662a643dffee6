using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace JobScheduler.Benchmarks.Measurement;

/// <summary>
/// Totals of the silo's own counters on the <c>JobScheduler</c> meter, read in-process: attempts by outcome
/// (<c>jobscheduler.executions</c>), retries scheduled and dead letters. A <c>lost</c> attempt is one whose
/// shard saw no outcome before its deadline. Its retry runs after the retry interval (300 s by default),
/// usually after the run ends, so <c>duplicates</c> does not count it.
/// </summary>
public sealed class ProductCounters : IDisposable
{
    private const string MeterName = "JobScheduler";
    private const string Executions = "jobscheduler.executions";
    private const string Retries = "jobscheduler.retries";
    private const string DeadLetters = "jobscheduler.dead_letters";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _outcomes = new(StringComparer.Ordinal);
    private long _retries;
    private long _deadLetters;

    public ProductCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName && instrument.Name is Executions or Retries or DeadLetters)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Attempts that ended, by the <c>outcome</c> tag.</summary>
    public SortedDictionary<string, long> Outcomes() => new(_outcomes, StringComparer.Ordinal);

    /// <summary>Retries the job grains scheduled.</summary>
    public long RetriesScheduled => Interlocked.Read(ref _retries);

    /// <summary>Executions moved to the dead-letter list.</summary>
    public long DeadLettersRecorded => Interlocked.Read(ref _deadLetters);

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        switch (instrument.Name)
        {
            case Executions:
                var outcome = "unknown";
                foreach (var tag in tags)
                {
                    if (tag.Key == "outcome" && tag.Value is string text)
                    {
                        outcome = text;
                    }
                }

                _outcomes.AddOrUpdate(outcome, value, (_, total) => total + value);
                break;
            case Retries:
                Interlocked.Add(ref _retries, value);
                break;
            case DeadLetters:
                Interlocked.Add(ref _deadLetters, value);
                break;
        }
    }
}
