using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobScheduler.Tests;

/// <summary>One webhook request a receiver got, with the raw body bytes.</summary>
public sealed record WebhookCall(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, int ResponseStatus)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";

    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A real HTTP webhook receiver on loopback. Each path responds with the statuses queued by <see cref="Respond"/>
/// in order and 200 afterwards, optionally after a delay. Every request is recorded with its raw body.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<WebhookCall> _calls = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _responses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TimeSpan> _delays = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _maxOpen = new(StringComparer.Ordinal);
    private WebApplication _app = null!;

    public string BaseUrl { get; private set; } = "";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        receiver._app = builder.Build();
        receiver._app.Map("/{**path}", receiver.HandleAsync);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseUrl = address.TrimEnd('/');
        return receiver;
    }

    /// <summary>A new path of its own for one test.</summary>
    public static string NewPath() => "/hooks/" + Guid.NewGuid().ToString("N");

    /// <summary>The full URL of <paramref name="path"/>.</summary>
    public string Url(string path) => BaseUrl + path;

    /// <summary>Makes <paramref name="path"/> respond with these statuses to its next requests, then 200.</summary>
    public void Respond(string path, params int[] statuses)
    {
        var queue = _responses.GetOrAdd(path, _ => new ConcurrentQueue<int>());
        foreach (var status in statuses)
        {
            queue.Enqueue(status);
        }
    }

    /// <summary>Makes <paramref name="path"/> wait <paramref name="delay"/> before responding.</summary>
    public void Delay(string path, TimeSpan delay) => _delays[path] = delay;

    /// <summary>The requests to <paramref name="path"/>, in arrival order.</summary>
    public IReadOnlyList<WebhookCall> CallsTo(string path) => _calls.Where(call => call.Path == path).ToList();

    /// <summary>The most requests to <paramref name="path"/> that were open at the same time.</summary>
    public int MaxOpen(string path) => _maxOpen.GetValueOrDefault(path);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var open = _open.AddOrUpdate(path, 1, (_, count) => count + 1);
        _maxOpen.AddOrUpdate(path, open, (_, max) => Math.Max(max, open));
        try
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var status = _responses.TryGetValue(path, out var queue) && queue.TryDequeue(out var next) ? next : 200;
            if (_delays.TryGetValue(path, out var delay))
            {
                await Task.Delay(delay);
            }

            _calls.Enqueue(new WebhookCall(path, headers, body.ToArray(), status));
            context.Response.StatusCode = status;
        }
        finally
        {
            _open.AddOrUpdate(path, 0, (_, count) => count - 1);
        }
    }
}

/// <summary>
/// A receiver's signature check, written from the documented format and independent of the scheduler's code:
/// <c>t=&lt;unix seconds&gt;,v1=&lt;hex&gt;...</c>, each v1 the HMAC-SHA256 of <c>"{t}.{body}"</c> keyed with the secret's UTF-8 bytes.
/// </summary>
public static class ReceiverSignature
{
    /// <summary>Returns the <c>t</c> value and the <c>v1</c> values of a signature header.</summary>
    public static (long Timestamp, IReadOnlyList<string> Signatures) Parse(string header)
    {
        long timestamp = -1;
        var signatures = new List<string>();
        foreach (var part in header.Split(','))
        {
            var pair = part.Split('=', 2);
            if (pair is ["t", var t])
            {
                timestamp = long.Parse(t, NumberStyles.None, CultureInfo.InvariantCulture);
            }
            else if (pair is ["v1", var v1])
            {
                signatures.Add(v1);
            }
        }

        return (timestamp, signatures);
    }

    /// <summary>The hex signature a receiver expects for <paramref name="body"/> at <paramref name="timestamp"/>.</summary>
    public static string Expected(string secret, long timestamp, byte[] body)
    {
        var signed = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".").Concat(body).ToArray();
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>True when one of the header's v1 values matches <paramref name="secret"/>, compared in constant time.</summary>
    public static bool Verifies(string header, byte[] body, string secret)
    {
        var (timestamp, signatures) = Parse(header);
        var expected = Encoding.ASCII.GetBytes(Expected(secret, timestamp, body));
        return signatures.Any(signature => CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)));
    }
}
