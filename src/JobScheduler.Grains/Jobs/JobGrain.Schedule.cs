using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Scheduling;

namespace JobScheduler.Grains.Jobs;

/// <summary>The job grain's schedule maths: the first instant, the shard snapshot and the API view.</summary>
public sealed partial class JobGrain
{
    /// <summary>
    /// Finds the first instant to fire. A one-time instant may lie in the past by up to the misfire
    /// threshold (it then fires at once); further back it is rejected.
    /// </summary>
    private static ApiError? FirstInstant(JobDefinition definition, Schedule schedule, DateTimeOffset now, out DateTimeOffset due)
    {
        due = default;
        if (definition.Type == JobType.OneTime)
        {
            var instant = schedule.GetNextOccurrence(DateTimeOffset.MinValue);
            var threshold = TimeSpan.FromSeconds(definition.MisfireThreshold!.Value);
            if (instant is null || instant < now - threshold)
            {
                return ApiError.Invalid("scheduleExpression", $"The instant '{definition.ScheduleExpression}' is in the past; give a future ISO-8601 instant such as {now.AddMinutes(5):yyyy-MM-ddTHH:mm:ssZ}.");
            }

            due = instant.Value;
            return null;
        }

        var after = now;
        if (definition.StartAt is { } start && start.AddTicks(-1) > after)
        {
            after = start.AddTicks(-1);
        }

        var first = schedule.GetNextOccurrence(after);
        if (first is null || (definition.EndAt is { } end && first > end))
        {
            return ApiError.Invalid(definition.EndAt is null ? "scheduleExpression" : "endAt",
                "The schedule has no instant between now (or startAt) and endAt; change the expression or the bounds.");
        }

        due = first.Value;
        return null;
    }

    private ShardJob ToShardJob(JobDefinition definition, DateTimeOffset due, DateTimeOffset now) => new()
    {
        JobId = JobId,
        UserId = _state.State.UserId!,
        Version = _state.State.Version,
        Type = definition.Type!.Value,
        ScheduleExpression = definition.ScheduleExpression!,
        TimeZone = definition.TimeZone ?? "UTC",
        Anchor = definition.StartAt ?? now,
        EndAt = definition.EndAt,
        MaxExecutions = definition.MaxExecutions,
        Target = definition.Target!,
        Payload = definition.Payload,
        Priority = definition.Priority ?? JobPriority.Normal,
        NextDue = due,
        MisfireThreshold = definition.MisfireThreshold ?? _options.MisfireThreshold,
        MisfirePolicy = definition.MisfirePolicy ?? MisfirePolicy.FireOnce,
        Webhook = definition.Webhook,
        ConcurrencyPolicy = definition.ConcurrencyPolicy ?? ConcurrencyPolicy.Allow,
        JitterSeconds = definition.JitterSeconds ?? 0,
        TraceParent = _state.State.TraceParent,
    };

    private JobInfo ToInfo(Schedule? schedule)
    {
        var state = _state.State;
        var definition = StoredDefinitionMapper.ToDefinition(state.Definition!);
        var status = state.Status switch
        {
            "PAUSED" => JobStatus.Paused,
            "COMPLETED" => JobStatus.Completed,
            "DELETED" => JobStatus.Deleted,
            _ => JobStatus.Active,
        };

        return new JobInfo
        {
            JobId = state.JobId!,
            UserId = state.UserId!,
            Status = status,
            CreatedAt = state.CreatedAt,
            UpdatedAt = state.UpdatedAt,
            Version = state.Version,
            Definition = definition,
            NextExecutionAt = status == JobStatus.Active ? NextInstant(definition, schedule) : null,
        };
    }

    /// <summary>The next instant as the definition gives it (an estimate for the API; the shard is exact).</summary>
    private DateTimeOffset? NextInstant(JobDefinition definition, Schedule? schedule)
    {
        var anchor = definition.StartAt ?? _state.State.CreatedAt;
        var type = definition.Type == JobType.OneTime ? "ONE_TIME" : "RECURRING";
        if (schedule is null
            && !ScheduleParser.TryParse(type, definition.ScheduleExpression, definition.TimeZone, anchor, out schedule, out _))
        {
            return null;
        }

        var now = _time.GetUtcNow();
        if (definition.Type == JobType.OneTime)
        {
            return schedule.GetNextOccurrence(DateTimeOffset.MinValue);
        }

        var after = definition.StartAt is { } start && start > now ? start.AddTicks(-1) : now;
        var next = schedule.GetNextOccurrence(after);
        return definition.EndAt is { } end && next > end ? null : next;
    }
}
