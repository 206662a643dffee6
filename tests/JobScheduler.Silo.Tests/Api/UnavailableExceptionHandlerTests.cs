using System.Text.Json;
using JobScheduler.Silo.Gateway;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace JobScheduler.Silo.Tests.Api;

/// <summary>A request that failed because the database or a silo was briefly unreachable gets 503, not 500.</summary>
public sealed class UnavailableExceptionHandlerTests
{
    [Fact]
    public async Task DatabaseError_Returns503WithRetryAfter()
    {
        var context = NewContext();
        var failure = new InvalidOperationException("Error from storage provider during WriteStateAsync", new NpgsqlException("Connection refused"));

        var handled = await new UnavailableExceptionHandler(NullLogger<UnavailableExceptionHandler>.Instance)
            .TryHandleAsync(context, failure, CancellationToken.None);

        Assert.True(handled);
        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("5", context.Response.Headers.RetryAfter.ToString());
        Assert.Equal("application/problem+json", context.Response.ContentType);
        context.Response.Body.Position = 0;
        using var problem = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        Assert.StartsWith("The database or a silo is briefly unavailable", problem.RootElement.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(typeof(TimeoutException))]
    [InlineData(typeof(SiloUnavailableException))]
    [InlineData(typeof(Orleans.Storage.InconsistentStateException))]
    public void TransientFailures_AreRecognized(Type type)
    {
        Assert.True(UnavailableExceptionHandler.IsTransient((Exception)Activator.CreateInstance(type)!));
    }

    [Fact]
    public async Task OtherErrors_AreLeftToTheDefaultHandler()
    {
        var context = NewContext();

        var handled = await new UnavailableExceptionHandler(NullLogger<UnavailableExceptionHandler>.Instance)
            .TryHandleAsync(context, new InvalidOperationException("bug"), CancellationToken.None);

        Assert.False(handled);
        Assert.Equal(200, context.Response.StatusCode);
    }

    private static DefaultHttpContext NewContext()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = "/api/v1/jobs";
        context.Response.Body = new MemoryStream();
        return context;
    }
}
