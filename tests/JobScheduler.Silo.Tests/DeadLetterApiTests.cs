using System.Net;
using System.Text.Json;

namespace JobScheduler.Silo.Tests;

/// <summary>The dead-letter endpoints over real HTTP, with a real failing target on loopback.</summary>
[Collection(GatewayCollection.Name)]
public sealed class DeadLetterApiTests(GatewayFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task FailedExecution_IsListedRedrivenAndDiscarded()
    {
        var jobId = await Http.CreateJobAsync($$$"""
            {"name": "dead", "type": "RECURRING", "scheduleExpression": "0 0 1 1 *", "retryPolicy": {"maxRetries": 0},
             "target": {"type": "HTTP", "url": "{{{fixture.Receiver.BaseUrl}}}/fail/dead"}}
            """);
        using var executed = await Http.PostAsync($"/api/v1/jobs/{jobId}/execute", null);
        var executionId = (await executed.ReadJsonAsync()).String("executionId");

        var deadLetter = await WaitForDeadLetterAsync(jobId);
        Assert.Equal(executionId, deadLetter.String("executionId"));
        Assert.Equal(1, deadLetter.GetProperty("attempts").GetInt32());
        Assert.Equal("The target answered HTTP 500: boom", deadLetter.String("lastError"));
        Assert.Equal($"{jobId}:manual:{executionId}", deadLetter.String("idempotencyKey"));
        var deadLetterId = deadLetter.String("deadLetterId");
        Assert.Equal(deadLetterId, (await Http.GetJsonAsync($"/api/v1/dead-letters/{deadLetterId}")).String("deadLetterId"));

        using var redrive = await Http.PostAsync($"/api/v1/dead-letters/{deadLetterId}/redrive", null);
        Assert.Equal(HttpStatusCode.Accepted, redrive.StatusCode);
        var redrivenId = (await redrive.ReadJsonAsync()).String("executionId");
        await Eventually.HoldsAsync(async () => (await Http.GetJsonAsync($"/api/v1/executions/{redrivenId}")).String("status") == "FAILED", "redriven attempt ran");
        var redriven = await Http.GetJsonAsync($"/api/v1/executions/{redrivenId}");
        Assert.Equal("REDRIVE", redriven.String("trigger"));
        Assert.Equal($"{jobId}:manual:{executionId}", redriven.String("idempotencyKey"));
        var calls = fixture.Receiver.CallsTo("/fail/dead").Where(c => c.Header("JobScheduler-Job-Id") == jobId).ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal(calls[0].Header("Idempotency-Key"), calls[1].Header("Idempotency-Key"));

        var second = await WaitForDeadLetterAsync(jobId);
        Assert.NotEqual(deadLetterId, second.String("deadLetterId"));
        using var discard = await Http.DeleteAsync($"/api/v1/dead-letters/{second.String("deadLetterId")}");
        Assert.Equal(HttpStatusCode.NoContent, discard.StatusCode);
        using var again = await Http.DeleteAsync($"/api/v1/dead-letters/{second.String("deadLetterId")}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/dead-letters/dlq_01M91F24VAC2ZYEW62JTYPTZV7_01M91F2FXJZ6S1WFSNDQ2VAP30")]
    [InlineData("/api/v1/dead-letters/not-a-dead-letter")]
    public async Task UnknownDeadLetter_Returns404(string path)
    {
        using var response = await Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task InvalidLimit_Returns400()
    {
        using var response = await Http.GetAsync("/api/v1/dead-letters?limit=0");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("limit", (await response.ReadJsonAsync()).String("field"));
    }

    /// <summary>Waits for the job's one current dead letter and returns it.</summary>
    private async Task<JsonElement> WaitForDeadLetterAsync(string jobId)
    {
        JsonElement? found = null;
        await Eventually.HoldsAsync(async () =>
        {
            var page = await Http.GetJsonAsync("/api/v1/dead-letters?limit=500");
            found = page.GetProperty("items").EnumerateArray().Where(d => d.String("jobId") == jobId).Select(d => (JsonElement?)d.Clone()).FirstOrDefault();
            return found is not null;
        }, "dead letter listed");
        return found!.Value;
    }
}
