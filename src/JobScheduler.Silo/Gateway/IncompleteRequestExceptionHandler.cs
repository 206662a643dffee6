using Microsoft.AspNetCore.Diagnostics;

namespace JobScheduler.Silo.Gateway;

/// <summary>
/// Returns a 400 problem naming <c>body</c>, instead of a 500, when the request body could not be read: the
/// client sent less than its <c>Content-Length</c> or closed the connection mid-body, as a client does when it
/// gives up on a slow or hung silo. It is the client's failure, so it is logged at information level.
/// </summary>
public sealed partial class IncompleteRequestExceptionHandler(ILogger<IncompleteRequestExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } || context.Response.HasStarted)
        {
            return false;
        }

        LogIncomplete(logger, context.Request.Method, context.Request.Path, exception.Message);
        await ApiProblems.Invalid("body", "The request body could not be read: it ended before its Content-Length or the connection closed. Send the request again.")
            .ExecuteAsync(context);
        return true;
    }

    [LoggerMessage(EventId = 291, Level = LogLevel.Information,
        Message = "{Method} {Path} answered 400 because the request body could not be read: {Reason}")]
    private static partial void LogIncomplete(ILogger logger, string method, string path, string reason);
}
