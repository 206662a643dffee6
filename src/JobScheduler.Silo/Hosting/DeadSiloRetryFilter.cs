using System.Reflection;
using JobScheduler.Abstractions.Grains;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Polly;
using Polly.Retry;

namespace JobScheduler.Silo.Hosting;

/// <summary>
/// Retries grain calls that failed because their target's silo died, for every call the silo makes: from the
/// REST gateway and from grains, such as a job grain scheduling its next instant on a shard. Until the silo is
/// declared dead, calls to it fail at once (connection refused) or wait and fail with
/// <see cref="SiloUnavailableException"/>; Orleans then places the grain on a live silo, where a repeated call
/// succeeds. A failure that shows the message never arrived is retried for any call. A
/// <see cref="SiloUnavailableException"/> (the call may have run before the silo died) is retried only for
/// shard calls, which are idempotent or keep state only in the dead activation, for the gateway's idempotency
/// records (a repeated claim at worst returns "in progress"), for job grain calls that only read, and for a
/// failure report, because a job grain ignores a repeated one while it stays active. The gateway handles a
/// repeated create itself. A <see cref="ShardMovedException"/> (the call reached a shard
/// activation that a newer one replaced, which wrote nothing) is retried too.
/// </summary>
public sealed partial class DeadSiloRetryFilter : IOutgoingGrainCallFilter
{
    /// <summary>Retries and delays: about 12 s in all, longer than the tuned failure detection.</summary>
    private const int MaxRetries = 8;
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    private static readonly HashSet<string> RepeatableJobMethods = new(StringComparer.Ordinal)
    {
        nameof(IJobGrain.Create), nameof(IJobGrain.CompleteCreate), nameof(IJobGrain.OnAttemptFailed), nameof(IJobGrain.GetJob), nameof(IJobGrain.GetExecution),
        nameof(IJobGrain.ListExecutions), nameof(IJobGrain.GetDeadLetter),
    };

    private readonly ResiliencePipeline<Exception?> _pipeline;

    public DeadSiloRetryFilter(ILogger<DeadSiloRetryFilter> logger)
    {
        _pipeline = new ResiliencePipelineBuilder<Exception?>()
            .AddRetry(new RetryStrategyOptions<Exception?>
            {
                // The outcome is the call's failure, or null on success.
                ShouldHandle = arguments => ValueTask.FromResult(arguments.Outcome.Result is not null),
                MaxRetryAttempts = MaxRetries,
                Delay = FirstDelay,
                MaxDelay = MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = arguments =>
                {
                    LogRetry(logger, arguments.Outcome.Result, arguments.AttemptNumber + 1, arguments.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        // Orleans' own calls (membership, reminders, the dashboard) keep Orleans' behavior.
        if (!IsSchedulerCall(context))
        {
            await context.Invoke();
            return;
        }

        // The first try runs without the pipeline: nearly every call succeeds, and this path costs nothing extra.
        if (await TryInvokeAsync(context) is null)
        {
            return;
        }

        var failure = await _pipeline.ExecuteAsync(static async (call, _) => await TryInvokeAsync(call), context, CancellationToken.None);
        if (failure is not null)
        {
            throw failure;
        }
    }

    /// <summary>Runs the call; returns its failure when a retry may help, else null (and rethrows other errors).</summary>
    private static async ValueTask<Exception?> TryInvokeAsync(IOutgoingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception exception) when (IsRetryable(context, exception))
        {
            return exception;
        }

        // Orleans may also return a failure inside the response instead of throwing it here.
        return context.Response?.Exception is { } failure && IsRetryable(context, failure) ? failure : null;
    }

    private static bool IsRetryable(IOutgoingGrainCallContext context, Exception exception) =>
        IsRetryable(context.InterfaceMethod, exception);

    /// <summary>True when a call to <paramref name="method"/> that failed with <paramref name="exception"/> is repeated.</summary>
    internal static bool IsRetryable(MethodInfo method, Exception exception) => exception switch
    {
        SiloUnavailableException => IsRepeatable(method),
        OrleansMessageRejectionException or ConnectionFailedException or ShardMovedException => true,
        _ => false,
    };

    private static bool IsSchedulerCall(IOutgoingGrainCallContext context) =>
        context.InterfaceMethod?.DeclaringType?.Namespace?.StartsWith("JobScheduler.", StringComparison.Ordinal) == true;

    private static bool IsRepeatable(MethodInfo method) =>
        method.DeclaringType == typeof(ISchedulerShardGrain)
        || method.DeclaringType == typeof(IIdempotencyGrain)
        || (method.DeclaringType == typeof(IJobGrain) && RepeatableJobMethods.Contains(method.Name));

    [LoggerMessage(EventId = 120, Level = LogLevel.Warning,
        Message = "A grain call failed because its silo is gone; retry {Retry} in {DelayMs:0} ms")]
    private static partial void LogRetry(ILogger logger, Exception? exception, int retry, double delayMs);
}
