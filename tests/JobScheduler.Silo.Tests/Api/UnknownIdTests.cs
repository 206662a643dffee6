using System.Net;

namespace JobScheduler.Silo.Tests.Api;

/// <summary>A 404 for an unknown execution or dead letter names the id parameter of the path, not the job.</summary>
[Collection(TenantGatewayCollection.Name)]
public sealed class UnknownIdTests(TenantGatewayFixture fixture)
{
    private const string UnknownExecution = "exe_01M91F24VAC2ZYEW62JTYPTZV7_01M91F2FXJZ6S1WFSNDQ2VAP30";
    private const string UnknownDeadLetter = "dlq_01M91F24VAC2ZYEW62JTYPTZV7_01M91F2FXJZ6S1WFSNDQ2VAP30";

    private HttpClient Http => fixture.For("unknown-ids");

    [Theory]
    [InlineData("POST", $"/api/v1/executions/{UnknownExecution}/cancel", "executionId")]
    [InlineData("GET", $"/api/v1/executions/{UnknownExecution}", "executionId")]
    [InlineData("POST", $"/api/v1/dead-letters/{UnknownDeadLetter}/redrive", "deadLetterId")]
    [InlineData("DELETE", $"/api/v1/dead-letters/{UnknownDeadLetter}", "deadLetterId")]
    [InlineData("GET", $"/api/v1/dead-letters/{UnknownDeadLetter}", "deadLetterId")]
    public async Task UnknownId_NamesItsParameter(string method, string path, string field)
    {
        using var response = await Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound, field);
    }
}
