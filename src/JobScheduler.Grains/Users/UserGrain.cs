using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Hosting;

namespace JobScheduler.Grains.Users;

/// <summary>Stored quota counters of one user.</summary>
[GenerateSerializer, Alias("js.UserState")]
public sealed class UserState
{
    [Id(0)] public int SchemaVersion { get; set; } = 1;

    [Id(1)] public int ActiveJobs { get; set; }
}

/// <summary>Per-user quota counters. Listing does not come from here but from the job index.</summary>
public sealed class UserGrain(
    [PersistentState("user", StorageNames.Users)] IPersistentState<UserState> state) : Grain, IUserGrain
{
    public async Task<bool> TryReserveJob(int limit)
    {
        if (state.State.ActiveJobs >= limit)
        {
            return false;
        }

        state.State.ActiveJobs++;
        await state.WriteStateAsync();
        return true;
    }

    public Task ReleaseJob() => ReleaseJobs(1);

    public async Task ReleaseJobs(int count)
    {
        var released = Math.Min(Math.Max(count, 0), state.State.ActiveJobs);
        if (released > 0)
        {
            state.State.ActiveJobs -= released;
            await state.WriteStateAsync();
        }
    }

    public Task<int> GetActiveJobCount() => Task.FromResult(state.State.ActiveJobs);
}
