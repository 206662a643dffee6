using System.Text.Json;
using JobScheduler.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Messaging;
using Orleans.Runtime.Membership;
using Orleans.Storage;

namespace JobScheduler.Postgres.Tests;

/// <summary>Clustering, grain storage and reminders of a two-silo cluster on PostgreSQL.</summary>
public sealed class PostgresClusterTests(PostgresClusterFixture fixture) : IClassFixture<PostgresClusterFixture>
{
    private IGrainFactory Grains => fixture.Cluster.Client;

    [Fact]
    public async Task Membership_BothSilosAreActiveRows()
    {
        var clusterId = fixture.Cluster.Options.ClusterId;

        await Eventually.HoldsAsync(
            async () => await fixture.Database.ScalarAsync<long>(
                "SELECT count(*) FROM orleans_membership WHERE cluster_id = @c AND status = 3", ("c", clusterId)) == 2,
            "two active silo rows in orleans_membership",
            seconds: 30);
        var hosts = await Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);

        Assert.Equal(2, hosts.Count);
        Assert.True(await fixture.Database.ScalarAsync<int>("SELECT version FROM orleans_membership_version WHERE cluster_id = @c", ("c", clusterId)) >= 2);
    }

    [Fact]
    public async Task Client_ReadsGatewaysFromDatabase()
    {
        var provider = fixture.Cluster.Client.ServiceProvider.GetRequiredService<IGatewayListProvider>();

        var gateways = await provider.GetGatewaysAsync();
        var value = await Grains.GetGrain<IStateTestGrain>("test_gateway").Get();

        Assert.IsType<AdoNetGatewayListProvider>(provider);
        Assert.Equal(2, gateways.Count);
        Assert.Null(value);
    }

    [Fact]
    public async Task GrainState_SurvivesDeactivation()
    {
        var grain = Grains.GetGrain<IStateTestGrain>("test_survives");

        await grain.Set("first");
        await grain.Set("second");
        await grain.Deactivate();
        var value = await grain.Get();

        Assert.Equal("second", value);
    }

    [Fact]
    public async Task GrainState_IsStoredAsJson()
    {
        var grain = Grains.GetGrain<IStateTestGrain>("test_json");

        await grain.Set("stored as json");
        var json = await fixture.Database.ScalarAsync<string>(
            "SELECT convert_from(payload, 'UTF8') FROM orleans_grain_state WHERE state_name = 'test-state' AND key_string = 'test_json'");

        using var document = JsonDocument.Parse(json);
        Assert.Equal("stored as json", document.RootElement.GetProperty("Value").GetString());
        Assert.Equal(1, document.RootElement.GetProperty("Writes").GetInt32());
    }

    [Fact]
    public async Task GrainState_ClearKeepsRowWithoutPayload()
    {
        var grain = Grains.GetGrain<IStateTestGrain>("test_clear");
        await grain.Set("to be cleared");

        await grain.Clear();
        await grain.Deactivate();
        var value = await grain.Get();

        Assert.Null(value);
        Assert.Equal(1, await CountStateRowsAsync("test-state", "test_clear"));
        Assert.Equal(2, await fixture.Database.ScalarAsync<int>(
            "SELECT version FROM orleans_grain_state WHERE state_name = 'test-state' AND key_string = 'test_clear' AND payload IS NULL"));
    }

    [Fact]
    public async Task GrainState_DeleteOnClearRemovesRow()
    {
        var grain = Grains.GetGrain<IStateTestGrain>("test_delete");
        await grain.SetDeletable("to be deleted");

        await grain.ClearDeletable();
        var rowsAfterClear = await CountStateRowsAsync("test-deletable", "test_delete");
        await grain.SetDeletable("written again");
        await grain.Deactivate();
        var value = await grain.GetDeletable();

        Assert.Equal(0, rowsAfterClear);
        Assert.Equal("written again", value);
    }

    [Fact]
    public async Task GrainStorage_StaleETagRaisesInconsistentState()
    {
        var storage = fixture.SiloServices.GetRequiredKeyedService<IGrainStorage>(StorageNames.Jobs);
        var grainId = GrainId.Create("test-direct", "test_stale");
        var first = new GrainState<TestState>(new TestState { Value = "first" });
        var second = new GrainState<TestState>(new TestState { Value = "second" });

        await storage.WriteStateAsync("direct-state", grainId, first);
        var secondInsert = await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteStateAsync("direct-state", grainId, second));
        second.ETag = first.ETag;
        await storage.WriteStateAsync("direct-state", grainId, second);
        var staleWrite = await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteStateAsync("direct-state", grainId, first));
        var staleClear = await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.ClearStateAsync("direct-state", grainId, first));
        var read = new GrainState<TestState>();
        await storage.ReadStateAsync("direct-state", grainId, read);

        Assert.Contains("Version conflict", secondInsert.Message);
        Assert.Contains("Version conflict", staleWrite.Message);
        Assert.Contains("Version conflict", staleClear.Message);
        Assert.Equal("second", read.State?.Value);
        Assert.Equal(second.ETag, read.ETag);
        Assert.True(read.RecordExists);
    }

    [Fact]
    public async Task Reminder_RegisterFireListUnregister()
    {
        var grain = Grains.GetGrain<IReminderTestGrain>("test_reminder");

        await grain.Register("tick", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var listed = await grain.ListReminders();
        var rowsAfterRegister = await CountReminderRowsAsync("tick");
        await Eventually.HoldsAsync(
            () => ReminderTestGrain.Fired.GetValueOrDefault("test_reminder/tick") >= 2,
            "reminder tick fired twice",
            seconds: 30);
        await grain.Unregister("tick");
        var listedAfterUnregister = await grain.ListReminders();

        Assert.Equal(["tick"], listed);
        Assert.Equal(1, rowsAfterRegister);
        Assert.Empty(listedAfterUnregister);
        Assert.Equal(0, await CountReminderRowsAsync("tick"));
    }

    private Task<long> CountStateRowsAsync(string stateName, string key) =>
        fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM orleans_grain_state WHERE state_name = @s AND key_string = @k", ("s", stateName), ("k", key));

    private Task<long> CountReminderRowsAsync(string name) =>
        fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM orleans_reminder WHERE service_id = @s AND reminder_name = @n",
            ("s", fixture.Cluster.Options.ServiceId), ("n", name));
}
