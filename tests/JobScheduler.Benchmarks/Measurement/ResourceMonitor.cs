using System.Diagnostics;
using System.Diagnostics.Tracing;

namespace JobScheduler.Benchmarks.Measurement;

/// <summary>
/// Process resources of a run: CPU time, peak RSS and GC pauses. The longest pause comes from the runtime's
/// GC events (suspension start to restart end), cross-checked with <see cref="GCMemoryInfo.PauseDurations"/>
/// sampled every 100 ms. The total comes from <see cref="GC.GetTotalPauseDuration"/>.
/// </summary>
public sealed class ResourceMonitor : IDisposable
{
    private readonly Process _process = Process.GetCurrentProcess();
    private readonly GcEventListener _listener;
    private readonly Timer _sampler;
    private readonly Lock _lock = new();
    private readonly TimeSpan _startCpu;
    private readonly TimeSpan _startPauseTotal;
    private int[] _startCollections;
    private TimeSpan _sampledMaxPause;
    private long _ignoredIndex;
    private TimeSpan _windowPauseTotal;

    /// <param name="sampleAllocations">
    /// Also listen to the GC's allocation ticks (one event per about 100 KB allocated, naming the type that
    /// crossed the mark), which costs a little CPU, to report an allocation profile by type.
    /// </param>
    public ResourceMonitor(bool sampleAllocations = false)
    {
        _listener = new GcEventListener(sampleAllocations);
        _startCpu = _process.TotalProcessorTime;
        _startPauseTotal = GC.GetTotalPauseDuration();
        _windowPauseTotal = _startPauseTotal;
        _startCollections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        _sampler = new Timer(_ => SamplePauses(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
    }

    /// <summary>CPU seconds (user and system) this process used since the monitor started.</summary>
    public double CpuSeconds()
    {
        _process.Refresh();
        return (_process.TotalProcessorTime - _startCpu).TotalSeconds;
    }

    /// <summary>CPU time this process used since it started.</summary>
    public TimeSpan ProcessCpu()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>The process's peak resident set (VmHWM on Linux), in MiB.</summary>
    public double PeakRssMb()
    {
        _process.Refresh();
        return _process.PeakWorkingSet64 / (1024.0 * 1024.0);
    }

    /// <summary>The process's resident set now, in bytes.</summary>
    public long RssBytes()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    /// <summary>The longest GC pause since the monitor started or the last <see cref="RestartGcWindow"/>, in milliseconds.</summary>
    public double GcPauseMaxMs()
    {
        SamplePauses();
        lock (_lock)
        {
            return Math.Max(_listener.MaxPause.TotalMilliseconds, _sampledMaxPause.TotalMilliseconds);
        }
    }

    /// <summary>
    /// The longest GC pause that ended between two wall times (Unix milliseconds), from the GC events. Null
    /// when no GC event reached the listener.
    /// </summary>
    public double? GcPauseMaxMs(double fromUnixMs, double toUnixMs) => _listener.MaxPauseBetween(fromUnixMs, toUnixMs)?.TotalMilliseconds;

    /// <summary>Total GC pause time since the monitor started or the last <see cref="RestartGcWindow"/>, in milliseconds.</summary>
    public double GcPauseTotalMs() => (GC.GetTotalPauseDuration() - _windowPauseTotal).TotalMilliseconds;

    /// <summary>
    /// Forgets the collections, pauses and allocations seen so far, so collections the benchmark forced
    /// itself (to measure memory) do not count as the product's.
    /// </summary>
    public void RestartGcWindow()
    {
        lock (_lock)
        {
            _ignoredIndex = new[] { GCKind.Ephemeral, GCKind.FullBlocking, GCKind.Background }.Max(kind => GC.GetGCMemoryInfo(kind).Index);
            _sampledMaxPause = TimeSpan.Zero;
            _windowPauseTotal = GC.GetTotalPauseDuration();
            _startCollections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        }

        _listener.Reset();
    }

    /// <summary>Collections of generations 0, 1 and 2 since the monitor started or the last <see cref="RestartGcWindow"/>.</summary>
    public int[] Collections() =>
        [GC.CollectionCount(0) - _startCollections[0], GC.CollectionCount(1) - _startCollections[1], GC.CollectionCount(2) - _startCollections[2]];

    /// <summary>Collections by generation and trigger, from the runtime's GCStart events, counted like <see cref="Collections"/>.</summary>
    public SortedDictionary<string, int> CollectionReasons() => _listener.Starts;

    /// <summary>The types allocated most, with their share of all sampled bytes. Empty unless allocations are sampled.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> TopAllocations(int count) => _listener.TopAllocations(count);

    /// <summary>True when the runtime's GC events reached the listener (the longest pause is then exact).</summary>
    public bool GcEventsSeen => _listener.PausesSeen > 0;

    public void Dispose()
    {
        _sampler.Dispose();
        _listener.Dispose();
    }

    /// <summary>
    /// Reads the pauses of the latest GC of each kind. A GC that another of its kind replaces between two
    /// samples is missed here, but not by the event listener.
    /// </summary>
    private void SamplePauses()
    {
        foreach (var kind in new[] { GCKind.Ephemeral, GCKind.FullBlocking, GCKind.Background })
        {
            var info = GC.GetGCMemoryInfo(kind);
            lock (_lock)
            {
                if (info.Index <= _ignoredIndex)
                {
                    continue;
                }

                foreach (var pause in info.PauseDurations)
                {
                    if (pause > _sampledMaxPause)
                    {
                        _sampledMaxPause = pause;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Listens to the runtime's GC events (keyword GC): level Informational for collections and pauses,
    /// Verbose when allocation ticks are sampled.
    /// </summary>
    private sealed class GcEventListener(bool sampleAllocations) : EventListener
    {
        private const int AllocationTick = 10;
        private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
        private const EventKeywords GcKeyword = (EventKeywords)0x1;
        private const int GCStart = 1;
        private const int RestartEEEnd = 3;
        private const int SuspendEEBegin = 9;

        private readonly Lock _lock = new();
        private readonly SortedDictionary<string, int> _starts = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _allocated = new(StringComparer.Ordinal);
        private readonly List<(double EndUnixMs, TimeSpan Pause)> _pauses = [];
        private DateTime _suspendedAt;
        private TimeSpan _maxPause;
        private int _pausesSeen;

        public TimeSpan MaxPause
        {
            get
            {
                lock (_lock)
                {
                    return _maxPause;
                }
            }
        }

        public int PausesSeen => Volatile.Read(ref _pausesSeen);

        /// <summary>Collections by generation and trigger, such as "gen2 AllocSmall".</summary>
        public SortedDictionary<string, int> Starts
        {
            get
            {
                lock (_lock)
                {
                    return new SortedDictionary<string, int>(_starts, StringComparer.Ordinal);
                }
            }
        }

        public void Reset()
        {
            lock (_lock)
            {
                _maxPause = TimeSpan.Zero;
                _pauses.Clear();
                _starts.Clear();
                _allocated.Clear();
            }
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == RuntimeSource)
            {
                EnableEvents(eventSource, sampleAllocations ? EventLevel.Verbose : EventLevel.Informational, GcKeyword);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            switch (eventData.EventId)
            {
                case AllocationTick:
                    var type = eventData.PayloadNames?.IndexOf("TypeName") is int at and >= 0 ? eventData.Payload?[at] as string : null;
                    var large = Payload(eventData, "AllocationKind") == 1 ? " (large object heap)" : "";
                    var amount = Payload(eventData, "AllocationAmount64") is var bytes and > 0 ? bytes : Payload(eventData, "AllocationAmount");
                    var name = (type ?? "unknown") + large;
                    lock (_lock)
                    {
                        _allocated[name] = _allocated.GetValueOrDefault(name) + Math.Max(0, amount);
                    }

                    break;
                case GCStart:
                    var key = $"gen{Payload(eventData, "Depth")} {ReasonName(Payload(eventData, "Reason"))}";
                    lock (_lock)
                    {
                        _starts[key] = _starts.GetValueOrDefault(key) + 1;
                    }

                    break;
                case SuspendEEBegin:
                    lock (_lock)
                    {
                        _suspendedAt = eventData.TimeStamp;
                    }

                    break;
                case RestartEEEnd:
                    lock (_lock)
                    {
                        if (_suspendedAt != default)
                        {
                            var pause = eventData.TimeStamp - _suspendedAt;
                            if (pause > _maxPause)
                            {
                                _maxPause = pause;
                            }

                            _pauses.Add((ToUnixMs(eventData.TimeStamp), pause));
                            _suspendedAt = default;
                            _pausesSeen++;
                        }
                    }

                    break;
            }
        }

        public TimeSpan? MaxPauseBetween(double fromUnixMs, double toUnixMs)
        {
            lock (_lock)
            {
                var inWindow = _pauses.Where(pause => pause.EndUnixMs >= fromUnixMs && pause.EndUnixMs <= toUnixMs).ToList();
                return _pausesSeen == 0 ? null : inWindow.Count == 0 ? TimeSpan.Zero : inWindow.Max(pause => pause.Pause);
            }
        }

        private static double ToUnixMs(DateTime time) =>
            (time.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerMillisecond;

        public IReadOnlyList<KeyValuePair<string, double>> TopAllocations(int count)
        {
            lock (_lock)
            {
                var total = (double)Math.Max(1, _allocated.Values.Sum());
                return _allocated.OrderByDescending(pair => pair.Value).Take(count)
                    .Select(pair => new KeyValuePair<string, double>(pair.Key, Math.Round(pair.Value / total, 3)))
                    .ToList();
            }
        }

        private static long Payload(EventWrittenEventArgs eventData, string name)
        {
            var index = eventData.PayloadNames?.IndexOf(name) ?? -1;
            return index >= 0 && eventData.Payload?[index] is { } value ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : -1;
        }

        // The reason values of the runtime's GCStart event (gc_reason in the runtime's gc.h).
        private static string ReasonName(long reason) => reason switch
        {
            0 => "AllocSmall",
            1 => "Induced",
            2 => "LowMemory",
            3 => "Empty",
            4 => "AllocLarge",
            5 => "OutOfSpaceSOH",
            6 => "OutOfSpaceLOH",
            7 => "InducedNotForced",
            8 => "GCStress",
            9 => "LowMemoryBlocking",
            10 => "InducedCompacting",
            11 => "LowMemoryHost",
            12 => "ProvisionalModeFull",
            13 => "LowMemoryHostBlocking",
            14 => "BgcTuningSOH",
            15 => "BgcTuningLOH",
            16 => "BgcStepping",
            17 => "InducedAggressive",
            _ => $"reason {reason}",
        };
    }
}
