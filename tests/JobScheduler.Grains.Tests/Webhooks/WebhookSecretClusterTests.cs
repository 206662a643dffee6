using System.Buffers.Text;
using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;
using JobScheduler.Grains.Webhooks;

namespace JobScheduler.Grains.Tests.Webhooks;

/// <summary>
/// Webhook secrets on the shared test cluster: created on first use, rotated with a 24-hour overlap during
/// which deliveries carry both signatures. The rotation test moves the shared fake clock forward by a day.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class WebhookSecretClusterTests(ClusterFixture fixture) : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task Secret_IsCreatedOnFirstUseAndKept()
    {
        var user = NewUser();

        var first = await SecretGrain(user).GetSecret();
        var second = await SecretGrain(user).GetSecret();
        var other = await SecretGrain(NewUser()).GetSecret();

        Assert.Equal(first, second);
        Assert.StartsWith("whsec_", first.Secret);
        Assert.Equal(32, Base64Url.DecodeFromChars(first.Secret.AsSpan("whsec_".Length)).Length);
        Assert.Equal(ClusterFixture.Time.GetUtcNow(), first.CreatedAt);
        Assert.Null(first.PreviousSecretExpiresAt);
        Assert.NotEqual(first.Secret, other.Secret);
    }

    [Fact]
    public async Task Rotate_KeepsPreviousSecretFor24Hours()
    {
        var user = NewUser();
        var old = await SecretGrain(user).GetSecret();

        var rotated = await SecretGrain(user).Rotate();

        Assert.NotEqual(old.Secret, rotated.Secret);
        Assert.Equal(ClusterFixture.Time.GetUtcNow().AddHours(24), rotated.PreviousSecretExpiresAt);
        Assert.Equal([rotated.Secret, old.Secret], await SecretGrain(user).GetSigningSecrets());
        Assert.Equal(rotated, await SecretGrain(user).GetSecret());
    }

    [Fact]
    public async Task Rotation_SignsWithBothSecretsUntil24HoursPass()
    {
        var user = NewUser();
        var old = (await SecretGrain(user).GetSecret()).Secret;
        var current = (await SecretGrain(user).Rotate()).Secret;
        var path = WebhookReceiver.NewPath();
        var job = await CreateAsync(user, path);

        await RunAndAwaitDeliveryAsync(job, user, path, 1);
        ClusterFixture.Time.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        await RunAndAwaitDeliveryAsync(job, user, path, 2);
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(1));
        await RunAndAwaitDeliveryAsync(job, user, path, 3);

        var signatures = _receiver.CallsTo(path)
            .Select(call => ReceiverSignature.Parse(call.Header(WebhookHeaders.Signature)).Signatures.Count)
            .ToList();
        Assert.Equal([2, 2, 1], signatures);
        foreach (var call in _receiver.CallsTo(path))
        {
            var header = call.Header(WebhookHeaders.Signature);
            var (timestamp, values) = ReceiverSignature.Parse(header);
            Assert.Equal(ReceiverSignature.Expected(current, timestamp, call.Body), values[0]);
            Assert.Equal(values.Count == 2, ReceiverSignature.Verifies(header, call.Body, old));
        }

        Assert.Null((await SecretGrain(user).GetSecret()).PreviousSecretExpiresAt);
    }

    /// <summary>Runs the job now and waits until its execution succeeded and the receiver has <paramref name="deliveries"/> requests.</summary>
    private async Task RunAndAwaitDeliveryAsync(IJobGrain job, string user, string path, int deliveries)
    {
        var started = await job.ExecuteNow(user);
        Assert.True(started.IsSuccess, started.Error?.Message);
        await Eventually.HoldsAsync(
            async () => (await job.GetExecution(user, started.Value!)).Value?.Status == ExecutionStatus.Succeeded,
            $"execution {deliveries} succeeded");
        await Eventually.HoldsAsync(() => _receiver.CallsTo(path).Count == deliveries, $"delivery {deliveries} arrived");
    }

    private static string NewUser() => "hook-" + Guid.NewGuid().ToString("N")[..8];

    private IWebhookSecretGrain SecretGrain(string user) => fixture.Grains.GetGrain<IWebhookSecretGrain>(WebhookSecretGrain.Key(user));

    private async Task<IJobGrain> CreateAsync(string user, string path)
    {
        var jobId = JobIds.NewJobId(ClusterFixture.Time.GetUtcNow());
        var job = fixture.Grains.GetGrain<IJobGrain>(jobId);
        var definition = JobDefinitions.Recurring("0 0 1 1 *") with
        {
            Webhook = new WebhookDefinition { Url = _receiver.Url(path), Events = [WebhookEventType.Succeeded] },
        };
        var created = await job.Create(user, definition);
        Assert.True(created.IsSuccess, created.Error?.Message);
        return job;
    }
}
