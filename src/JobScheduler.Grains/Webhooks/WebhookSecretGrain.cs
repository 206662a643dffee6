using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace JobScheduler.Grains.Webhooks;

/// <summary>
/// One user's webhook secrets (key: <c>usr_</c> followed by the user id). The state contains them in their stored
/// form, encrypted by <see cref="WebhookSecretProtector"/> when a key is configured.
/// </summary>
public sealed class WebhookSecretGrain(
    [PersistentState("secret", WebhookStorageNames.Secrets)] IPersistentState<WebhookSecretState> state,
    [FromKeyedServices(SchedulerTime.Key)] TimeProvider time,
    WebhookSecretProtector protector) : Grain, IWebhookSecretGrain
{
    /// <summary>Returns the grain key of a user's secrets.</summary>
    public static string Key(string userId) => "usr_" + userId;

    public async Task<WebhookSecretInfo> GetSecret()
    {
        await EnsureCreatedAsync();
        return ToInfo();
    }

    public async Task<WebhookSecretInfo> Rotate()
    {
        var now = time.GetUtcNow();
        var current = state.State;
        if (current.Secret is not null)
        {
            current.PreviousSecret = current.Secret;
            current.PreviousExpiresAt = now + WebhookSecrets.RotationOverlap;
        }

        current.Secret = Protect(WebhookSecrets.Create());
        current.CreatedAt = now;
        await state.WriteStateAsync();
        return ToInfo();
    }

    public async Task<IReadOnlyList<string>> GetSigningSecrets()
    {
        await EnsureCreatedAsync();
        var current = state.State;
        return PreviousIsValid() ? [Unprotect(current.Secret!), Unprotect(current.PreviousSecret!)] : [Unprotect(current.Secret!)];
    }

    private async Task EnsureCreatedAsync()
    {
        if (state.State.Secret is not null)
        {
            return;
        }

        state.State.Secret = Protect(WebhookSecrets.Create());
        state.State.CreatedAt = time.GetUtcNow();
        await state.WriteStateAsync();
    }

    private bool PreviousIsValid() =>
        state.State.PreviousSecret is not null && state.State.PreviousExpiresAt is { } expires && time.GetUtcNow() < expires;

    private string Protect(string secret) => protector.Protect(secret, this.GetPrimaryKeyString());

    private string Unprotect(string stored) => protector.Unprotect(stored, this.GetPrimaryKeyString());

    private WebhookSecretInfo ToInfo() => new()
    {
        Secret = Unprotect(state.State.Secret!),
        CreatedAt = state.State.CreatedAt,
        PreviousSecretExpiresAt = PreviousIsValid() ? state.State.PreviousExpiresAt : null,
    };
}
