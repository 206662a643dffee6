using System.Text.Json;
using JobScheduler.Grains.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace JobScheduler.Postgres.Tests;

/// <summary>
/// Durable mode stores webhook secrets through the ADO.NET provider named <see cref="WebhookStorageNames.Secrets"/>,
/// as JSON that later versions must keep reading.
/// </summary>
public sealed class WebhookSecretStorageTests(PostgresClusterFixture fixture) : IClassFixture<PostgresClusterFixture>
{
    /// <summary>A secret state as the first layout stores it. Frozen: change the code, never this text.</summary>
    private const string StoredV1 = """
        {"SchemaVersion":1,"Secret":"whsec_n3w0000000000000000000000000000000000000000","CreatedAt":"2026-03-02T10:00:00.25+00:00","PreviousSecret":"whsec_0ld0000000000000000000000000000000000000000","PreviousExpiresAt":"2026-03-03T10:00:00.25+00:00"}
        """;

    [Fact]
    public async Task SecretState_RoundTripsThroughPostgres()
    {
        var storage = fixture.SiloServices.GetRequiredKeyedService<IGrainStorage>(WebhookStorageNames.Secrets);
        var grainId = GrainId.Create("webhooksecret", WebhookSecretGrain.Key("alice-durable"));
        var createdAt = new DateTimeOffset(2026, 3, 2, 10, 0, 0, 250, TimeSpan.Zero);
        var state = new WebhookSecretState
        {
            Secret = WebhookSecrets.Create(),
            CreatedAt = createdAt,
            PreviousSecret = WebhookSecrets.Create(),
            PreviousExpiresAt = createdAt.AddHours(24),
        };
        var written = new GrainState<WebhookSecretState>(state);

        await storage.WriteStateAsync("secret", grainId, written);
        var read = new GrainState<WebhookSecretState>();
        await storage.ReadStateAsync("secret", grainId, read);
        var json = await fixture.Database.ScalarAsync<string>(
            "SELECT convert_from(payload, 'UTF8') FROM orleans_grain_state WHERE state_name = 'secret' AND key_string = @k",
            ("k", WebhookSecretGrain.Key("alice-durable")));

        Assert.True(read.RecordExists);
        Assert.NotNull(read.State);
        Assert.Equal(state.Secret, read.State.Secret);
        Assert.Equal(createdAt, read.State.CreatedAt);
        Assert.Equal(state.PreviousSecret, read.State.PreviousSecret);
        Assert.Equal(createdAt.AddHours(24), read.State.PreviousExpiresAt);
        using var document = JsonDocument.Parse(json!);
        Assert.Equal(1, document.RootElement.GetProperty("SchemaVersion").GetInt32());
        Assert.Equal(state.Secret, document.RootElement.GetProperty("Secret").GetString());
    }

    [Fact]
    public void SecretStateV1_ReadsEveryField()
    {
        var serializer = fixture.SiloServices.GetRequiredService<SystemTextJsonGrainStorageSerializer>();

        var state = serializer.Deserialize<WebhookSecretState>(BinaryData.FromString(StoredV1));

        Assert.NotNull(state);
        Assert.Equal(1, state.SchemaVersion);
        Assert.Equal("whsec_n3w0000000000000000000000000000000000000000", state.Secret);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 10, 0, 0, 250, TimeSpan.Zero), state.CreatedAt);
        Assert.Equal("whsec_0ld0000000000000000000000000000000000000000", state.PreviousSecret);
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 10, 0, 0, 250, TimeSpan.Zero), state.PreviousExpiresAt);
    }
}
