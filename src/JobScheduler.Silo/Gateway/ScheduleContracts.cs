namespace JobScheduler.Silo.Gateway;

/// <summary>The next occurrences of a schedule expression, from <c>GET /api/v1/schedules/preview</c>.</summary>
public sealed record SchedulePreviewResponse(string Expression, string TimeZone, DateTimeOffset From, IReadOnlyList<OccurrenceResponse> Occurrences);

/// <summary>One occurrence: the UTC instant and the same instant as local time with its offset in the time zone.</summary>
public sealed record OccurrenceResponse(DateTimeOffset Utc, string Local);
