using JobScheduler.Abstractions.Executions;
using JobScheduler.Client.Hosting;
using JobScheduler.Client.Internal;
using JobScheduler.Client.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace JobScheduler.Client.Tests.Facade;

/// <summary>
/// <see cref="IJobScheduler.WaitForExecutionAsync"/> against the shared silo, with the client's reads on a fake clock:
/// while the clock is stopped, only an observer notification can end the wait.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class ExecutionWaitTests(SiloFixture fixture)
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Wait_ObserverNotified_ReturnsWithoutReading()
    {
        var time = new DelayRecordingTimeProvider();
        var scheduler = CreateScheduler(time, options =>
        {
            options.FallbackPollInterval = TimeSpan.FromHours(1);
            options.ObserverExpiry = TimeSpan.FromMinutes(10);
        });
        var job = await scheduler.CreateAsync(Job.Recurring("observed").Cron("0 0 1 1 *").Handler(GateHandler.Name).NoRetries());
        var executionId = await scheduler.ExecuteNowAsync(job.JobId);

        var waiting = scheduler.WaitForExecutionAsync(executionId, TimeSpan.FromHours(2));
        var delay = await time.FirstDelay.WaitAsync(TestTimeout);
        GateHandler.Instance.Open(job.JobId);
        var execution = await waiting.WaitAsync(TestTimeout);

        Assert.Equal(TimeSpan.FromMinutes(5), delay);
        Assert.Equal(DelayRecordingTimeProvider.StartTime, time.GetUtcNow());
        Assert.Equal(executionId, execution.ExecutionId);
        Assert.Equal(job.JobId, execution.JobId);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal(ExecutionTrigger.Manual, execution.Trigger);
        Assert.Equal(1, execution.AttemptNumber);
        Assert.Null(execution.Error);
        Assert.Equal($"{job.JobId}:manual:{executionId}", execution.IdempotencyKey);
    }

    [Fact]
    public async Task Wait_InsideSilo_ObserverNotified()
    {
        var time = new DelayRecordingTimeProvider();
        var options = new JobSchedulerClientOptions { UserId = SiloFixture.User, FallbackPollInterval = TimeSpan.FromHours(1) };
        var grains = fixture.Silo.Services.GetRequiredService<IGrainFactory>();
        var resilience = new GrainCallResilience(options, time, NullLogger<GrainCallResilience>.Instance);
        var scheduler = new OrleansJobScheduler(grains, resilience, options, time, options.UserId);
        var job = await scheduler.CreateAsync(Job.Recurring("silo-observed").Cron("0 0 1 1 *").Handler(GateHandler.Name).NoRetries());
        var executionId = await scheduler.ExecuteNowAsync(job.JobId);

        var waiting = scheduler.WaitForExecutionAsync(executionId, TimeSpan.FromHours(2));
        var delay = await time.FirstDelay.WaitAsync(TestTimeout);
        GateHandler.Instance.Open(job.JobId);
        var execution = await waiting.WaitAsync(TestTimeout);

        Assert.Equal(TimeSpan.FromSeconds(30), delay);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
    }

    [Fact]
    public async Task Wait_SubscriptionExpired_FallbackReadAnswers()
    {
        var time = new DelayRecordingTimeProvider();
        var scheduler = CreateScheduler(time, options =>
        {
            options.FallbackPollInterval = TimeSpan.FromMilliseconds(200);
            options.ObserverExpiry = TimeSpan.FromSeconds(1);
        });
        var job = await scheduler.CreateAsync(Job.Recurring("unobserved").Cron("0 0 1 1 *").Handler(GateHandler.Name).NoRetries());
        var executionId = await scheduler.ExecuteNowAsync(job.JobId);

        // The silo's real clock expires the subscription after 1 s; the client's stopped clock never renews it.
        var waiting = scheduler.WaitForExecutionAsync(executionId, TimeSpan.FromHours(2));
        var delay = await time.FirstDelay.WaitAsync(TestTimeout);
        await Task.Delay(TimeSpan.FromMilliseconds(1500));
        GateHandler.Instance.Open(job.JobId);
        await Eventually.HoldsAsync(async () => (await fixture.Scheduler.GetExecutionAsync(executionId)).Status == ExecutionStatus.Succeeded, "the run to succeed");
        await Task.Delay(300);
        var answeredWithoutRead = waiting.IsCompleted;
        time.Advance(TimeSpan.FromMilliseconds(200));
        var execution = await waiting.WaitAsync(TestTimeout);

        Assert.Equal(TimeSpan.FromMilliseconds(200), delay);
        Assert.False(answeredWithoutRead);
        Assert.Equal(executionId, execution.ExecutionId);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal(job.JobId, execution.JobId);
    }

    [Fact]
    public async Task Wait_ObserverOff_ReadsAtPollInterval()
    {
        var time = new DelayRecordingTimeProvider();
        var scheduler = CreateScheduler(time, options =>
        {
            options.UseExecutionObserver = false;
            options.PollInterval = TimeSpan.FromSeconds(3);
        });
        var job = await scheduler.CreateAsync(Job.Recurring("polled").Cron("0 0 1 1 *").Handler(GateHandler.Name).NoRetries());
        var executionId = await scheduler.ExecuteNowAsync(job.JobId);

        var waiting = scheduler.WaitForExecutionAsync(executionId, TimeSpan.FromHours(2));
        var delay = await time.FirstDelay.WaitAsync(TestTimeout);
        GateHandler.Instance.Open(job.JobId);
        await Eventually.HoldsAsync(async () => (await fixture.Scheduler.GetExecutionAsync(executionId)).Status == ExecutionStatus.Succeeded, "the run to succeed");
        var answeredWithoutRead = waiting.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(3));
        var execution = await waiting.WaitAsync(TestTimeout);

        Assert.Equal(TimeSpan.FromSeconds(3), delay);
        Assert.False(answeredWithoutRead);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
    }

    private OrleansJobScheduler CreateScheduler(TimeProvider time, Action<JobSchedulerClientOptions> configure)
    {
        var options = new JobSchedulerClientOptions { UserId = SiloFixture.User };
        configure(options);
        var grains = fixture.ClientServices.GetRequiredService<IClusterClient>();
        var resilience = new GrainCallResilience(options, time, NullLogger<GrainCallResilience>.Instance);
        return new OrleansJobScheduler(grains, resilience, options, time, options.UserId);
    }

    /// <summary>A fake clock that never advances on its own and reports the first delay the client starts on it.</summary>
    private sealed class DelayRecordingTimeProvider() : FakeTimeProvider(StartTime)
    {
        public static readonly DateTimeOffset StartTime = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

        private readonly TaskCompletionSource<TimeSpan> _firstDelay = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The due time of the first timer: the client has read the execution and started to wait.</summary>
        public Task<TimeSpan> FirstDelay => _firstDelay.Task;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _firstDelay.TrySetResult(dueTime);
            return timer;
        }
    }
}
