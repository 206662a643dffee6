using JobScheduler.Client.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Polly;
using Polly.Retry;

namespace JobScheduler.Client.Internal;

/// <summary>
/// The Polly pipelines that retry grain calls while a silo fails over. Orleans moves a dead silo's grains to
/// the remaining silos on their next call, so a call that failed on the dead silo succeeds when repeated.
/// </summary>
internal sealed partial class GrainCallResilience
{
    /// <summary>
    /// Creates both pipelines from the client options. <paramref name="time"/> drives the retry delays.
    /// </summary>
    public GrainCallResilience(JobSchedulerClientOptions options, TimeProvider time, ILogger<GrainCallResilience> logger)
    {
        Repeatable = Build(options, time, logger, IsTransient);
        NotRepeatable = Build(options, time, logger, WasNotDelivered);
    }

    /// <summary>
    /// For calls that may run twice without harm (reads, and changes the client makes idempotent). Retries on
    /// <see cref="SiloUnavailableException"/>, <see cref="OrleansMessageRejectionException"/>,
    /// <see cref="ConnectionFailedException"/>, <see cref="GatewayTooBusyException"/> and
    /// <see cref="TimeoutException"/>.
    /// </summary>
    public ResiliencePipeline Repeatable { get; }

    /// <summary>
    /// For calls that must not run twice (execute now). Retries only on failures that show the message never
    /// reached a grain: rejections other than <see cref="SiloUnavailableException"/>, a failed connection and a
    /// busy gateway. A timeout or a silo that died during the call is not retried, because the call may have run.
    /// </summary>
    public ResiliencePipeline NotRepeatable { get; }

    /// <summary>True for the failures of a failover that a repeatable call retries.</summary>
    internal static bool IsTransient(Exception exception) =>
        exception is SiloUnavailableException
            or OrleansMessageRejectionException
            or ConnectionFailedException
            or GatewayTooBusyException
            or TimeoutException;

    /// <summary>True for failures after which the call certainly did not run.</summary>
    internal static bool WasNotDelivered(Exception exception) =>
        exception is (OrleansMessageRejectionException and not SiloUnavailableException)
            or ConnectionFailedException
            or GatewayTooBusyException;

    private static ResiliencePipeline Build(
        JobSchedulerClientOptions options, TimeProvider time, ILogger logger, Func<Exception, bool> shouldRetry)
    {
        if (options.MaxCallRetries == 0)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle(shouldRetry),
                MaxRetryAttempts = options.MaxCallRetries,
                Delay = options.CallRetryDelay,
                MaxDelay = options.MaxCallRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = arguments =>
                {
                    LogRetry(logger, arguments.Outcome.Exception, arguments.AttemptNumber + 1, arguments.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning,
        Message = "JobScheduler client: a grain call failed during a failover; retry {Retry} in {DelayMs:0} ms")]
    private static partial void LogRetry(ILogger logger, Exception? exception, int retry, double delayMs);
}
