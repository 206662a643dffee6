namespace JobScheduler.Postgres.Schema;

/// <summary>
/// A connection to PostgreSQL could not be opened: the server is down or unreachable, or it rejected the
/// login or the database name. The message names the server and the reason, never the password.
/// </summary>
public sealed class PostgresConnectionException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="server"/> (host:port) and <paramref name="database"/>.</summary>
    public PostgresConnectionException(string server, string? database, string reason, Exception innerException)
        : base(FormatMessage(server, database, reason), innerException)
    {
        Server = server;
        Database = database;
    }

    /// <summary>The server as <c>host:port</c> (see <see cref="SchemaMigrator.DescribeServer"/>).</summary>
    public string Server { get; }

    /// <summary>The database named in the connection string, or null when it names none.</summary>
    public string? Database { get; }

    private static string FormatMessage(string server, string? database, string reason)
    {
        var target = database is null ? server : $"{server} (database \"{database}\")";
        return $"Cannot connect to PostgreSQL at {target}: {reason.TrimEnd('.')}. "
            + "Check that the server is running and that ConnectionStrings:JobScheduler names the right host, port, database and credentials.";
    }
}
