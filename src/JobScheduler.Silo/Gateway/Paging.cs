using System.Globalization;

namespace JobScheduler.Silo.Gateway;

/// <summary>The <c>limit</c> and <c>cursor</c> query parameters of listings.</summary>
public static class Paging
{
    /// <summary>Items per page when <c>limit</c> is absent.</summary>
    public const int DefaultLimit = 50;

    /// <summary>Largest accepted <c>limit</c>.</summary>
    public const int MaxLimit = 500;

    /// <summary>Reads <c>limit</c>: the default when absent, else a whole number from 1 to <see cref="MaxLimit"/>.</summary>
    public static (int Limit, IResult? Problem) ReadLimit(string? limit)
    {
        if (limit is null)
        {
            return (DefaultLimit, null);
        }

        return int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= MaxLimit
            ? (value, null)
            : (0, ApiProblems.Invalid("limit", $"limit must be a whole number from 1 to {MaxLimit}; got '{Shorten(limit)}'."));
    }

    /// <summary>The 400 problem of a cursor that was not returned by the previous page.</summary>
    public static IResult InvalidCursor() =>
        ApiProblems.Invalid("cursor", "The cursor is not valid; pass the nextCursor value of the previous page unchanged.");

    /// <summary>Cuts a value echoed in a message to 100 characters.</summary>
    public static string Shorten(string value) => value.Length <= 100 ? value : value[..100] + "...";
}
