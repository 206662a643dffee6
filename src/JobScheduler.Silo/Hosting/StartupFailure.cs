using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace JobScheduler.Silo.Hosting;

/// <summary>
/// Turns the start-up failures an operator causes and can fix (an invalid setting, a port in use) into one
/// line, so the silo exits with a message instead of a stack trace.
/// </summary>
public static class StartupFailure
{
    /// <summary>Returns the one-line reason for <paramref name="exception"/>, or null when it is not such a failure.</summary>
    public static string? Describe(Exception exception)
    {
        // Start-up validation reports each invalid options type as its own exception, so all of them are listed.
        var invalid = Causes(exception).OfType<OptionsValidationException>().SelectMany(failure => failure.Failures).ToList();
        if (invalid.Count > 0)
        {
            return "invalid configuration: " + string.Join(" ", invalid);
        }

        foreach (var cause in Causes(exception))
        {
            switch (cause)
            {
                case SiloStartupException startup:
                    return startup.Message;
                case InvalidOperationException when cause.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal):
                    return $"invalid configuration: {cause.Message} Fix the value or remove the setting to use its default.";
                case SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }:
                case IOException when cause.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase):
                    return $"a port is already in use ({cause.Message}). Choose free ports with --urls, --Orleans:SiloPort and --Orleans:GatewayPort.";
            }

            if (cause.GetType().Name == "AddressInUseException")
            {
                return $"a port is already in use ({cause.Message}). Choose free ports with --urls, --Orleans:SiloPort and --Orleans:GatewayPort.";
            }
        }

        return null;
    }

    /// <summary>Returns the exception and every inner exception, aggregated ones included, outermost first.</summary>
    private static IEnumerable<Exception> Causes(Exception exception)
    {
        var pending = new Queue<Exception>([exception]);
        while (pending.TryDequeue(out var current))
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Enqueue(inner);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Enqueue(inner);
            }
        }
    }
}
