using Microsoft.Extensions.DependencyInjection;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Execution;
using JobScheduler.Grains.Hosting;
using JobScheduler.Grains.Storage;
using JobScheduler.Grains.Telemetry;
using JobScheduler.Grains.Users;
using JobScheduler.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobScheduler.Grains.Shards;

/// <summary>
/// A shard of the schedule. Keeps the instants due within <see cref="SchedulerOptions.WheelHorizon"/> in a
/// timing wheel; rows further ahead stay in the due-index and cost no memory. Each fire computes the
/// job's next instant from the snapshot it holds, so an ordinary fire never activates the job grain.
/// </summary>
public sealed partial class SchedulerShardGrain : Grain, ISchedulerShardGrain, IRemindable
{
    private const string BackstopReminder = "shard-backstop";
    private static readonly TimeSpan WheelTick = TimeSpan.FromMilliseconds(1);

    private readonly IDueIndex _dueIndex;
    private readonly IJobIndex _jobIndex;
    private readonly QuotaReleases _quota;
    private readonly IExecutionStore _history;
    private readonly ShardClock _clock;
    private readonly TimeProvider _time;
    private readonly SchedulerOptions _options;
    private readonly ExecutionOptions _execution;
    private readonly IExecutionEvents _events;
    private readonly JobSchedulerMetrics _metrics;
    private readonly ILogger<SchedulerShardGrain> _logger;
    private readonly Dictionary<string, LoadedJob> _loaded = new(StringComparer.Ordinal);
    private readonly List<WheelEntry> _drained = [];

    private TimingWheel<WheelEntry> _wheel = null!;
    private ShardClock.Registration? _registration;
    private DateTimeOffset _loadedUntil;
    private int _shard;
    private long _epoch;

    public SchedulerShardGrain(
        IDueIndex dueIndex,
        IJobIndex jobIndex,
        QuotaReleases quota,
        IExecutionStore history,
        ShardClock clock,
        [FromKeyedServices(SchedulerTime.Key)] TimeProvider time,
        IOptions<SchedulerOptions> options,
        IOptions<ExecutionOptions> execution,
        IExecutionEvents events,
        JobSchedulerMetrics metrics,
        ILogger<SchedulerShardGrain> logger)
    {
        _dueIndex = dueIndex;
        _jobIndex = jobIndex;
        _quota = quota;
        _history = history;
        _clock = clock;
        _time = time;
        _options = options.Value;
        _execution = execution.Value;
        _events = events;
        _metrics = metrics;
        _logger = logger;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _shard = (int)this.GetPrimaryKeyLong();
        _epoch = await _dueIndex.ClaimShardAsync(_shard, RuntimeIdentity, cancellationToken);
        var now = _time.GetUtcNow();
        _wheel = new TimingWheel<WheelEntry>(WheelTick, 4096, now);

        // Load every row due before the horizon, overdue ones included: they fire on the first tick.
        _loadedUntil = DateTimeOffset.MinValue;
        var loaded = await LoadHorizonAsync(now, cancellationToken);

        this.RegisterGrainTimer(MaintainAsync, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.FromSeconds(1),
            Period = TimeSpan.FromSeconds(1),
            KeepAlive = true,
            Interleave = false,
        });
        await this.RegisterOrUpdateReminder(BackstopReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

        _registration = _clock.Register(_shard, this.AsReference<ISchedulerShardGrain>());
        UpdateNextTick();
        LogShardActivated(_logger, _shard, _epoch, loaded, RuntimeIdentity);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _registration?.Dispose();
        _metrics.ForgetShard(_shard);
        LogShardDeactivated(_logger, _shard, reason.Description, _inFlight.Count);

        // A completion batch in flight finishes, so its released quota is not released again by the next activation.
        await _completing.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);
    }

    public Task Ping() => Task.CompletedTask;

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    public async Task Upsert(ShardJob job)
    {
        if (IsRepeatedUpsert(job))
        {
            LogRepeatedUpsertIgnored(_logger, job.JobId, job.Version, _shard);
            return;
        }

        await WriteForCallAsync(_dueIndex.UpsertAsync(_shard, _epoch, job));
        if (IsRepeatedUpsert(job))
        {
            return;
        }

        _loaded.Remove(job.JobId);
        if (job.NextDue < _loadedUntil)
        {
            Load(job);
        }

        UpdateNextTick();
    }

    public async Task EnsureScheduled(ShardJob job)
    {
        if (IsRepeatedUpsert(job) || await _dueIndex.ReadJobAsync(_shard, job.JobId) is not null)
        {
            return;
        }

        LogMissingRowScheduled(_logger, job.JobId, job.Version, _shard);
        await Upsert(job);
    }

    public async Task Remove(string jobId, long version)
    {
        if (_loaded.TryGetValue(jobId, out var current) && current.Job.Version <= version)
        {
            _loaded.Remove(jobId);
        }

        RememberDeparture(jobId, version);

        await WriteForCallAsync(_dueIndex.RemoveAsync(_shard, _epoch, jobId, version));
    }

    public async Task Tick()
    {
        var now = _time.GetUtcNow();
        _drained.Clear();
        _wheel.Drain(now, _drained);
        foreach (var entry in _drained)
        {
            Fire(entry, now);
        }

        ReleaseCatchUps(now);
        ReleaseRetries(now);
        ExpireLostAttempts(now);
        DispatchPending();
        UpdateNextTick();
        await FlushWritesAsync();
        StartCompletions(fullBatchOnly: true);
    }

    /// <summary>Once a second: load the next part of the horizon and catch lost attempts.</summary>
    private async Task MaintainAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_loadedUntil - now < _options.WheelHorizon / 2)
        {
            await LoadHorizonAsync(now, cancellationToken);
        }

        ReleaseCatchUps(now);
        ReleaseRetries(now);
        ExpireLostAttempts(now);
        DropExpiredWatchers(now);
        DispatchPending();
        UpdateNextTick();
        _metrics.SetWheelEntries(_shard, _wheel.Count);
        _metrics.SetDueIndexBacklog(_shard, _pending.Count + _catchUps.Count);
        await FlushWritesAsync();
        StartCompletions(fullBatchOnly: false);
    }

    private async Task<int> LoadHorizonAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The bound moves before the read. An Upsert or ScheduleRetry that interleaves with the read and
        // commits after its snapshot then finds the new bound and loads its own entry.
        var from = _loadedUntil;
        var until = now + _options.WheelHorizon;
        _loadedUntil = until;
        try
        {
            return await LoadRangeAsync(from, until, now, cancellationToken);
        }
        catch
        {
            _loadedUntil = from;
            throw;
        }
    }

    private async Task<int> LoadRangeAsync(DateTimeOffset from, DateTimeOffset until, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = await _dueIndex.ReadDueAsync(_shard, from, until, cancellationToken);

        // Rows left exhausted by an earlier activation only need their completion finished.
        _exhausted.AddRange(rows.Where(job => job.Exhausted));
        rows = await SkipInstantsAlreadyRunAsync(rows.Where(job => !job.Exhausted).ToList(), now, cancellationToken);
        var count = 0;
        foreach (var job in rows)
        {
            if (_loaded.TryGetValue(job.JobId, out var current) && current.Job.Version >= job.Version)
            {
                continue;
            }

            if (Load(job))
            {
                count++;
            }
        }

        count += await LoadRetriesAsync(from, until, cancellationToken);
        return count;
    }

    /// <summary>Puts a job's next instant into the wheel; false when its schedule no longer parses.</summary>
    private bool Load(ShardJob job)
    {
        var type = job.Type == JobType.OneTime ? "ONE_TIME" : "RECURRING";
        if (!ScheduleParser.TryParse(type, job.ScheduleExpression, job.TimeZone, job.Anchor, out var schedule, out var error))
        {
            LogScheduleInvalid(_logger, job.JobId, _shard, error.Message);
            return false;
        }

        _loaded[job.JobId] = new LoadedJob(job, schedule);
        AddToWheel(job);
        return true;
    }

    private void UpdateNextTick()
    {
        DateTimeOffset? next = _wheel.NextDue;
        if (_catchUps.TryPeek(out _, out var releaseAt) && (next is null || releaseAt < next))
        {
            next = releaseAt;
        }

        if (_retries.TryPeek(out _, out var retryDue) && (next is null || retryDue < next))
        {
            next = retryDue;
        }

        if (_pending.Count > 0 && _inFlight.Count < _options.MaxInFlightPerShard)
        {
            next = _time.GetUtcNow();
        }

        _registration?.SetNextDue(next);
    }
}
