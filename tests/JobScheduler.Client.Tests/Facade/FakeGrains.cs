using System.Reflection;
using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;

namespace JobScheduler.Client.Tests.Facade;

/// <summary>
/// Scripted results of one job grain's calls, to reproduce failovers that a real silo
/// does not produce on demand. <see cref="SingleGrainFactory"/> serves it as an <see cref="IJobGrain"/>; every
/// other grain method throws <see cref="NotSupportedException"/>.
/// </summary>
public sealed class ScriptedJobGrain
{
    public Queue<Func<Task<ApiResult<JobInfo>>>> CreateAnswers { get; } = new();

    public Queue<Func<Task<ApiResult<string>>>> ExecuteNowAnswers { get; } = new();

    public Queue<Func<Task<ApiResult<ExecutionInfo>>>> CancelAnswers { get; } = new();

    public Queue<Func<Task<ApiResult<ExecutionInfo>>>> GetExecutionAnswers { get; } = new();

    public Queue<Func<Task<ApiResult<bool>>>> DiscardAnswers { get; } = new();

    public Queue<Func<Task<ApiResult<string>>>> RedriveAnswers { get; } = new();

    public int CallCount { get; private set; }

    public JobInfo StoredJob { get; set; } = new() { JobId = "job_01M91FGV6B6RJ2JBWFMSYVJSA9", UserId = "alice", Version = 1 };

    public int CreateCalls { get; private set; }

    public int GetJobCalls { get; private set; }

    public int ExecuteNowCalls { get; private set; }

    internal object Invoke(string method) => method switch
    {
        nameof(IJobGrain.Create) => Next(CreateAnswers, () => CreateCalls++),
        nameof(IJobGrain.GetJob) => Count(() => GetJobCalls++, Task.FromResult(ApiResult<JobInfo>.Ok(StoredJob))),
        nameof(IJobGrain.ExecuteNow) => Next(ExecuteNowAnswers, () => ExecuteNowCalls++),
        nameof(IJobGrain.CancelExecution) => Next(CancelAnswers, () => CallCount++),
        nameof(IJobGrain.GetExecution) => Next(GetExecutionAnswers, () => CallCount++),
        nameof(IJobGrain.DiscardDeadLetter) => Next(DiscardAnswers, () => CallCount++),
        nameof(IJobGrain.RedriveDeadLetter) => Next(RedriveAnswers, () => CallCount++),
        _ => throw new NotSupportedException($"IJobGrain.{method} is not scripted."),
    };

    private static Task<T> Next<T>(Queue<Func<Task<T>>> answers, Action count)
    {
        count();
        return answers.Dequeue()();
    }

    private static T Count<T>(Action count, T result)
    {
        count();
        return result;
    }
}

/// <summary>An <see cref="IJobGrain"/> whose calls go to a <see cref="ScriptedJobGrain"/>.</summary>
public class ScriptedJobGrainProxy : DispatchProxy
{
    internal ScriptedJobGrain Script { get; set; } = null!;

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        try
        {
            return Script.Invoke(targetMethod!.Name);
        }
        catch (Exception exception) when (targetMethod!.ReturnType.IsAssignableTo(typeof(Task)))
        {
            // A grain call reports failures through its task, as an Orleans grain reference does.
            return FaultedTask(targetMethod.ReturnType, exception);
        }
    }

    private static object FaultedTask(Type taskType, Exception exception)
    {
        var resultType = taskType.GetGenericArguments()[0];
        var fromException = typeof(Task).GetMethods()
            .Single(method => method is { Name: nameof(Task.FromException), IsGenericMethod: true })
            .MakeGenericMethod(resultType);
        return fromException.Invoke(null, [exception])!;
    }
}

/// <summary>An <see cref="IGrainFactory"/> whose string-keyed <c>GetGrain&lt;IJobGrain&gt;</c> returns one scripted grain.</summary>
public class SingleGrainFactory : DispatchProxy
{
    private IJobGrain _grain = null!;

    public static IGrainFactory For(ScriptedJobGrain script)
    {
        var grain = DispatchProxy.Create<IJobGrain, ScriptedJobGrainProxy>();
        ((ScriptedJobGrainProxy)(object)grain).Script = script;
        var factory = Create<IGrainFactory, SingleGrainFactory>();
        ((SingleGrainFactory)(object)factory)._grain = grain;
        return factory;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
        targetMethod is { Name: nameof(IGrainFactory.GetGrain), IsGenericMethod: true } method
        && method.GetGenericArguments()[0] == typeof(IJobGrain)
        && args is [string, ..]
            ? _grain
            : throw new NotSupportedException($"{targetMethod?.Name} is not used by these tests.");
}
