using Microsoft.Extensions.Options;

namespace JobScheduler.Grains.Hosting;

/// <summary>Checks <see cref="SchedulerOptions"/> at start and reports every invalid value at once.</summary>
public sealed class SchedulerOptionsValidator : IValidateOptions<SchedulerOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulerOptions options)
    {
        var errors = new List<string>();
        Check(errors, options.ShardCount is >= 1 and <= 4096, $"Scheduler:ShardCount must be from 1 to 4096; got {options.ShardCount}.");
        Check(errors, options.WheelHorizon >= TimeSpan.FromSeconds(2) && options.WheelHorizon <= TimeSpan.FromHours(1),
            $"Scheduler:WheelHorizon must be from 00:00:02 to 01:00:00; got {options.WheelHorizon}.");
        Check(errors, options.MaxInFlightPerShard >= 1, $"Scheduler:MaxInFlightPerShard must be at least 1; got {options.MaxInFlightPerShard}.");
        Check(errors, options.MisfireThreshold >= 0, $"Scheduler:MisfireThreshold must be 0 or more seconds; got {options.MisfireThreshold}.");
        Check(errors, options.MaxCatchUpRuns >= 1, $"Scheduler:MaxCatchUpRuns must be at least 1; got {options.MaxCatchUpRuns}.");
        Check(errors, options.CatchUpSpacing >= TimeSpan.Zero, $"Scheduler:CatchUpSpacing must not be negative; got {options.CatchUpSpacing}.");
        Check(errors, options.MaxActiveJobsPerUser >= 1, $"Scheduler:MaxActiveJobsPerUser must be at least 1; got {options.MaxActiveJobsPerUser}.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    internal static void Check(List<string> errors, bool valid, string message)
    {
        if (!valid)
        {
            errors.Add(message);
        }
    }
}

/// <summary>Checks <see cref="ExecutionOptions"/> at start and reports every invalid value at once.</summary>
public sealed class ExecutionOptionsValidator : IValidateOptions<ExecutionOptions>
{
    public ValidateOptionsResult Validate(string? name, ExecutionOptions options)
    {
        var errors = new List<string>();
        SchedulerOptionsValidator.Check(errors, options.MaxConcurrency >= 1, $"Execution:MaxConcurrency must be at least 1; got {options.MaxConcurrency}.");
        SchedulerOptionsValidator.Check(errors, options.QueueCapacity >= 1, $"Execution:QueueCapacity must be at least 1; got {options.QueueCapacity}.");
        SchedulerOptionsValidator.Check(errors, options.HeartbeatInterval > TimeSpan.Zero,
            $"Execution:HeartbeatInterval must be more than 0; got {options.HeartbeatInterval}.");
        SchedulerOptionsValidator.Check(errors, options.LeaseDuration > options.HeartbeatInterval,
            $"Execution:LeaseDuration must be longer than Execution:HeartbeatInterval ({options.HeartbeatInterval}); got {options.LeaseDuration}.");
        SchedulerOptionsValidator.Check(errors, options.AbandonGrace >= TimeSpan.Zero, $"Execution:AbandonGrace must not be negative; got {options.AbandonGrace}.");
        SchedulerOptionsValidator.Check(errors, options.MaxResponseBodyBytes is >= 0 and <= 1_048_576,
            $"Execution:MaxResponseBodyBytes must be from 0 to 1048576; got {options.MaxResponseBodyBytes}.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
