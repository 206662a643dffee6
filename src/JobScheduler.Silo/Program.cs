using JobScheduler.Silo.Gateway.Security;
using JobScheduler.Silo.Hosting;
using Microsoft.Extensions.Options;

if (args.Length > 0)
{
    switch (args[0])
    {
        case TokenCommand.Name:
            return TokenCommand.Run(args[1..], Console.Out, Console.Error);
        case HealthCheckCommand.Name:
            return await HealthCheckCommand.RunAsync(args[1..], Console.Out, Console.Error);
        case HashPasswordCommand.Name:
            return HashPasswordCommand.Run(args[1..], Console.In, Console.Out, Console.Error);
        case StorageMode.MigrateCommand:
            return StorageMode.RunMigrate(args[1..]);
    }
}

try
{
    var app = SiloApp.Build(args);

    // Checks every validated setting before Orleans starts, so all invalid values are reported together.
    app.Services.GetService<IStartupValidator>()?.Validate();
    await app.RunAsync();
    return 0;
}
catch (Exception exception) when (StartupFailure.Describe(exception) is { } reason)
{
    // A start-up failure the operator can fix: one line, no stack trace.
    Console.Error.WriteLine($"JobScheduler silo did not start: {reason}");
    return 1;
}
