using JobScheduler.Grains.Ids;

namespace JobScheduler.Grains.Tests.Idempotency;

/// <summary>The job id of a keyed create depends only on the user, the key and the key's first claim.</summary>
public sealed class IdempotentJobIdTests
{
    private static readonly DateTimeOffset FirstClaim = new(2026, 12, 5, 6, 16, 14, 250, TimeSpan.Zero);

    [Fact]
    public void SameUserKeyAndClaim_SameValidId()
    {
        var id = JobIds.JobIdForIdempotencyKey("user-a", "create-7f3a", FirstClaim);

        Assert.Equal(id, JobIds.JobIdForIdempotencyKey("user-a", "create-7f3a", FirstClaim));
        Assert.True(JobIds.IsJobId(id));
        Assert.Equal(FirstClaim, Ulid.Parse(id[JobIds.JobPrefix.Length..]).Time);
    }

    [Fact]
    public void OtherUserKeyOrClaim_OtherId()
    {
        var id = JobIds.JobIdForIdempotencyKey("user-a", "create-7f3a", FirstClaim);

        Assert.NotEqual(id, JobIds.JobIdForIdempotencyKey("user-b", "create-7f3a", FirstClaim));
        Assert.NotEqual(id, JobIds.JobIdForIdempotencyKey("user-a", "create-7f3b", FirstClaim));
        Assert.NotEqual(id, JobIds.JobIdForIdempotencyKey("user-a", "create-7f3a", FirstClaim.AddMilliseconds(1)));
    }
}
