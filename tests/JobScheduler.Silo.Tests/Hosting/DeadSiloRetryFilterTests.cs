using JobScheduler.Abstractions.Grains;
using JobScheduler.Silo.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace JobScheduler.Silo.Tests.Hosting;

/// <summary>
/// Which failed calls the silo repeats. A call that never arrived is repeated for any method. A call whose silo
/// died after it arrived is repeated only when running it twice is safe.
/// </summary>
public sealed class DeadSiloRetryFilterTests
{
    public static TheoryData<Type, string, string, bool> Cases => new()
    {
        { typeof(IJobGrain), nameof(IJobGrain.OnAttemptFailed), "unavailable", true },
        { typeof(IJobGrain), nameof(IJobGrain.CompleteCreate), "unavailable", true },
        { typeof(IJobGrain), nameof(IJobGrain.Create), "unavailable", true },
        { typeof(IJobGrain), nameof(IJobGrain.Update), "unavailable", false },
        { typeof(IJobGrain), nameof(IJobGrain.Delete), "unavailable", false },
        { typeof(IJobGrain), nameof(IJobGrain.Update), "not arrived", true },
        { typeof(ISchedulerShardGrain), nameof(ISchedulerShardGrain.Upsert), "unavailable", true },
        { typeof(ISchedulerShardGrain), nameof(ISchedulerShardGrain.Upsert), "moved", true },
        { typeof(IUserGrain), nameof(IUserGrain.TryReserveJob), "unavailable", false },
        { typeof(IJobGrain), nameof(IJobGrain.OnAttemptFailed), "other", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Failure_RepeatedOnlyWhenSafe(Type grain, string method, string failure, bool expected)
    {
        Exception exception = failure switch
        {
            "unavailable" => new SiloUnavailableException("the target silo died"),
            "not arrived" => new ConnectionFailedException("connection refused"),
            "moved" => new ShardMovedException(3),
            _ => new InvalidOperationException("a bug"),
        };

        Assert.Equal(expected, DeadSiloRetryFilter.IsRetryable(grain.GetMethod(method)!, exception));
    }
}
