using System.Text.Json;
using JobScheduler.Silo.Gateway;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace JobScheduler.Silo.Tests.Api;

/// <summary>A body the client stopped sending mid-way gets a 400 naming <c>body</c>, not a 500 logged as an error.</summary>
public sealed class IncompleteRequestExceptionHandlerTests
{
    private static readonly IncompleteRequestExceptionHandler Handler = new(NullLogger<IncompleteRequestExceptionHandler>.Instance);

    [Fact]
    public async Task BodyEndedEarly_Returns400NamingBody()
    {
        var context = NewContext();

        var handled = await Handler.TryHandleAsync(context, new BadHttpRequestException("Unexpected end of request content."), CancellationToken.None);

        Assert.True(handled);
        Assert.Equal(400, context.Response.StatusCode);
        context.Response.Body.Position = 0;
        using var problem = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal("body", problem.RootElement.GetProperty("field").GetString());
        Assert.StartsWith("The request body could not be read", problem.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task OtherErrors_AreLeftToTheNextHandler()
    {
        var context = NewContext();

        var tooLarge = await Handler.TryHandleAsync(context, new BadHttpRequestException("Request body too large.", 413), CancellationToken.None);
        var bug = await Handler.TryHandleAsync(context, new InvalidOperationException("bug"), CancellationToken.None);

        Assert.False(tooLarge);
        Assert.False(bug);
        Assert.Equal(200, context.Response.StatusCode);
    }

    private static DefaultHttpContext NewContext()
    {
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider(),
        };
        context.Request.Method = "POST";
        context.Request.Path = "/api/v1/jobs";
        context.Response.Body = new MemoryStream();
        return context;
    }
}
