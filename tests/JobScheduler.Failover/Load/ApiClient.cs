using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace JobScheduler.Failover.Load;

/// <summary>
/// Creates jobs through the silos' REST gateways as a user with a bearer token. A request that cannot reach
/// a gateway, or that gets a 5xx, is sent to the next silo with the same <c>Idempotency-Key</c>, so a create
/// that did land is not repeated. Server errors are counted: with failover working, none should reach a user.
/// </summary>
public sealed class ApiClient : IDisposable
{
    private const int MaxTries = 6;

    /// <summary>Seconds to keep asking for the result of a key whose first request still runs.</summary>
    private const int MaxInProgressWaits = 20;

    /// <summary>How long a gateway that failed to connect or to respond gets no new requests.</summary>
    private static readonly TimeSpan AvoidFor = TimeSpan.FromSeconds(10);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _avoidUntil = new(StringComparer.Ordinal);
    private readonly HttpClient _http;
    private readonly IReadOnlyList<string> _urls;
    private readonly IReadOnlyDictionary<string, string> _tokens;
    private long _serverErrors;
    private long _connectionErrors;
    private long _timeouts;
    private long _inProgress;
    private string? _firstError;

    public ApiClient(IReadOnlyList<string> urls, IReadOnlyDictionary<string, string> tokens)
    {
        _urls = urls;
        _tokens = tokens;
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 96, ConnectTimeout = TimeSpan.FromSeconds(2) };
        // A create may wait several seconds for a failover; a gateway silent for longer is treated as down.
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>Responses with a 5xx status.</summary>
    public long ServerErrors => Interlocked.Read(ref _serverErrors);

    /// <summary>Requests that could not connect to a gateway (its silo was down).</summary>
    public long ConnectionErrors => Interlocked.Read(ref _connectionErrors);

    /// <summary>Requests without a response within the client's timeout.</summary>
    public long Timeouts => Interlocked.Read(ref _timeouts);

    /// <summary>409 responses for a key whose first request still ran; each was asked again a second later.</summary>
    public long InProgressReplies => Interlocked.Read(ref _inProgress);

    /// <summary>The first error response or exception, for the summary.</summary>
    public string? FirstError => Volatile.Read(ref _firstError);

    /// <summary>Creates a job; returns its id, or null when every try failed or the API rejected it.</summary>
    public async Task<string?> CreateJobAsync(string user, object body, string idempotencyKey, int preferredSilo)
    {
        var json = JsonSerializer.Serialize(body);
        var waits = 0;
        for (var attempt = 0; attempt < MaxTries; attempt++)
        {
            var url = PickUrl(preferredSilo + attempt);
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{url}/api/v1/jobs")
            {
                Content = new StringContent(json, Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens[user]);
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            try
            {
                using var response = await _http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    return JsonDocument.Parse(text).RootElement.GetProperty("jobId").GetString();
                }

                if (response.StatusCode == HttpStatusCode.Conflict && text.Contains("\"Idempotency-Key\"", StringComparison.Ordinal) && waits++ < MaxInProgressWaits)
                {
                    // The first try with this key still runs (its silo may be hung): ask again for its result.
                    Interlocked.Increment(ref _inProgress);
                    await Task.Delay(TimeSpan.FromSeconds(1));
                    attempt--;
                    continue;
                }

                if ((int)response.StatusCode < 500)
                {
                    NoteError($"{(int)response.StatusCode} from {url}: {text}");
                    return null;
                }

                Interlocked.Increment(ref _serverErrors);
                NoteError($"{(int)response.StatusCode} from {url}: {text}");
            }
            catch (HttpRequestException exception)
            {
                Interlocked.Increment(ref _connectionErrors);
                Avoid(url);
                Debug.WriteLine(exception.Message);
            }
            catch (TaskCanceledException)
            {
                Interlocked.Increment(ref _timeouts);
                Avoid(url);
                NoteError($"no response from {url} within {_http.Timeout.TotalSeconds:0} s");
            }

            await Task.Delay(100 * (attempt + 1));
        }

        return null;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// Returns the URL at <paramref name="index"/>, or the next one a recent failure does not rule out, as a load
    /// balancer's health check would: a hung silo accepts connections but never responds.
    /// </summary>
    private string PickUrl(int index)
    {
        var now = Environment.TickCount64;
        for (var offset = 0; offset < _urls.Count; offset++)
        {
            var url = _urls[(index + offset) % _urls.Count];
            if (!_avoidUntil.TryGetValue(url, out var until) || until <= now)
            {
                return url;
            }
        }

        return _urls[index % _urls.Count];
    }

    private void Avoid(string url) => _avoidUntil[url] = Environment.TickCount64 + (long)AvoidFor.TotalMilliseconds;

    private void NoteError(string error) => Interlocked.CompareExchange(ref _firstError, error, null);
}
