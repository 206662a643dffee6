using JobScheduler.Postgres.Schema;
using Microsoft.Extensions.Logging.Abstractions;

namespace JobScheduler.Storage.Tests;

/// <summary>A test database with the schema created the way a silo creates it at start.</summary>
public sealed class SchemaDatabase : TestDatabase
{
    protected override Task OnCreatedAsync() =>
        new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(ConnectionString, CancellationToken.None);
}
