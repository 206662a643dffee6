using Npgsql;

namespace JobScheduler.Postgres.Hosting;

/// <summary>Connection string defaults for a silo's PostgreSQL pools.</summary>
public static class PostgresConnections
{
    /// <summary>
    /// Connections per pool when the connection string does not set <c>Maximum Pool Size</c>. A silo has two
    /// pools (Orleans' providers and the scheduler's stores), so it opens at most 32 connections, and three
    /// silos fit within PostgreSQL's default <c>max_connections</c> of 100.
    /// </summary>
    public const int DefaultMaxPoolSize = 16;

    /// <summary>Returns <paramref name="connectionString"/> with the default pool size unless it sets one.</summary>
    public static string WithDefaultPoolSize(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var setsPoolSize = connectionString.Contains("pool size", StringComparison.OrdinalIgnoreCase)
            || connectionString.Contains("maxpoolsize", StringComparison.OrdinalIgnoreCase);
        if (!setsPoolSize)
        {
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }

        return builder.ConnectionString;
    }
}
