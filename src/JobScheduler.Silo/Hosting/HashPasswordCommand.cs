using JobScheduler.Silo.Observability.Dashboard;

namespace JobScheduler.Silo.Hosting;

/// <summary>
/// The silo's <c>hash-password</c> command: reads a password from the first line of standard input and prints
/// its hash for <c>Dashboard:PasswordHash</c>. The password is never an argument, so it stays out of the shell
/// history and the process list.
/// </summary>
public static class HashPasswordCommand
{
    /// <summary>The command's name, the first argument.</summary>
    public const string Name = "hash-password";

    /// <summary>Shortest accepted password, in characters.</summary>
    public const int MinPasswordLength = 12;

    /// <summary>Runs the command; returns the exit code (0 printed, 1 rejected password, 2 bad usage).</summary>
    public static int Run(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        if (args.Length > 0)
        {
            error.WriteLine("Usage: hash-password, with the password on standard input, for example: "
                + "read -rs PASSWORD && printf '%s\\n' \"$PASSWORD\" | dotnet JobScheduler.Silo.dll hash-password");
            return 2;
        }

        var password = input.ReadLine();
        if (password is null || password.Length < MinPasswordLength)
        {
            error.WriteLine($"The password on standard input is missing or shorter than {MinPasswordLength} characters; choose a longer one.");
            return 1;
        }

        output.WriteLine(DashboardAccess.HashPassword(password));
        return 0;
    }
}
