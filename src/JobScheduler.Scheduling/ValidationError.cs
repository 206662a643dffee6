namespace JobScheduler.Scheduling;

/// <summary>
/// A validation failure of a job definition.
/// </summary>
/// <param name="Field">The JSON field name of the create body, such as <c>scheduleExpression</c> or <c>timeZone</c>.</param>
/// <param name="Message">A full sentence that names the problem and the fix.</param>
public sealed record ValidationError(string Field, string Message);
