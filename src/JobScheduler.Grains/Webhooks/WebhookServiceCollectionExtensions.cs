using JobScheduler.Grains.Execution;
using JobScheduler.Grains.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace JobScheduler.Grains.Webhooks;

/// <summary>Registration of webhook delivery.</summary>
public static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// Adds the webhook dispatcher as the silo's <see cref="IExecutionEvents"/> (unless one is registered
    /// already), its options from the <c>Webhooks</c> section (checked at start), the scheduler's metrics and its HTTP
    /// client. Needs <see cref="OutboundConnectGuard"/>, an <c>IWebhookDeliveryStore</c> and an <c>IWebhookOutbox</c>.
    /// </summary>
    public static IServiceCollection AddWebhookDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>());
        services.AddJobSchedulerMetrics();
        services.TryAddSingleton<WebhookSender>();
        services.TryAddSingleton<WebhookSecretProtector>();
        services.TryAddSingleton<WebhookDispatcher>();
        services.TryAddSingleton<IExecutionEvents>(provider => provider.GetRequiredService<WebhookDispatcher>());
        services.AddHostedService(provider => provider.GetRequiredService<WebhookDispatcher>());
        services.AddHttpClient(WebhookSender.ClientName)
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                // A redirect is a failed delivery: the signed body goes only to the URL the owner configured.
                AllowAutoRedirect = false,
                // Every connection goes through the address check, which a proxy would defeat by hiding the receiver's address.
                UseProxy = false,
                ConnectCallback = provider.GetRequiredService<OutboundConnectGuard>().ConnectAsync,
            })
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        return services;
    }
}
