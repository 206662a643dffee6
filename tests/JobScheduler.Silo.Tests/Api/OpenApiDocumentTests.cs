using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace JobScheduler.Silo.Tests.Api;

/// <summary>
/// The OpenAPI document declares a success and its errors for every operation, and every example and error
/// table in docs/api.md matches it.
/// </summary>
[Collection(TenantGatewayCollection.Name)]
public sealed partial class OpenApiDocumentTests(TenantGatewayFixture fixture)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    /// <summary>Operations with no path, query, header or body input, which therefore have no 400 or 404 response.</summary>
    private static readonly HashSet<string> OperationsWithoutInput = ["get /api/v1/webhook-secret", "post /api/v1/webhook-secret/rotate"];

    [Fact]
    public async Task Document_ListsEveryApiOperation()
    {
        var document = await DocumentAsync();

        var operations = Operations(document).Select(op => $"{op.Method.ToUpperInvariant()} {op.Path}").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(
            [
                "DELETE /api/v1/dead-letters/{deadLetterId}",
                "DELETE /api/v1/jobs/{jobId}",
                "GET /api/v1/dead-letters",
                "GET /api/v1/dead-letters/{deadLetterId}",
                "GET /api/v1/executions/{executionId}",
                "GET /api/v1/jobs",
                "GET /api/v1/jobs/{jobId}",
                "GET /api/v1/jobs/{jobId}/executions",
                "GET /api/v1/jobs/{jobId}/webhook-deliveries",
                "GET /api/v1/schedules/preview",
                "GET /api/v1/webhook-secret",
                "POST /api/v1/dead-letters/{deadLetterId}/redrive",
                "POST /api/v1/executions/{executionId}/cancel",
                "POST /api/v1/jobs",
                "POST /api/v1/jobs/{jobId}/execute",
                "POST /api/v1/jobs/{jobId}/pause",
                "POST /api/v1/jobs/{jobId}/resume",
                "POST /api/v1/webhook-secret/rotate",
                "PUT /api/v1/jobs/{jobId}",
            ],
            operations);
    }

    [Fact]
    public async Task EveryOperation_DeclaresSuccessAndProblemErrors()
    {
        var document = await DocumentAsync();

        foreach (var (method, path, operation) in Operations(document))
        {
            var responses = operation.GetProperty("responses").EnumerateObject().ToList();
            var where = $"{method} {path}";
            Assert.True(responses.Count(r => r.Name.StartsWith('2')) == 1, $"{where} declares one success response");
            Assert.Contains(responses, r => r.Name == "401");
            Assert.Contains(responses, r => r.Name == "429");
            if (!OperationsWithoutInput.Contains(where))
            {
                Assert.Contains(responses, r => r.Name is "400" or "404");
            }
            foreach (var error in responses.Where(r => r.Name[0] is '4'))
            {
                var content = error.Value.GetProperty("content");
                Assert.True(content.TryGetProperty("application/problem+json", out _), $"{where} {error.Name} is a problem document");
            }

            var security = operation.GetProperty("security")[0];
            Assert.True(security.TryGetProperty("Bearer", out _), $"{where} requires the bearer scheme");
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{where} has a summary");
        }
    }

    [Fact]
    public async Task Document_DescribesBearerSchemeAndProblemFields()
    {
        var document = await DocumentAsync();
        var components = document.GetProperty("components");

        var bearer = components.GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        var problem = components.GetProperty("schemas").GetProperty("ProblemDetails").GetProperty("properties");
        Assert.True(problem.TryGetProperty("field", out _));
        Assert.True(problem.TryGetProperty("errors", out _));
        var jobType = components.GetProperty("schemas").GetProperty("JobType").GetProperty("enum");
        Assert.Equal(["ONE_TIME", "RECURRING"], jobType.EnumerateArray().Select(v => v.GetString()).ToList());
        var limit = Operations(document).Single(op => op.Path == "/api/v1/jobs" && op.Method == "get").Operation
            .GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "limit");
        Assert.Equal("integer", limit.GetProperty("schema").GetProperty("type").GetString());
    }

    [Fact]
    public async Task ReferencePage_IsServed()
    {
        using var page = await fixture.Anonymous.GetAsync("/scalar/v1");
        using var redirect = await fixture.NewClient().GetAsync("/openapi");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>JobScheduler API</title>", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, redirect.StatusCode);
        Assert.Equal("/scalar/v1", redirect.RequestMessage?.RequestUri?.AbsolutePath);
    }

    [Fact]
    public async Task DocsExamples_MatchDocument()
    {
        var document = await DocumentAsync();
        var operations = Operations(document).ToList();
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var commands = CurlCommands(await File.ReadAllTextAsync(DocsPath())).ToList();

        Assert.True(commands.Count >= operations.Count, "docs/api.md has a curl example for every operation");
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var command in commands)
        {
            var method = CurlMethod().Match(command) is { Success: true } m ? m.Groups[1].Value.ToLowerInvariant() : "get";
            var url = CurlUrl().Match(command);
            Assert.True(url.Success, $"example without $API URL: {command}");
            var path = "/api/v1" + url.Groups["path"].Value;
            var match = operations.SingleOrDefault(op => op.Method == method && Template(op.Path).IsMatch(path));
            Assert.True(match.Operation.ValueKind == JsonValueKind.Object, $"docs example {method.ToUpperInvariant()} {path} is not in the OpenAPI document");
            covered.Add($"{match.Method} {match.Path}");

            var declared = match.Operation.TryGetProperty("parameters", out var parameters)
                ? parameters.EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToHashSet()
                : [];
            foreach (var name in QueryNames(command, url.Groups["query"].Value))
            {
                Assert.True(declared.Contains(name), $"docs example uses query parameter '{name}' that {method} {match.Path} does not declare");
            }

            if (CurlData().Match(command) is { Success: true } data)
            {
                AssertBodyMatchesSchema(JsonDocument.Parse(data.Groups[1].Value).RootElement, schemas, "JobRequest", path);
            }
        }

        Assert.Equal(operations.Count, covered.Count);
    }

    [Fact]
    public async Task DocsErrorTables_MatchDocument()
    {
        var document = await DocumentAsync();
        var operations = Operations(document).ToList();
        var sections = DocSections(await File.ReadAllTextAsync(DocsPath())).ToList();

        Assert.Equal(operations.Count, sections.Count);
        foreach (var (method, path, statuses) in sections)
        {
            var operation = operations.Single(op => op.Method == method && op.Path == path).Operation;
            var declared = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
            Assert.NotEmpty(statuses);
            foreach (var status in statuses)
            {
                Assert.True(declared.Contains(status), $"docs/api.md lists {status} for {method} {path}, which the document does not declare");
            }
        }
    }

    private static void AssertBodyMatchesSchema(JsonElement body, JsonElement schemas, string schemaName, string path)
    {
        var properties = schemas.GetProperty(schemaName).GetProperty("properties");
        foreach (var member in body.EnumerateObject())
        {
            Assert.True(properties.TryGetProperty(member.Name, out var property), $"docs example for {path} sends '{member.Name}', which {schemaName} does not have");
            if (member.Value.ValueKind == JsonValueKind.Object && member.Name != "payload" && member.Name != "headers")
            {
                var reference = FindReference(property);
                Assert.NotNull(reference);
                AssertBodyMatchesSchema(member.Value, schemas, reference, path);
            }
        }
    }

    private static string? FindReference(JsonElement property)
    {
        if (property.TryGetProperty("$ref", out var direct))
        {
            return direct.GetString()!.Split('/')[^1];
        }

        return property.TryGetProperty("oneOf", out var choices)
            ? choices.EnumerateArray().Select(FindReference).FirstOrDefault(name => name is not null)
            : null;
    }

    [Fact]
    public async Task JobRequest_NamesRequiredAndDescribedFields()
    {
        var document = await DocumentAsync();

        var schema = document.GetProperty("components").GetProperty("schemas").GetProperty("JobRequest");
        var required = schema.GetProperty("required").EnumerateArray().Select(field => field.GetString()).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["name", "scheduleExpression", "target", "type"], required);
        Assert.StartsWith("Required. For `RECURRING`, a cron expression", schema.GetProperty("properties").GetProperty("scheduleExpression").GetProperty("description").GetString());
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var response = await fixture.Anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonElement document)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => Methods.Contains(o.Name)))
            {
                yield return (operation.Name, path.Name, operation.Value);
            }
        }
    }

    private static Regex Template(string path) =>
        new("^" + Regex.Replace(Regex.Escape(path), @"\\\{[^}]+}", "[^/?]+") + "$");

    /// <summary>The curl commands of the sh code blocks, with continuation lines joined.</summary>
    private static IEnumerable<string> CurlCommands(string markdown)
    {
        foreach (Match block in ShellBlock().Matches(markdown))
        {
            var joined = block.Groups[1].Value.Replace("\\\n", " ", StringComparison.Ordinal);
            foreach (var line in joined.Split('\n'))
            {
                if (line.TrimStart().StartsWith("curl ", StringComparison.Ordinal))
                {
                    yield return line.Trim();
                }
            }
        }
    }

    private static IEnumerable<string> QueryNames(string command, string query)
    {
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            yield return pair.Split('=')[0];
        }

        foreach (Match encoded in CurlUrlEncoded().Matches(command))
        {
            yield return encoded.Groups[1].Value;
        }
    }

    /// <summary>Each endpoint heading and the status codes of the error table under it.</summary>
    private static IEnumerable<(string Method, string Path, List<string> Statuses)> DocSections(string markdown)
    {
        var headings = EndpointHeading().Matches(markdown).ToList();
        for (var i = 0; i < headings.Count; i++)
        {
            var end = i + 1 < headings.Count ? headings[i + 1].Index : markdown.Length;
            var section = markdown[headings[i].Index..end];
            var statuses = ErrorRow().Matches(section).Select(row => row.Groups[1].Value).ToList();
            yield return (headings[i].Groups[1].Value.ToLowerInvariant(), headings[i].Groups[2].Value, statuses);
        }
    }

    private static string DocsPath()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "docs", "api.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("docs/api.md was not found above the test directory.");
    }

    [GeneratedRegex(@"```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    [GeneratedRegex(@"-X\s+([A-Z]+)")]
    private static partial Regex CurlMethod();

    [GeneratedRegex("\"\\$API(?<path>/[^\"?\\s]*)(?<query>\\?[^\"\\s]*)?\"")]
    private static partial Regex CurlUrl();

    [GeneratedRegex(@"-d\s+'([^']*)'")]
    private static partial Regex CurlData();

    [GeneratedRegex(@"--data-urlencode\s+'([^=']+)=")]
    private static partial Regex CurlUrlEncoded();

    [GeneratedRegex(@"^### `([A-Z]+) (/api/v1/[^`]*)`", RegexOptions.Multiline)]
    private static partial Regex EndpointHeading();

    [GeneratedRegex(@"^\| `(\d{3})` \|", RegexOptions.Multiline)]
    private static partial Regex ErrorRow();
}
