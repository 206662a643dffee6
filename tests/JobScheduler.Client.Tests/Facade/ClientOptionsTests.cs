using JobScheduler.Client.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace JobScheduler.Client.Tests.Facade;

/// <summary>Validation of the client options when the host registers the client.</summary>
public sealed class ClientOptionsTests
{
    [Fact]
    public void AddClient_WithoutUserId_Throws()
    {
        var services = new ServiceCollection();

        var exception = Assert.Throws<ArgumentException>(() => services.AddJobSchedulerClient(_ => { }));

        Assert.Contains("UserId is empty", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ListsEveryInvalidOption()
    {
        var options = new JobSchedulerClientOptions
        {
            UserId = new string('u', JobSchedulerClientOptions.MaxUserIdLength + 1),
            GatewayPort = 0,
            ClusterId = " ",
            MaxCallRetries = -1,
            PollInterval = TimeSpan.FromSeconds(5),
        };

        var errors = options.Validate();

        Assert.Equal(5, errors.Count);
        Assert.Contains(errors, error => error.StartsWith("UserId is 129 characters long", StringComparison.Ordinal));
        Assert.Contains(errors, error => error.StartsWith("GatewayPort is 0", StringComparison.Ordinal));
        Assert.Contains(errors, error => error.StartsWith("ClusterId is empty", StringComparison.Ordinal));
        Assert.Contains(errors, error => error.StartsWith("MaxCallRetries is -1", StringComparison.Ordinal));
        Assert.Contains(errors, error => error.StartsWith("PollInterval", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ObserverSettings()
    {
        var options = new JobSchedulerClientOptions
        {
            UserId = "alice",
            ObserverExpiry = TimeSpan.FromMinutes(11),
            FallbackPollInterval = TimeSpan.Zero,
        };

        var errors = options.Validate();

        Assert.Equal(
            [
                "ObserverExpiry is 00:11:00; use a positive duration of at most 10 minutes.",
                "FallbackPollInterval is 00:00:00; use a positive duration.",
            ],
            errors);
    }

    [Fact]
    public void Validate_CustomClustering_IgnoresGatewayPort()
    {
        var options = new JobSchedulerClientOptions { UserId = "alice", GatewayPort = 0, ConfigureClustering = _ => { } };

        Assert.Empty(options.Validate());
    }

    [Fact]
    public void AddFacade_RegistersSchedulerForUser()
    {
        var services = new ServiceCollection();
        services.AddSingleton(SingleGrainFactory.For(new ScriptedJobGrain()));
        services.AddLogging();

        services.AddJobSchedulerFacade(options => options.UserId = "alice");
        using var provider = services.BuildServiceProvider();

        Assert.Equal("alice", provider.GetRequiredService<IJobScheduler>().UserId);
    }
}
