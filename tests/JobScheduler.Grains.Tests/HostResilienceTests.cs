using System.Net;
using JobScheduler.Grains.Execution;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;

namespace JobScheduler.Grains.Tests;

public sealed class HostResilienceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero));

    private HostResilience Create(int maxConcurrency = 10) => new(Options.Create(new TargetResilienceOptions
    {
        MaxConcurrencyPerHost = maxConcurrency,
        FailureRatio = 0.5,
        MinimumThroughput = 2,
        SamplingDuration = TimeSpan.FromSeconds(30),
        BreakDuration = TimeSpan.FromSeconds(15),
    }), _time);

    [Fact]
    public async Task FailingHost_OpensCircuitThenRecovers()
    {
        var gate = Create().For("api.example:443");
        var sent = 0;
        Task<HttpResponseMessage> Send(HttpStatusCode status)
        {
            sent++;
            return Task.FromResult(new HttpResponseMessage(status));
        }

        (await gate.SendAsync(_ => Send(HttpStatusCode.ServiceUnavailable), CancellationToken.None)).Dispose();
        (await gate.SendAsync(_ => Send(HttpStatusCode.InternalServerError), CancellationToken.None)).Dispose();

        await Assert.ThrowsAsync<BrokenCircuitException>(() => gate.SendAsync(_ => Send(HttpStatusCode.OK), CancellationToken.None));
        Assert.Equal(2, sent);

        _time.Advance(TimeSpan.FromSeconds(15));
        using var recovered = await gate.SendAsync(_ => Send(HttpStatusCode.OK), CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        Assert.Equal(3, sent);
    }

    [Fact]
    public async Task Hosts_HaveSeparateCircuits()
    {
        var resilience = Create();
        var failing = resilience.For("down.example:443");
        (await failing.SendAsync(_ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.BadGateway)), CancellationToken.None)).Dispose();
        (await failing.SendAsync(_ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.BadGateway)), CancellationToken.None)).Dispose();

        using var other = await resilience.For("up.example:443").SendAsync(_ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)), CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Same(failing, resilience.For("DOWN.example:443"));
    }

    [Fact]
    public async Task ConcurrencyLimit_QueuesExtraRequests()
    {
        var gate = Create(maxConcurrency: 1).For("slow.example:443");
        var release = new TaskCompletionSource<HttpResponseMessage>();
        var first = gate.SendAsync(_ => release.Task, CancellationToken.None);
        var secondStarted = false;

        var second = gate.SendAsync(_ =>
        {
            secondStarted = true;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }, CancellationToken.None);
        await Task.Delay(100);
        Assert.False(secondStarted);

        release.SetResult(new HttpResponseMessage(HttpStatusCode.OK));
        (await first).Dispose();
        (await second).Dispose();
        Assert.True(secondStarted);
    }
}
