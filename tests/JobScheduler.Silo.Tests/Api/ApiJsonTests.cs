using System.Text.Json;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Silo.Gateway;

namespace JobScheduler.Silo.Tests.Api;

/// <summary>The API's enum form: upper snake case, written and read in exactly that form.</summary>
public sealed class ApiJsonTests
{
    [Fact]
    public void EnumValue_ReadInDocumentedForm()
    {
        Assert.Equal(JobType.OneTime, JsonSerializer.Deserialize<JobType>("\"ONE_TIME\"", Options()));
    }

    [Theory]
    [InlineData("\"OneTime\"")]
    [InlineData("\"onetime\"")]
    [InlineData("\"one_time\"")]
    [InlineData("0")]
    public void EnumValue_OtherFormsRejected(string json)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<JobType>(json, Options()));

        Assert.StartsWith("Expected one of ONE_TIME, RECURRING.", error.Message);
    }

    [Fact]
    public void EnumValue_WrittenUpperSnakeCase()
    {
        Assert.Equal("\"ONE_TIME\"", JsonSerializer.Serialize(JobType.OneTime, Options()));
    }

    private static JsonSerializerOptions Options()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiJson.Configure(options);
        return options;
    }
}
