using System.Net;
using System.Text.Json;

namespace JobScheduler.Silo.Tests;

/// <summary>Bad input gets a 4xx problem that names the field; unknown ids get 404.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ErrorResponseTests(GatewayFixture fixture)
{
    private const string Target = """{"type": "HTTP", "url": "http://127.0.0.1:9/x"}""";

    [Theory]
    [InlineData("61 * * * *")]
    [InlineData("0 0 30 2 *")]
    [InlineData("* * * *")]
    [InlineData("0 0 0 * * * 2030")]
    [InlineData("not a cron")]
    [InlineData("")]
    public async Task InvalidCron_Returns400NamingScheduleExpression(string expression)
    {
        var body = $$"""{"name": "bad", "type": "RECURRING", "scheduleExpression": {{JsonSerializer.Serialize(expression)}}, "target": {{Target}}}""";

        var problem = await PostExpectingProblemAsync(body, HttpStatusCode.BadRequest);

        Assert.Equal("scheduleExpression", problem.String("field"));
        Assert.False(string.IsNullOrWhiteSpace(problem.String("detail")));
    }

    [Theory]
    [InlineData("""{"name": """, "body")]
    [InlineData("""[1, 2]""", "body")]
    [InlineData("""{"name": 5, "type": "RECURRING"}""", "name")]
    [InlineData("""{"name": "x", "type": "WEEKLY"}""", "type")]
    [InlineData("""{"name": "x", "type": "recurring"}""", "type")]
    [InlineData("""{"name": "x", "type": "Recurring"}""", "type")]
    [InlineData("""{"name": "x", "type": "RECURRING", "priority": "URGENT"}""", "priority")]
    [InlineData("""{"name": "x", "type": "RECURRING", "startAt": "tomorrow"}""", "startAt")]
    [InlineData("""{"name": "x", "type": "RECURRING", "startAt": "2026-12-04T10:00:00"}""", "startAt")]
    [InlineData("""{"name": "x", "type": "RECURRING", "target": {"type": "HTTP", "timeoutSeconds": "ten"}}""", "target.timeoutSeconds")]
    [InlineData("""{"name": "x", "type": "RECURRING", "scheduleExpression": "* * * * *"}""", "target")]
    [InlineData("""{"name": "x", "type": "RECURRING", "scheduleExpression": "* * * * *", "target": {"type": "HTTP", "url": "ftp://example.com/x"}}""", "target.url")]
    [InlineData("""{"name": "x", "type": "RECURRING", "scheduleExpression": "* * * * *", "target": {"type": "HANDLER", "name": "missing"}}""", "target.name")]
    [InlineData("""{"type": "RECURRING", "scheduleExpression": "* * * * *", "target": {"type": "HTTP", "url": "http://127.0.0.1:9/x"}}""", "name")]
    [InlineData("""{"name": "x", "type": "RECURRING", "scheduleExpression": "* * * * *", "timeZone": "Mars/Olympus", "target": {"type": "HTTP", "url": "http://127.0.0.1:9/x"}}""", "timeZone")]
    [InlineData("""{"name": "x", "type": "ONE_TIME", "scheduleExpression": "2020-01-01T00:00:00Z", "target": {"type": "HTTP", "url": "http://127.0.0.1:9/x"}}""", "scheduleExpression")]
    [InlineData("""{"name": "x", "type": "RECURRING", "scheduleExpression": "* * * * *", "retryPolicy": {"maxRetries": -1}, "target": {"type": "HTTP", "url": "http://127.0.0.1:9/x"}}""", "retryPolicy.maxRetries")]
    [InlineData("""{"name": "x", "type": "RECURRING", "scheduleExpression": "* * * * *", "target": {"type": "HTTP", "url": "http://127.0.0.1:9/x", "headers": {"Idempotency-Key": "mine"}}}""", "target.headers")]
    [InlineData("""{"name": "x", "type": "RECURRING", "scheduleExpression": "* * * * *", "target": {"type": "HTTP", "url": "http://127.0.0.1:9/x", "headers": {"jobscheduler-attempt": "9"}}}""", "target.headers")]
    [InlineData("""{"name": "x", "type": "RECURRING", "scheduleExpression": "* * * * *", "target": {"type": "HTTP", "url": "http://127.0.0.1:9/x", "headers": {"Content-Length": "5"}}}""", "target.headers")]
    [InlineData("""{"name": "x", "type": "RECURRING", "scheduleExpression": "* * * * *", "target": {"type": "HTTP", "url": "http://127.0.0.1:9/x", "headers": {"Transfer-Encoding": "chunked"}}}""", "target.headers")]
    public async Task BadCreateBody_Returns400NamingField(string body, string field)
    {
        var problem = await PostExpectingProblemAsync(body, HttpStatusCode.BadRequest);

        Assert.Equal(field, problem.String("field"));
        Assert.DoesNotContain("   at ", problem.String("detail"));
    }

    [Theory]
    [InlineData("""{"name": """, "body", "The request body is not valid JSON; send a JSON object.")]
    [InlineData("""[]""", "body", "The request body must be a JSON object.")]
    [InlineData("""{"name": "x", "payload": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}""",
        "body", "The request body nests deeper than 64 levels; flatten the payload.")]
    [InlineData("""42""", "body", "The request body must be a JSON object.")]
    [InlineData("""null""", "body", "The request body must be a JSON object.")]
    [InlineData("""{"name": 5}""", "name", "The field 'name' has an invalid value or type. Give a string of 1 to 200 characters.")]
    [InlineData("""{"name": "x", "retryPolicy": {"maxRetries": 99999999999999999999}}""", "retryPolicy.maxRetries",
        "The field 'retryPolicy.maxRetries' has an invalid value or type. Give a whole number of retries.")]
    [InlineData("""{"name": "x", "maxExecutions": 1e3}""", "maxExecutions",
        "The field 'maxExecutions' has an invalid value or type. Give a whole number of scheduled executions.")]
    [InlineData("""{"name": "x", "webhook": {"events": ["EXPLODED"]}}""", "webhook.events[0]",
        "The field 'webhook.events[0]' has an invalid value or type. Give a list of SUCCEEDED, FAILED, TIMED_OUT, RETRYING, DEAD_LETTERED, SKIPPED, CANCELLED.")]
    [InlineData("""{"name": "x", "target": "http://example.com"}""", "target",
        "The field 'target' has an invalid value or type. Give an object such as {\"type\": \"HTTP\", \"url\": \"https://example.com/run\"}.")]
    [InlineData("""{"name": "x", "type": "ONE_TIME", "scheduleExpression": "0001-01-01T00:00:00Z", "target": {"type": "HTTP", "url": "http://127.0.0.1:9/x"}}""",
        "scheduleExpression", "The instant '0001-01-01T00:00:00Z' is in the past; give a future ISO-8601 instant such as ")]
    [InlineData("""{"name": "x", "type": "RECURRING", "scheduleExpression": "* * * * *", "retryPolicy": {"retryInterval": 7200, "maxRetryInterval": 60}, "target": {"type": "HTTP", "url": "http://127.0.0.1:9/x"}}""",
        "retryPolicy.maxRetryInterval", "maxRetryInterval (60 s) is below retryInterval (7200 s); it caps the growing interval, so give at least 7200.")]
    [InlineData("""{"name": "x", "type": "RECURRING", "scheduleExpression": "* * * * *", "target": {"type": "HTTP", "url": "http://127.0.0.1:9/x", "headers": {"X-A": "käse"}}}""",
        "target.headers", "The value of header 'X-A' is invalid: use at most 8192 visible ASCII characters, spaces or tabs, without line breaks.")]
    public async Task BadField_NamesExpectedForm(string body, string field, string detail)
    {
        var problem = await PostExpectingProblemAsync(body, HttpStatusCode.BadRequest);

        Assert.Equal(field, problem.String("field"));
        Assert.StartsWith(detail, problem.String("detail"));
    }

    [Theory]
    [InlineData("/api/v1/jobs/job_01M91F24VAC2ZYEW62JTYPTZV7")]
    [InlineData("/api/v1/jobs/not-a-job")]
    [InlineData("/api/v1/jobs/job_01M91F24VAC2ZYEW62JTYPTZV7/executions")]
    [InlineData("/api/v1/executions/exe_01M91F24VAC2ZYEW62JTYPTZV7_01M91F2FXJZ6S1WFSNDQ2VAP30")]
    [InlineData("/api/v1/executions/abc")]
    public async Task UnknownId_Returns404Problem(string path)
    {
        using var response = await fixture.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("501")]
    [InlineData("ten")]
    public async Task InvalidLimit_Returns400NamingLimit(string limit)
    {
        var jobId = await fixture.Http.CreateJobAsync("""{"name": "x", "type": "RECURRING", "scheduleExpression": "0 0 1 1 *", "target": {"type": "HTTP", "url": "http://127.0.0.1:9/x"}}""");

        using var response = await fixture.Http.GetAsync($"/api/v1/jobs/{jobId}/executions?limit={limit}");
        var problem = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("limit", problem.String("field"));
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/dashboard/")]
    public async Task OperatorEndpoint_Returns200(string path)
    {
        using var response = await fixture.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task BodyNotSentAsJson_Returns415NamingContentType(string mediaType)
    {
        using var content = new ByteArrayContent("""{"name": "x"}"""u8.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);

        using var response = await fixture.Http.PostAsync("/api/v1/jobs", content);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("Content-Type", problem.String("field"));
        Assert.StartsWith("The request body must be JSON: send it with Content-Type application/json", problem.String("detail"));
    }

    private async Task<JsonElement> PostExpectingProblemAsync(string body, HttpStatusCode status)
    {
        using var response = await fixture.Http.PostJsonAsync("/api/v1/jobs", body);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
