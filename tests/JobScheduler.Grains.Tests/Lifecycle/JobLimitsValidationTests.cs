using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Execution;
using JobScheduler.Grains.Jobs;

namespace JobScheduler.Grains.Tests.Lifecycle;

/// <summary>The configurable limits the job validator enforces: minimum interval and payload size.</summary>
public sealed class JobLimitsValidationTests
{
    private static readonly DateTimeOffset CreatedAt = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private static readonly JobValidator Validator = new(
        new JobHandlerNames([new JobHandlerRegistration(RecordingHandler.Name)]),
        60,
        new JobLimitsOptions { MinRecurringInterval = TimeSpan.FromMinutes(1), MaxPayloadBytes = 10 });

    [Theory]
    [InlineData("*/5 * * * * *", "The schedule runs 5 s apart; the minimum interval between runs is 60 s. Use a less frequent expression.")]
    [InlineData("@every 30s", "The schedule runs 30 s apart; the minimum interval between runs is 60 s. Use a less frequent expression.")]
    [InlineData("0,30 * * * * *", "The schedule runs 30 s apart; the minimum interval between runs is 60 s. Use a less frequent expression.")]
    public void FrequentSchedule_IsRejected(string expression, string message)
    {
        var error = Validator.Validate(JobDefinitions.Recurring(expression) with { Payload = null }, CreatedAt, out _, out _);

        Assert.Equal(ApiErrorKind.Validation, error?.Kind);
        Assert.Equal("scheduleExpression", error?.Field);
        Assert.Equal(message, error?.Message);
    }

    [Theory]
    [InlineData("* * * * *")]
    [InlineData("@every 1m")]
    [InlineData("0 * * * * *")]
    public void MinuteSchedule_IsAccepted(string expression)
    {
        Assert.Null(Validator.Validate(JobDefinitions.Recurring(expression) with { Payload = null }, CreatedAt, out _, out _));
    }

    [Fact]
    public void PayloadOverConfiguredLimit_IsTooLarge()
    {
        var error = Validator.Validate(JobDefinitions.Recurring("@hourly") with { Payload = "\"123456789\"" }, CreatedAt, out _, out _);

        Assert.Equal(ApiErrorKind.PayloadTooLarge, error?.Kind);
        Assert.Equal("The payload is 11 bytes of JSON; the limit is 10 bytes. Store large data elsewhere and pass a reference.", error?.Message);
    }

    [Fact]
    public void NameLength_CountsCodePoints()
    {
        var emoji = char.ConvertFromUtf32(0x1F680);
        var longest = string.Concat(Enumerable.Repeat(emoji, 200));

        var accepted = Validator.Validate(JobDefinitions.Recurring("@hourly") with { Name = longest, Payload = null }, CreatedAt, out _, out _);
        var rejected = Validator.Validate(JobDefinitions.Recurring("@hourly") with { Name = longest + emoji, Payload = null }, CreatedAt, out _, out _);

        Assert.Null(accepted);
        Assert.Equal("name", rejected?.Field);
        Assert.Equal("The name is 201 characters long; the maximum is 200.", rejected?.Message);
    }

    [Fact]
    public void InvalidName_IsRejected()
    {
        // Built in code: xUnit would replace a lone surrogate in InlineData before the test sees it.
        string[] names = ["\u0001name", "lone " + (char)0xD800 + " surrogate", (char)0xDC00 + "reversed" + (char)0xD800];

        foreach (var name in names)
        {
            var error = Validator.Validate(JobDefinitions.Recurring("@hourly") with { Name = name, Payload = null }, CreatedAt, out _, out _);

            Assert.Equal("name", error?.Field);
            Assert.Equal("The name contains control characters or invalid Unicode; use printable characters only.", error?.Message);
        }
    }
}
