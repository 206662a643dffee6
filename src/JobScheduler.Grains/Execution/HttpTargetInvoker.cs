using System.Net.Http.Headers;
using System.Text;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Hosting;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;

namespace JobScheduler.Grains.Execution;

/// <summary>
/// Calls HTTP targets through one pooled client per silo. The payload is the JSON body; a 2xx status
/// is success. One attempt is one request: there is no retry inside an attempt.
/// </summary>
public sealed class HttpTargetInvoker(IHttpClientFactory clients, HostResilience hosts, IOptions<ExecutionOptions> options) : ITargetInvoker
{
    /// <summary>Name of the HTTP client used for targets.</summary>
    public const string ClientName = "JobScheduler.Targets";

    public async Task<TargetResult> InvokeAsync(AttemptRequest attempt, CancellationToken cancellationToken)
    {
        using var request = CreateRequest(attempt);
        var client = clients.CreateClient(ClientName);
        var gate = hosts.For(request.RequestUri!.Authority);
        HttpResponseMessage sent;
        try
        {
            sent = await gate.SendAsync(token => client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token), cancellationToken);
        }
        catch (BrokenCircuitException)
        {
            return TargetResult.Failed($"Not sent: too many recent requests to {request.RequestUri.Authority} failed, so its circuit is open; the job's retry policy applies.");
        }

        using var response = sent;

        var status = (int)response.StatusCode;
        var body = await ReadPrefixAsync(response, options.Value.MaxResponseBodyBytes, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return TargetResult.Succeeded(status, body.Length == 0 ? null : body);
        }

        var error = body.Length == 0
            ? $"The target answered HTTP {status}."
            : $"The target answered HTTP {status}: {body}";
        return TargetResult.Failed(error, status, body.Length == 0 ? null : body);
    }

    private static HttpRequestMessage CreateRequest(AttemptRequest attempt)
    {
        var target = attempt.Target;
        var request = new HttpRequestMessage(new HttpMethod(target.Method ?? "POST"), target.Url);
        if (attempt.Payload is { } payload && request.Method != HttpMethod.Get && request.Method != HttpMethod.Head)
        {
            request.Content = new StringContent(payload, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        foreach (var (name, value) in target.Headers ?? new Dictionary<string, string>())
        {
            if (request.Content is not null && string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                // The job's own content type replaces the default application/json instead of joining it.
                request.Content.Headers.Remove("Content-Type");
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        request.Headers.TryAddWithoutValidation("Idempotency-Key", attempt.IdempotencyKey);
        request.Headers.TryAddWithoutValidation("JobScheduler-Job-Id", attempt.JobId);
        request.Headers.TryAddWithoutValidation("JobScheduler-Execution-Id", attempt.ExecutionId);
        request.Headers.TryAddWithoutValidation("JobScheduler-Attempt", attempt.AttemptNumber.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return request;
    }

    private static async Task<string> ReadPrefixAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[maxBytes];
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var total = 0;
        int read;
        while (total < maxBytes && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        return Encoding.UTF8.GetString(buffer, 0, total);
    }
}
