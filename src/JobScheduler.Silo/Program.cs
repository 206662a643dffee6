using JobScheduler.Silo.Gateway.Security;
using JobScheduler.Silo.Hosting;

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
    await app.RunAsync();
    return 0;
}
catch (SiloStartupException exception)
{
    // A start-up failure the operator can fix: one line, no stack trace.
    Console.Error.WriteLine($"JobScheduler silo did not start: {exception.Message}");
    return 1;
}
