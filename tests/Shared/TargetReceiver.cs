using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobScheduler.Tests;

/// <summary>One request a job target received.</summary>
public sealed record ReceivedCall(string Path, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset ReceivedAt)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";
}

/// <summary>
/// A real HTTP job target on loopback. <c>/ok/...</c> answers 200, <c>/fail/...</c> answers 500 with the
/// body "boom", <c>/slow/...</c> answers 200 after 10 s. Every request is recorded when it arrives.
/// </summary>
public sealed class TargetReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedCall> _calls = new();
    private WebApplication _app = null!;

    public string BaseUrl { get; private set; } = "";

    public static async Task<TargetReceiver> StartAsync()
    {
        var receiver = new TargetReceiver();
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

    /// <summary>The calls whose path starts with <paramref name="pathPrefix"/>, in arrival order.</summary>
    public IReadOnlyList<ReceivedCall> CallsTo(string pathPrefix) =>
        _calls.Where(call => call.Path.StartsWith(pathPrefix, StringComparison.Ordinal)).ToList();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _calls.Enqueue(new ReceivedCall(context.Request.Path.Value ?? "", headers, body, DateTimeOffset.UtcNow));

        if (context.Request.Path.StartsWithSegments("/slow"))
        {
            await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (context.Request.Path.StartsWithSegments("/fail"))
        {
            context.Response.StatusCode = (int)HttpStatusCode.InternalServerError;
            await context.Response.WriteAsync("boom");
            return;
        }

        context.Response.StatusCode = (int)HttpStatusCode.OK;
        await context.Response.WriteAsync("done");
    }
}
