// A silo host of your own: the stock silo (REST API, dashboard, health, metrics) plus an in-process
// handler named "send-report". Once the silo has joined its cluster, it schedules a job that runs the
// handler every 5 seconds. Stop it with Ctrl+C.
using JobScheduler.Client.Hosting;
using JobScheduler.Grains.Hosting;
using JobScheduler.Samples.HandlerSilo;
using JobScheduler.Silo.Hosting;

try
{
    var app = SiloApp.Build(args, builder =>
    {
        builder.Services.AddJobHandler<SendReportHandler>(SendReportHandler.Name);

        // IJobScheduler on top of this silo's own grain factory: no separate Orleans client is needed.
        builder.Services.AddJobSchedulerFacade(options => options.UserId = "handler-silo");
        builder.Services.AddHostedService<ScheduleReportJob>();
    });
    await app.RunAsync();
    return 0;
}
catch (SiloStartupException exception)
{
    Console.Error.WriteLine($"The silo did not start: {exception.Message}");
    return 1;
}
