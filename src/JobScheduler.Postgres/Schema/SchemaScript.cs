using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace JobScheduler.Postgres.Schema;

/// <summary>
/// One schema script: its file name (the migration's id), SQL text, checksum and, for a script that
/// declares itself re-runnable, its revision.
/// </summary>
/// <remarks>
/// A script is re-runnable when a line <c>-- migrator: rerunnable revision=N</c> appears in it. Such a
/// script must be idempotent, because the migrator applies it again when its text changes and N is higher
/// than the recorded revision.
/// </remarks>
internal sealed partial record SchemaScript(string Name, string Text, string Checksum, int? Revision)
{
    /// <summary>Prefix of the embedded resource names of the scripts (see the project file).</summary>
    public const string ResourcePrefix = "JobScheduler.Postgres.Schema.";

    /// <summary>Whether the script may be applied again after its text changed.</summary>
    public bool IsRerunnable => Revision is not null;

    /// <summary>Creates a script from its text, computing the checksum and reading the re-runnable marker.</summary>
    public static SchemaScript FromText(string name, string text)
    {
        var normalized = text.ReplaceLineEndings("\n");
        var match = RerunnableMarker().Match(normalized);
        int? revision = match.Success ? int.Parse(match.Groups["revision"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
        return new SchemaScript(name, normalized, ComputeChecksum(normalized), revision);
    }

    /// <summary>Loads every embedded <c>Schema/*.sql</c> script, ordered by file name (ordinal).</summary>
    public static IReadOnlyList<SchemaScript> LoadEmbedded()
    {
        var assembly = typeof(SchemaScript).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(resource => resource.StartsWith(ResourcePrefix, StringComparison.Ordinal)
                && resource.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(resource => FromText(resource[ResourcePrefix.Length..], ReadResource(assembly, resource)))
            .ToList();
    }

    /// <summary>Returns the lowercase hex SHA-256 of the script text with LF line endings.</summary>
    /// <remarks>Line endings are normalized first, so a checkout with CRLF endings does not look like a change.</remarks>
    private static string ComputeChecksum(string normalizedText) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedText)));

    private static string ReadResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded schema script {resource} was not found in {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^--\s*migrator:\s*rerunnable\s+revision\s*=\s*(?<revision>\d+)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex RerunnableMarker();
}
