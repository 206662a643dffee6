using System.Globalization;
using JobScheduler.Abstractions.Handlers;
using JobScheduler.Grains.Hosting;
using JobScheduler.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.AspNetCore.Builder;

namespace JobScheduler.Failover.Hosting;

/// <summary>
/// The silo process the harness starts: the stock silo (<see cref="SiloApp.Build"/>) plus the recording
/// handler. Every run becomes one line on standard output, <c>@run {idempotency key} {attempt} {start unix ms}</c>;
/// logs go to standard error. A line written before a SIGKILL is already in the pipe, so it is never lost.
/// </summary>
public static class RecordingSilo
{
    /// <summary>The first argument that makes the harness executable run as a silo.</summary>
    public const string Command = "silo";

    /// <summary>The handler name the harness's jobs target.</summary>
    public const string HandlerName = "failover-record";

    /// <summary>The prefix of a run line on the silo's standard output.</summary>
    public const string RunPrefix = "@run ";

    /// <summary>Runs the silo until SIGTERM or SIGINT; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            var app = SiloApp.Build(args, builder =>
            {
                builder.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
                builder.Services.AddJobHandler(HandlerName, new RunLineHandler(Console.Out));
            });
            await app.RunAsync();
            return 0;
        }
        catch (SiloStartupException exception)
        {
            await Console.Error.WriteLineAsync($"JobScheduler silo did not start: {exception.Message}");
            return 1;
        }
    }

    /// <summary>A no-op job body that prints one run line per attempt.</summary>
    private sealed class RunLineHandler(TextWriter output) : IJobHandler
    {
        public Task ExecuteAsync(JobExecutionContext context, CancellationToken cancellationToken)
        {
            var started = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            // Console.Out is synchronized and flushes each line, so a line is one write to the pipe.
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{RunPrefix}{context.IdempotencyKey} {context.AttemptNumber} {started}"));
            return Task.CompletedTask;
        }
    }
}
