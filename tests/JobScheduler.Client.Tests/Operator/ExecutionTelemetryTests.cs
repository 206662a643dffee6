using System.Net;
using System.Text;
using System.Text.Json;

namespace JobScheduler.Client.Tests.Operator;

/// <summary>
/// Telemetry recorded by real executions: the executor's counters, and the trace context that a job keeps
/// from its create request. Runs jobs over the REST API against the shared silo.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class ExecutionTelemetryTests(SiloFixture fixture)
{
    [Fact]
    public async Task Executions_CountedAfterRealRuns()
    {
        using var http = fixture.NewHttpClient();
        var before = PrometheusText.Parse(await http.GetStringAsync("/metrics"));
        var succeeding = await CreateHandlerJobAsync(http, RecordingHandler.Name);
        var failing = await CreateHandlerJobAsync(http, FailingHandler.Name);

        await ExecuteAndWaitAsync(http, succeeding);
        await ExecuteAndWaitAsync(http, succeeding);
        await ExecuteAndWaitAsync(http, failing);

        // The silo is shared with other test classes whose failing jobs keep retrying (retries keep the MANUAL
        // trigger), so the counters may rise by more than this test's own runs, never by less.
        await Eventually.HoldsAsync(async () =>
        {
            var after = PrometheusText.Parse(await http.GetStringAsync("/metrics"));
            return Increase(before, after, "jobscheduler_executions_total", ("outcome", "succeeded"), ("trigger", "manual")) >= 2
                && Increase(before, after, "jobscheduler_executions_total", ("outcome", "failed"), ("trigger", "manual")) >= 1;
        }, "at least two succeeded and one failed manual execution");
    }

    [Fact]
    public async Task TraceId_FlowsFromCreateToExecution()
    {
        await using var receiver = await TargetReceiver.StartAsync();
        using var http = fixture.NewHttpClient();
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var body = $$$"""
            {"name": "traced", "type": "RECURRING", "scheduleExpression": "0 0 1 1 *",
             "target": {"type": "HTTP", "url": "{{{receiver.BaseUrl}}}/ok/traced"}}
            """;
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        // A traced caller: its outgoing request carries the caller's trace id in the traceparent header.
        HttpResponseMessage created;
        using (new System.Diagnostics.Activity("traced-caller").SetParentId($"00-{traceId}-00f067aa0ba902b7-01").Start())
        {
            created = await http.SendAsync(create);
        }

        var jobId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("jobId").GetString()!;
        created.Dispose();

        await ExecuteAndWaitAsync(http, jobId);

        var call = Assert.Single(receiver.CallsTo("/ok/traced"));
        Assert.Equal(traceId, call.Header("traceparent").Split('-')[1]);
    }

    private static async Task<string> CreateHandlerJobAsync(HttpClient http, string handler)
    {
        var body = $$$"""
            {"name": "counted", "type": "RECURRING", "scheduleExpression": "0 0 1 1 *",
             "target": {"type": "HANDLER", "name": "{{{handler}}}"}, "retryPolicy": {"maxRetries": 0}}
            """;
        using var response = await http.PostAsync("/api/v1/jobs", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("jobId").GetString()!;
    }

    private static async Task ExecuteAndWaitAsync(HttpClient http, string jobId)
    {
        using var started = await http.PostAsync($"/api/v1/jobs/{jobId}/execute", content: null);
        var executionId = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("executionId").GetString()!;
        await Eventually.HoldsAsync(async () =>
        {
            var execution = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/executions/{executionId}")).RootElement;
            return execution.GetProperty("status").GetString() is not ("PENDING" or "RUNNING");
        }, $"execution {executionId} to finish");
    }

    private static double Increase(
        IReadOnlyList<PrometheusSample> before, IReadOnlyList<PrometheusSample> after, string name, params (string Key, string Value)[] labels) =>
        (PrometheusText.Value(after, name, labels) ?? 0) - (PrometheusText.Value(before, name, labels) ?? 0);
}
