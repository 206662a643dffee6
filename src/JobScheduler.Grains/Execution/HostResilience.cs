using System.Collections.Concurrent;
using System.Net;
using JobScheduler.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;

namespace JobScheduler.Grains.Execution;

/// <summary>
/// One circuit breaker and one concurrency limit per target host, shared by every attempt on this silo, so
/// a failing or overloaded service is not flooded by its scheduled jobs.
/// </summary>
public sealed class HostResilience(IOptions<TargetResilienceOptions> options, [FromKeyedServices(SchedulerTime.Key)] TimeProvider time)
{
    private readonly ConcurrentDictionary<string, HostGate> _hosts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Returns the gate of a host (<c>host:port</c>).</summary>
    public HostGate For(string authority) => _hosts.GetOrAdd(authority, _ => new HostGate(Build(), options.Value.MaxConcurrencyPerHost));

    private ResiliencePipeline<HttpResponseMessage> Build()
    {
        var settings = options.Value;
        return new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = settings.FailureRatio,
                MinimumThroughput = settings.MinimumThroughput,
                SamplingDuration = settings.SamplingDuration,
                BreakDuration = settings.BreakDuration,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .HandleResult(response => (int)response.StatusCode >= 500
                        || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests),
            })
            .Build();
    }

    /// <summary>A host's circuit breaker and concurrency limit.</summary>
    public sealed class HostGate(ResiliencePipeline<HttpResponseMessage> pipeline, int maxConcurrency)
    {
        private readonly SemaphoreSlim _slots = new(maxConcurrency, maxConcurrency);

        /// <summary>Sends through the circuit breaker once a slot is free. Throws <see cref="BrokenCircuitException"/> while the circuit is open.</summary>
        public async Task<HttpResponseMessage> SendAsync(Func<CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
        {
            await _slots.WaitAsync(cancellationToken);
            try
            {
                return await pipeline.ExecuteAsync(async token => await send(token), cancellationToken);
            }
            finally
            {
                _slots.Release();
            }
        }
    }
}
