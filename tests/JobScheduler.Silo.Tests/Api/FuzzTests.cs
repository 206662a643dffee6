using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace JobScheduler.Silo.Tests.Api;

/// <summary>
/// Bad input of every kind to every endpoint, generated from a fixed seed: every response is a 4xx problem
/// naming the field at fault, never a 5xx, and no rejected request changes any state.
/// </summary>
[Collection(TenantGatewayCollection.Name)]
public sealed class FuzzTests(TenantGatewayFixture fixture)
{
    private const int Seed = 20260302;

    private static readonly string[] StringFields = ["name", "type", "scheduleExpression", "timeZone", "target.url", "target.method", "target.type", "priority", "misfirePolicy"];
    private static readonly string[] IntegerFields = ["maxExecutions", "misfireThreshold", "target.timeoutSeconds", "retryPolicy.maxRetries", "retryPolicy.retryInterval", "retryPolicy.maxRetryInterval"];
    private static readonly string[] InstantFields = ["startAt", "endAt"];
    private static readonly string[] ObjectFields = ["target", "retryPolicy", "target.headers"];

    private static readonly string[] WrongForString = ["123", "true", "[]", "{}", "1.5"];
    private static readonly string[] WrongForInteger = ["\"12\"", "true", "[]", "{}", "1.5", "1e400", "99999999999999999999", "-1e308", "\"\""];
    private static readonly string[] BadInstants = ["\"2026-13-45T00:00:00Z\"", "\"not a date\"", "\"2026-02-30T00:00:00Z\"", "\"2026-12-04T10:00:00\"", "\"9999-12-31T23:59:60Z\"", "0", "\"\""];
    private static readonly string[] WrongForObject = ["\"x\"", "5", "[1]", "true"];

    /// <summary>Each test fuzzes as its own user, so it can check that user's whole job index.</summary>
    private string User { get; } = "fuzzer-" + Guid.NewGuid().ToString("N")[..8];

    private HttpClient Http => fixture.For(User);

    [Fact]
    public async Task MalformedBody_IsRejectedWithField()
    {
        var random = new Random(Seed);
        var jobId = await Http.CreateJobAsync(ValidBody().ToJsonString());
        var cases = BodyCases(random).Select(c => (HttpMethod.Post, "/api/v1/jobs", c.Body, c.Field))
            .Concat(BodyCases(random).Select(c => (HttpMethod.Put, $"/api/v1/jobs/{jobId}", c.Body, c.Field)))
            .ToList();

        foreach (var (method, path, body, field) in cases)
        {
            using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await Http.SendAsync(request);
            await AssertRejectedAsync(response, $"{method} {path} {Describe(body)}", field);
        }

        await AssertUnchangedAsync(jobId);
    }

    [Fact]
    public async Task MalformedIds_Return404WithField()
    {
        var random = new Random(Seed + 1);
        var jobId = await Http.CreateJobAsync(ValidBody().ToJsonString());

        for (var i = 0; i < 60; i++)
        {
            var id = Uri.EscapeDataString(RandomText(random, random.Next(1, 80)));
            var requests = new (HttpMethod Method, string Path, string Field)[]
            {
                (HttpMethod.Get, $"/api/v1/jobs/{id}", "jobId"),
                (HttpMethod.Put, $"/api/v1/jobs/{id}", "jobId"),
                (HttpMethod.Delete, $"/api/v1/jobs/{id}", "jobId"),
                (HttpMethod.Post, $"/api/v1/jobs/{id}/pause", "jobId"),
                (HttpMethod.Post, $"/api/v1/jobs/{id}/resume", "jobId"),
                (HttpMethod.Post, $"/api/v1/jobs/{id}/execute", "jobId"),
                (HttpMethod.Get, $"/api/v1/jobs/{id}/executions", "jobId"),
                (HttpMethod.Get, $"/api/v1/executions/{id}", "executionId"),
            };
            foreach (var (method, path, field) in requests)
            {
                using var request = new HttpRequestMessage(method, path);
                if (method == HttpMethod.Put)
                {
                    request.Content = new StringContent(ValidBody().ToJsonString(), Encoding.UTF8, "application/json");
                }

                using var response = await Http.SendAsync(request);
                var problem = await AssertRejectedAsync(response, $"{method} {path}", field);
                Assert.Equal(404, problem.GetProperty("status").GetInt32());
            }
        }

        await AssertUnchangedAsync(jobId);
    }

    [Fact]
    public async Task MalformedQueryAndHeaders_AreRejected()
    {
        var random = new Random(Seed + 2);
        var jobId = await Http.CreateJobAsync(ValidBody().ToJsonString());
        var cases = new List<(HttpMethod Method, string Path, string? Header, string? Value, string Field)>();
        for (var i = 0; i < 40; i++)
        {
            var junk = Uri.EscapeDataString("x" + RandomText(random, random.Next(1, 60)));
            // Kestrel rejects URLs over 8 KiB with a bare 414 before the API runs, so stay below that.
            var longText = Uri.EscapeDataString(new string('9', random.Next(1001, 6000)));
            var control = Uri.EscapeDataString($"a{(char)random.Next(0, 32)}b");
            cases.Add((HttpMethod.Get, $"/api/v1/jobs?limit={junk}", null, null, "limit"));
            cases.Add((HttpMethod.Get, $"/api/v1/jobs?limit={longText}", null, null, "limit"));
            cases.Add((HttpMethod.Get, $"/api/v1/jobs?cursor={junk}", null, null, "cursor"));
            cases.Add((HttpMethod.Get, $"/api/v1/jobs?status={junk}", null, null, "status"));
            cases.Add((HttpMethod.Get, $"/api/v1/jobs?name={control}", null, null, "name"));
            cases.Add((HttpMethod.Get, $"/api/v1/jobs/{jobId}/executions?limit={junk}", null, null, "limit"));
            cases.Add((HttpMethod.Get, $"/api/v1/jobs/{jobId}/executions?cursor={junk}", null, null, "cursor"));
            cases.Add((HttpMethod.Get, $"/api/v1/schedules/preview?expression={junk}", null, null, "expression"));
            cases.Add((HttpMethod.Get, $"/api/v1/schedules/preview?expression={longText}", null, null, "expression"));
            cases.Add((HttpMethod.Get, $"/api/v1/schedules/preview?expression=%40daily&timeZone={junk}", null, null, "timeZone"));
            cases.Add((HttpMethod.Get, $"/api/v1/schedules/preview?expression=%40daily&count={junk}", null, null, "count"));
            cases.Add((HttpMethod.Get, $"/api/v1/schedules/preview?expression=%40daily&from={junk}", null, null, "from"));
            var tag = RandomHeaderText(random);
            cases.Add((HttpMethod.Delete, $"/api/v1/jobs/{jobId}", "If-Match", tag, "If-Match"));
            cases.Add((HttpMethod.Post, $"/api/v1/jobs/{jobId}/pause", "If-Match", tag, "If-Match"));
            cases.Add((HttpMethod.Post, $"/api/v1/jobs/{jobId}/execute", "Idempotency-Key", RandomHeaderText(random) + " " + RandomHeaderText(random), "Idempotency-Key"));
            cases.Add((HttpMethod.Post, $"/api/v1/jobs/{jobId}/execute", "Idempotency-Key", new string('k', random.Next(256, 4000)), "Idempotency-Key"));
        }

        foreach (var (method, path, header, value, field) in cases)
        {
            using var request = new HttpRequestMessage(method, path);
            if (header is not null)
            {
                request.Headers.TryAddWithoutValidation(header, value);
            }

            using var response = await Http.SendAsync(request);
            await AssertRejectedAsync(response, $"{method} {path} {header}: {value}", field);
        }

        await AssertUnchangedAsync(jobId);
        Assert.Empty((await Http.GetJsonAsync($"/api/v1/jobs/{jobId}/executions")).GetProperty("items").EnumerateArray());
    }

    /// <summary>Checks a 4xx problem document naming <paramref name="field"/> (when given); returns it.</summary>
    private static async Task<JsonElement> AssertRejectedAsync(HttpResponseMessage response, string what, string? field)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status is >= 400 and < 500, $"{what} answered {status}: {Shorten(text)}");
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        Assert.True(mediaType == "application/problem+json", $"{what} answered {status} as {mediaType}: {Shorten(text)}");
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        var named = problem.TryGetProperty("field", out var value) ? value.GetString() : null;
        Assert.False(string.IsNullOrEmpty(named), $"{what} answered a problem without a field: {Shorten(text)}");
        if (field is not null)
        {
            // A JSON path may go deeper than the field fuzzed, such as target.headers.X-Count.
            var matches = named == field || named!.StartsWith(field + ".", StringComparison.Ordinal);
            Assert.True(matches, $"{what} named '{named}' instead of '{field}': {Shorten(text)}");
        }

        return problem;
    }

    /// <summary>The fuzzed user still has exactly the one job, unchanged at version 1 and active.</summary>
    private async Task AssertUnchangedAsync(string jobId)
    {
        var jobs = await fixture.JobIndex.ListAsync(User, 500, null);
        Assert.Equal(jobId, Assert.Single(jobs).JobId);
        var job = await Http.GetJsonAsync($"/api/v1/jobs/{jobId}");
        Assert.Equal(1, job.GetProperty("version").GetInt64());
        Assert.Equal("ACTIVE", job.String("status"));
        Assert.Equal("fuzz-target", job.String("name"));
    }

    /// <summary>Invalid create bodies, each with the field it must be blamed on ("body" for unparseable ones).</summary>
    private static IEnumerable<(byte[] Body, string Field)> BodyCases(Random random)
    {
        var valid = ValidBody().ToJsonString();
        foreach (var field in StringFields)
        {
            foreach (var wrong in WrongForString)
            {
                yield return (With(field, wrong), field);
            }
        }

        foreach (var field in IntegerFields)
        {
            foreach (var wrong in WrongForInteger)
            {
                yield return (With(field, wrong), field);
            }
        }

        foreach (var field in InstantFields)
        {
            foreach (var wrong in BadInstants)
            {
                yield return (With(field, wrong), field);
            }
        }

        foreach (var field in ObjectFields)
        {
            foreach (var wrong in WrongForObject)
            {
                yield return (With(field, wrong), field);
            }
        }

        foreach (var (field, value) in UnknownEnums)
        {
            yield return (With(field, value), field);
        }

        foreach (var (field, value) in InvalidStrings(random))
        {
            yield return (With(field, JsonSerializer.Serialize(value)), field);
        }

        yield return (With("target.headers", """{"X-Count": 5}"""), "target.headers");
        yield return (With("target.headers", """{"X-Split": "a\r\nb"}"""), "target.headers");
        yield return (With("target.headers", $$"""{"{{new string('h', 300)}}": "v"}"""), "target.headers");
        yield return (With("retryPolicy.jitter", "2.5"), "retryPolicy.jitter");
        yield return (With("name", "\"\\ud800lone\""), "name");
        yield return (With("name", "\"\\udc00\\ud800\""), "name");
        yield return (With("target.url", "\"http://169.254.169.254/latest/meta-data/\""), "target.url");
        yield return (With("target.url", "\"http://[fd00:ec2::254]/\""), "target.url");
        yield return (With("target.url", "\"http://10.0.0.1/\""), "target.url");
        yield return (With("scheduleExpression", "\"0 0 30 2 *\""), "scheduleExpression");
        yield return (With("payload", "\"" + new string('p', 262_143) + "\""), "payload");

        for (var i = 0; i < 40; i++)
        {
            yield return (Encoding.UTF8.GetBytes(valid[..random.Next(1, valid.Length - 1)]), "body");
            var bytes = new byte[random.Next(1, 400)];
            random.NextBytes(bytes);
            yield return (bytes, "body");
        }

        yield return ([], "body");
        yield return ("null"u8.ToArray(), "body");
        yield return ("[]"u8.ToArray(), "body");
        yield return ("\"job\""u8.ToArray(), "body");
        yield return ([0xEF, 0xBB, 0xBF, 0xFF, 0xFE], "body");
        yield return (Encoding.UTF8.GetBytes(new string('[', 5000)), "body");
    }

    private static readonly (string Field, string Value)[] UnknownEnums =
    [
        ("type", "\"SOMETIMES\""),
        ("type", "1"),
        ("priority", "\"URGENT\""),
        ("misfirePolicy", "\"RETRY\""),
        ("target.type", "\"FTP\""),
        ("target.type", "0"),
    ];

    /// <summary>Strings of the right type that the validator must reject: control characters and very long values.</summary>
    private static IEnumerable<(string Field, string Value)> InvalidStrings(Random random)
    {
        yield return ("name", "\u0000evil");
        yield return ("name", "tab\there");
        yield return ("name", new string('n', 201));
        yield return ("name", new string('n', random.Next(10_000, 100_000)));
        yield return ("name", "");
        yield return ("scheduleExpression", "0 0 * * *\u0007");
        yield return ("scheduleExpression", new string('*', random.Next(1001, 100_000)));
        yield return ("scheduleExpression", "\u0000");
        yield return ("timeZone", "Europe/\u0001Berlin");
        yield return ("timeZone", new string('z', random.Next(101, 10_000)));
        yield return ("target.url", "http://" + new string('a', random.Next(2050, 50_000)) + ".example/");
        yield return ("target.url", "not a url");
        yield return ("target.url", "file:///etc/passwd");
        yield return ("target.url", "gopher://127.0.0.1:25/");
        yield return ("target.method", "TRACE");
        yield return ("target.method", "GET\r\nX: y");
    }

    /// <summary>The valid body with the value at a dotted path replaced by raw JSON text.</summary>
    private static byte[] With(string path, string rawJson)
    {
        var body = ValidBody();
        var parts = path.Split('.');
        JsonObject parent = body;
        foreach (var part in parts[..^1])
        {
            parent = parent[part] as JsonObject ?? throw new InvalidOperationException($"{part} is not an object in the template");
        }

        // Splice the raw text in, so values JsonNode cannot hold (1e400, lone surrogates) reach the server as sent.
        const string Marker = "\"__fuzz_marker__\"";
        parent[parts[^1]] = "__fuzz_marker__";
        return Encoding.UTF8.GetBytes(body.ToJsonString().Replace(Marker, rawJson, StringComparison.Ordinal));
    }

    private static JsonObject ValidBody() => new()
    {
        ["name"] = "fuzz-target",
        ["type"] = "RECURRING",
        ["scheduleExpression"] = "0 0 1 1 *",
        ["timeZone"] = "Europe/Berlin",
        ["target"] = new JsonObject
        {
            ["type"] = "HTTP",
            ["url"] = "http://127.0.0.1:9/fuzz",
            ["method"] = "POST",
            ["headers"] = new JsonObject { ["X-Team"] = "fuzz" },
            ["timeoutSeconds"] = 30,
        },
        ["payload"] = new JsonObject { ["n"] = 1 },
        ["retryPolicy"] = new JsonObject { ["maxRetries"] = 3, ["retryInterval"] = 300, ["maxRetryInterval"] = 3600, ["jitter"] = 0.1 },
        ["priority"] = "NORMAL",
        ["misfirePolicy"] = "FIRE_ONCE",
        ["startAt"] = "2030-01-01T00:00:00Z",
        ["endAt"] = "2040-01-01T00:00:00Z",
        ["maxExecutions"] = 5,
        ["misfireThreshold"] = 60,
    };

    private static string RandomText(Random random, int length)
    {
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(random.Next(4) switch
            {
                0 => (char)random.Next(0x20, 0x7F),
                // Kestrel rejects an encoded NUL in the path with a bare 400 before the API runs.
                1 => (char)random.Next(1, 0x20),
                2 => (char)random.Next(0xA0, 0x3000),
                _ => "job_exe_0123456789ABCDEFGHJKMNPQRSTVWXYZ"[random.Next(39)],
            });
        }

        return builder.ToString();
    }

    /// <summary>Visible ASCII without quotes or commas, so it is never a valid entity tag list.</summary>
    private static string RandomHeaderText(Random random)
    {
        var builder = new StringBuilder();
        var length = random.Next(1, 40);
        for (var i = 0; i < length; i++)
        {
            var c = (char)random.Next(0x21, 0x7F);
            builder.Append(c is '"' or ',' or '*' ? 'q' : c);
        }

        return builder.ToString();
    }

    private static string Describe(byte[] body) => body.Length <= 120 ? Encoding.UTF8.GetString(body) : $"{Encoding.UTF8.GetString(body, 0, 120)}... ({body.Length} bytes)";

    private static string Shorten(string text) => text.Length <= 400 ? text : text[..400] + "...";
}
