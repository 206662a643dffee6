using JobScheduler.Abstractions.Jobs;

namespace JobScheduler.Grains.Jobs;

/// <summary>Maps between the wire definition and its stored form. Enum names are fixed strings here.</summary>
internal static class StoredDefinitionMapper
{
    public static StoredDefinition ToStored(JobDefinition definition) => new()
    {
        Name = definition.Name,
        Type = definition.Type == JobType.OneTime ? "ONE_TIME" : "RECURRING",
        ScheduleExpression = definition.ScheduleExpression,
        TimeZone = definition.TimeZone,
        TargetType = definition.Target!.Type == TargetType.Http ? "HTTP" : "HANDLER",
        TargetUrl = definition.Target.Url,
        TargetMethod = definition.Target.Method,
        TargetHeaders = definition.Target.Headers?.ToDictionary(),
        TargetName = definition.Target.Name,
        TimeoutSeconds = definition.Target.TimeoutSeconds ?? JobDefaults.TimeoutSeconds,
        Payload = definition.Payload,
        MaxRetries = definition.RetryPolicy?.MaxRetries ?? JobDefaults.MaxRetries,
        RetryInterval = definition.RetryPolicy?.RetryInterval ?? JobDefaults.RetryInterval,
        MaxRetryInterval = definition.RetryPolicy?.MaxRetryInterval ?? JobDefaults.MaxRetryInterval,
        Jitter = definition.RetryPolicy?.Jitter ?? JobDefaults.Jitter,
        Priority = (definition.Priority ?? JobPriority.Normal) switch
        {
            JobPriority.High => "HIGH",
            JobPriority.Low => "LOW",
            _ => "NORMAL",
        },
        StartAt = definition.StartAt,
        EndAt = definition.EndAt,
        MaxExecutions = definition.MaxExecutions,
        MisfireThreshold = definition.MisfireThreshold ?? 0,
        MisfirePolicy = definition.MisfirePolicy switch
        {
            Abstractions.Jobs.MisfirePolicy.Skip => "SKIP",
            Abstractions.Jobs.MisfirePolicy.FireAll => "FIRE_ALL",
            _ => "FIRE_ONCE",
        },
        WebhookUrl = definition.Webhook?.Url,
        WebhookEvents = definition.Webhook?.Events?.Select(WebhookEventNames.ToName).ToList(),
        ConcurrencyPolicy = definition.ConcurrencyPolicy switch
        {
            Abstractions.Jobs.ConcurrencyPolicy.Forbid => "FORBID",
            Abstractions.Jobs.ConcurrencyPolicy.Replace => "REPLACE",
            _ => "ALLOW",
        },
        JitterSeconds = definition.JitterSeconds ?? 0,
    };

    public static JobDefinition ToDefinition(StoredDefinition stored) => new()
    {
        Name = stored.Name,
        Type = stored.Type == "ONE_TIME" ? JobType.OneTime : JobType.Recurring,
        ScheduleExpression = stored.ScheduleExpression,
        TimeZone = stored.TimeZone,
        Target = new TargetDefinition
        {
            Type = stored.TargetType == "HANDLER" ? TargetType.Handler : TargetType.Http,
            Url = stored.TargetUrl,
            Method = stored.TargetMethod,
            Headers = stored.TargetHeaders,
            Name = stored.TargetName,
            TimeoutSeconds = stored.TimeoutSeconds,
        },
        Payload = stored.Payload,
        RetryPolicy = new RetryPolicy
        {
            MaxRetries = stored.MaxRetries,
            RetryInterval = stored.RetryInterval,
            MaxRetryInterval = stored.MaxRetryInterval,
            Jitter = stored.Jitter,
        },
        Priority = stored.Priority switch
        {
            "HIGH" => JobPriority.High,
            "LOW" => JobPriority.Low,
            _ => JobPriority.Normal,
        },
        StartAt = stored.StartAt,
        EndAt = stored.EndAt,
        MaxExecutions = stored.MaxExecutions,
        MisfireThreshold = stored.MisfireThreshold,
        MisfirePolicy = stored.MisfirePolicy switch
        {
            "SKIP" => MisfirePolicy.Skip,
            "FIRE_ALL" => MisfirePolicy.FireAll,
            _ => MisfirePolicy.FireOnce,
        },
        Webhook = stored.WebhookUrl is null
            ? null
            : new WebhookDefinition
            {
                Url = stored.WebhookUrl,
                Events = stored.WebhookEvents?.Select(WebhookEventNames.Parse).OfType<WebhookEventType>().ToList(),
            },
        ConcurrencyPolicy = stored.ConcurrencyPolicy switch
        {
            "FORBID" => ConcurrencyPolicy.Forbid,
            "REPLACE" => ConcurrencyPolicy.Replace,
            _ => ConcurrencyPolicy.Allow,
        },
        JitterSeconds = stored.JitterSeconds,
    };
}
