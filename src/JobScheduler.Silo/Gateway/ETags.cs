using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace JobScheduler.Silo.Gateway;

/// <summary>
/// Entity tags of jobs: the job's version as a strong tag (<c>"3"</c>). <c>If-Match</c> on a change makes
/// it conditional on that version, so two clients cannot overwrite each other's edits unnoticed.
/// </summary>
public static class ETags
{
    /// <summary>Formats a version as a strong entity tag.</summary>
    public static string Of(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// Reads <c>If-Match</c>: null expected version when absent or <c>*</c>, else the version of the one strong tag.
    /// Returns a 400 problem when the header is malformed or its tag is not one this API issues, and a 412 problem
    /// for a weak tag.
    /// </summary>
    public static (long? ExpectedVersion, IResult? Problem) ReadIfMatch(HttpRequest request)
    {
        var values = request.Headers.IfMatch;
        if (values.Count == 0)
        {
            return (null, null);
        }

        if (!EntityTagHeaderValue.TryParseList(values, out var tags) || tags.Count == 0)
        {
            return (null, Malformed());
        }

        if (tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any)))
        {
            return (null, null);
        }

        if (tags.Count > 1)
        {
            return (null, ApiProblems.Invalid("If-Match", "If-Match must contain one entity tag: the ETag of the job version you read, such as \"3\"."));
        }

        var tag = tags[0];
        if (tag.IsWeak)
        {
            // If-Match compares strongly (RFC 9110), so a weak tag is well formed but never matches.
            return (null, ApiProblems.PreconditionFailed(
                $"If-Match {tag} is a weak tag, which never matches because If-Match compares strong tags; send the job's ETag as it was returned, such as \"3\"."));
        }

        var text = tag.Tag.AsSpan(1, tag.Tag.Length - 2);
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return (null, ApiProblems.Invalid("If-Match",
                $"If-Match {tag.Tag} is not an ETag of this API, which uses the job version, such as \"3\"; send the ETag of the job you read."));
        }

        return (version, null);
    }

    private static IResult Malformed() => ApiProblems.Invalid("If-Match",
        "If-Match is not a valid entity tag; send the ETag header of the job exactly as it was returned, such as \"3\", or *.");
}
