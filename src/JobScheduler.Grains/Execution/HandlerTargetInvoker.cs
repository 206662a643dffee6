using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Handlers;
using Microsoft.Extensions.DependencyInjection;

namespace JobScheduler.Grains.Execution;

/// <summary>Runs in-process handlers registered by name (keyed <see cref="IJobHandler"/> services).</summary>
public sealed class HandlerTargetInvoker(IServiceProvider services) : ITargetInvoker
{
    public async Task<TargetResult> InvokeAsync(AttemptRequest attempt, CancellationToken cancellationToken)
    {
        var name = attempt.Target.Name ?? "";
        var handler = services.GetKeyedService<IJobHandler>(name);
        if (handler is null)
        {
            return TargetResult.Failed($"No handler named '{name}' is registered on this silo.");
        }

        var context = new JobExecutionContext
        {
            JobId = attempt.JobId,
            ExecutionId = attempt.ExecutionId,
            AttemptNumber = attempt.AttemptNumber,
            IdempotencyKey = attempt.IdempotencyKey,
            ScheduledAt = attempt.ScheduledAt,
            Trigger = attempt.Trigger,
            Payload = attempt.Payload,
        };

        try
        {
            await handler.ExecuteAsync(context, cancellationToken);
            return TargetResult.Succeeded();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return TargetResult.Failed($"{exception.GetType().FullName}: {exception.Message}");
        }
    }
}
