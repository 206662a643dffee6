using JobScheduler.Abstractions;

namespace JobScheduler.Client;

/// <summary>
/// A request the scheduler rejected: invalid input, an unknown job, a conflicting state, an exhausted quota
/// or a stale expected version. <see cref="Field"/> names the input to fix when there is one.
/// </summary>
public sealed class JobSchedulerException : Exception
{
    /// <summary>Creates the exception from the rejection a grain returned.</summary>
    public JobSchedulerException(ApiError error)
        : base(error?.Message)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    /// <summary>The rejection as the grain returned it.</summary>
    public ApiError Error { get; }

    /// <summary>Kind of rejection; the REST gateway maps the same kinds to HTTP statuses.</summary>
    public ApiErrorKind Kind => Error.Kind;

    /// <summary>The input that caused the rejection, such as <c>scheduleExpression</c>, or null.</summary>
    public string? Field => Error.Field;
}
