using System.Globalization;
using System.Net.Http.Headers;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Hosting;
using JobScheduler.Grains.Jobs;
using JobScheduler.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace JobScheduler.Grains.Webhooks;

/// <summary>
/// Sends one delivery attempt: signs the body with the owner's current secrets at the moment of sending,
/// posts it within the delivery timeout while holding a slot of the receiver's host, and records the
/// attempt in the delivery log.
/// </summary>
public sealed partial class WebhookSender
{
    /// <summary>Name of the HTTP client used for webhooks. Its connections go through the outbound address guard.</summary>
    public const string ClientName = "JobScheduler.Webhooks";

    private static readonly ProductInfoHeaderValue UserAgent = new("JobScheduler-Webhooks", "1");
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };

    private readonly IHttpClientFactory _clients;
    private readonly IGrainFactory _grains;
    private readonly IWebhookDeliveryStore _log;
    private readonly TimeProvider _time;
    private readonly HostConcurrencyLimiter _hosts;
    private readonly ResiliencePipeline _timeout;
    private readonly TimeSpan _timeoutValue;
    private readonly ILogger _logger;

    public WebhookSender(
        IHttpClientFactory clients,
        IGrainFactory grains,
        IWebhookDeliveryStore log,
        [FromKeyedServices(SchedulerTime.Key)] TimeProvider time,
        IOptions<WebhookOptions> options,
        ILogger<WebhookSender> logger)
    {
        _clients = clients;
        _grains = grains;
        _log = log;
        _time = time;
        _logger = logger;
        _hosts = new HostConcurrencyLimiter(options.Value.MaxConcurrencyPerHost);
        _timeoutValue = options.Value.Timeout;
        _timeout = new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(_timeoutValue).Build();
    }

    /// <summary>Sends attempt <paramref name="attemptNumber"/> of <paramref name="message"/> and records it.</summary>
    internal async ValueTask<WebhookAttemptResult> SendAsync(WebhookMessage message, int attemptNumber, CancellationToken cancellationToken)
    {
        var executionEvent = message.Event;
        IReadOnlyList<string> secrets;
        try
        {
            secrets = await _grains.GetGrain<IWebhookSecretGrain>(WebhookSecretGrain.Key(executionEvent.UserId)).GetSigningSecrets();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogSecretUnavailable(_logger, exception, message.EventId, executionEvent.JobId);
            var now = _time.GetUtcNow();
            var failed = new WebhookAttemptResult(false, null, $"The webhook secret could not be read: {exception.Message}");
            await RecordAsync(message, attemptNumber, failed, now, now);
            return failed;
        }

        using var slot = await _hosts.AcquireAsync(message.Host, cancellationToken);
        var startedAt = _time.GetUtcNow();
        var result = await PostAsync(message, attemptNumber, secrets, cancellationToken);
        var finishedAt = _time.GetUtcNow();

        if (!result.Succeeded)
        {
            LogAttemptFailed(_logger, attemptNumber, message.EventId, executionEvent.JobId, message.Url.Host, result.Error);
        }

        await RecordAsync(message, attemptNumber, result, startedAt, finishedAt);
        return result;
    }

    private async Task<WebhookAttemptResult> PostAsync(
        WebhookMessage message, int attemptNumber, IReadOnlyList<string> secrets, CancellationToken cancellationToken)
    {
        try
        {
            var status = await _timeout.ExecuteAsync(
                static async (state, token) => await state.Sender.PostOnceAsync(state.Message, state.AttemptNumber, state.Secrets, token),
                (Sender: this, Message: message, AttemptNumber: attemptNumber, Secrets: secrets),
                cancellationToken);
            return status is >= 200 and < 300
                ? new WebhookAttemptResult(true, status, null)
                : new WebhookAttemptResult(false, status, $"The receiver responded with HTTP {status}.");
        }
        catch (TimeoutRejectedException)
        {
            return new WebhookAttemptResult(false, null,
                $"The receiver did not respond within {_timeoutValue.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s.");
        }
        catch (HttpRequestException exception)
        {
            return new WebhookAttemptResult(false, null, $"The request failed: {exception.Message}");
        }
    }

    private async ValueTask<int> PostOnceAsync(
        WebhookMessage message, int attemptNumber, IReadOnlyList<string> secrets, CancellationToken cancellationToken)
    {
        // The signature time is taken per attempt, so a receiver that rejects old timestamps accepts retries.
        var signedAt = _time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, message.Url)
        {
            Content = new ByteArrayContent(message.Body),
        };
        request.Content.Headers.ContentType = JsonContentType;
        request.Headers.UserAgent.Add(UserAgent);
        request.Headers.TryAddWithoutValidation(WebhookHeaders.EventId, message.EventId);
        request.Headers.TryAddWithoutValidation(WebhookHeaders.DeliveryAttempt, attemptNumber.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(WebhookHeaders.Signature, WebhookSignature.Create(signedAt, message.Body, secrets));

        // Only the status matters, so the response body is never read.
        using var response = await _clients.CreateClient(ClientName)
            .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return (int)response.StatusCode;
    }

    private async Task RecordAsync(
        WebhookMessage message, int attemptNumber, WebhookAttemptResult result, DateTimeOffset startedAt, DateTimeOffset finishedAt)
    {
        var executionEvent = message.Event;
        var delivery = new WebhookDelivery
        {
            DeliveryId = WebhookIds.NewDeliveryId(executionEvent.JobId, startedAt),
            EventId = message.EventId,
            EventType = WebhookEventNames.ToName(executionEvent.Type),
            JobId = executionEvent.JobId,
            UserId = executionEvent.UserId,
            ExecutionId = executionEvent.ExecutionId,
            Url = message.Url.OriginalString,
            AttemptNumber = attemptNumber,
            StatusCode = result.StatusCode,
            Error = result.Error,
            Succeeded = result.Succeeded,
            StartedAt = startedAt,
            FinishedAt = finishedAt,
            DurationMs = (long)(finishedAt - startedAt).TotalMilliseconds,
        };

        try
        {
            await _log.AddAsync(delivery);
        }
        catch (Exception exception)
        {
            LogRecordFailed(_logger, exception, attemptNumber, message.EventId, executionEvent.JobId);
        }
    }

    [LoggerMessage(EventId = 1410, Level = LogLevel.Information,
        Message = "Webhook delivery attempt {Attempt} of event {EventId} (job {JobId}) to host {Host} failed: {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, int attempt, string eventId, string jobId, string host, string? error);

    [LoggerMessage(EventId = 1411, Level = LogLevel.Warning,
        Message = "The webhook secret for event {EventId} (job {JobId}) could not be read, so the attempt failed")]
    private static partial void LogSecretUnavailable(ILogger logger, Exception exception, string eventId, string jobId);

    [LoggerMessage(EventId = 1412, Level = LogLevel.Error,
        Message = "Could not record webhook delivery attempt {Attempt} of event {EventId} (job {JobId})")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, int attempt, string eventId, string jobId);
}
