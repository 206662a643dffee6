using JobScheduler.Abstractions.Grains;

namespace JobScheduler.Grains.Tests.Idempotency;

/// <summary>Idempotency keys outlive the activation that stored them, because the grain writes them to its store.</summary>
[Collection(ClusterCollection.Name)]
public sealed class IdempotencyGrainTests(ClusterFixture fixture)
{
    private const string Fingerprint = "POST /api/v1/jobs 9a0e";

    private static readonly StoredResponse Created = new(201, "/api/v1/jobs/job_01KBJ0000000000000000000ID", "\"1\"", """{"jobId":"job_01KBJ0000000000000000000ID"}""");

    [Fact]
    public async Task CompletedKey_SurvivesDeactivation()
    {
        var grain = fixture.Grains.GetGrain<IIdempotencyGrain>("idem_" + Guid.NewGuid().ToString("N"));
        Assert.Equal(IdempotencyState.Claimed, (await grain.Begin("key-1", Fingerprint)).State);
        await grain.Complete("key-1", Created);

        await DeactivateAsync(grain);
        var replay = await grain.Begin("key-1", Fingerprint);

        Assert.Equal(IdempotencyState.Completed, replay.State);
        Assert.Equal(Created, replay.Response);
    }

    [Fact]
    public async Task ClaimedKey_StaysInProgressAfterDeactivation()
    {
        var grain = fixture.Grains.GetGrain<IIdempotencyGrain>("idem_" + Guid.NewGuid().ToString("N"));
        await grain.Begin("key-1", Fingerprint);

        await DeactivateAsync(grain);

        Assert.Equal(IdempotencyState.InProgress, (await grain.Begin("key-1", Fingerprint)).State);
        Assert.Equal(IdempotencyState.Mismatch, (await grain.Begin("key-1", "PUT /api/v1/jobs/x 77")).State);
    }

    [Fact]
    public async Task AbandonedKey_IsFreeAfterDeactivation()
    {
        var grain = fixture.Grains.GetGrain<IIdempotencyGrain>("idem_" + Guid.NewGuid().ToString("N"));
        await grain.Begin("key-1", Fingerprint);
        await grain.Abandon("key-1");

        await DeactivateAsync(grain);

        Assert.Equal(IdempotencyState.Claimed, (await grain.Begin("key-1", Fingerprint)).State);
    }

    [Fact]
    public async Task ExpiredClaim_KeepsFirstClaimTime()
    {
        var grain = fixture.Grains.GetGrain<IIdempotencyGrain>("idem_" + Guid.NewGuid().ToString("N"));
        var first = await grain.Begin("key-1", Fingerprint);

        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(119));
        var early = await grain.Begin("key-1", Fingerprint);
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(1));
        var again = await grain.Begin("key-1", Fingerprint);
        var during = await grain.Begin("key-1", Fingerprint);

        Assert.Equal(IdempotencyState.Claimed, first.State);
        Assert.Equal(IdempotencyState.InProgress, early.State);
        Assert.Equal(IdempotencyState.Claimed, again.State);
        Assert.Equal(first.FirstClaimedAt, again.FirstClaimedAt);
        Assert.Equal(IdempotencyState.InProgress, during.State);
    }

    [Fact]
    public async Task ReloadedExpiredClaim_KeepsFirstClaimTime()
    {
        var grain = fixture.Grains.GetGrain<IIdempotencyGrain>("idem_" + Guid.NewGuid().ToString("N"));
        var first = await grain.Begin("key-1", Fingerprint);

        await DeactivateAsync(grain);
        ClusterFixture.Time.Advance(TimeSpan.FromMinutes(3));
        var again = await grain.Begin("key-1", Fingerprint);

        Assert.Equal(IdempotencyState.Claimed, again.State);
        Assert.Equal(first.FirstClaimedAt, again.FirstClaimedAt);
    }

    private Task DeactivateAsync(IIdempotencyGrain grain) => Activations.DeactivateAsync(fixture.Grains, grain);
}
