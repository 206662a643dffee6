namespace JobScheduler.Abstractions.Handlers;

/// <summary>
/// An in-process job target. A silo host registers implementations by name
/// (<c>services.AddJobHandler&lt;T&gt;("send-report")</c>); jobs call them with a <c>HANDLER</c> target.
/// </summary>
public interface IJobHandler
{
    /// <summary>
    /// Runs one attempt. Return normally for success; throw for failure. Honour the token: it is
    /// cancelled at the target's timeout.
    /// </summary>
    Task ExecuteAsync(JobExecutionContext context, CancellationToken cancellationToken);
}
