using System.Runtime.InteropServices;

namespace JobScheduler.Failover.Hosting;

/// <summary>POSIX signals sent to the silo processes this harness started (Linux numbering).</summary>
internal static partial class Signals
{
    public const int Kill = 9;
    public const int Terminate = 15;
    public const int Continue = 18;
    public const int Stop = 19;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; throws when the process is gone.</summary>
    public static void Send(int pid, int signal)
    {
        if (SendSignal(pid, signal) != 0)
        {
            throw new HarnessException($"Could not send signal {signal} to process {pid} (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
