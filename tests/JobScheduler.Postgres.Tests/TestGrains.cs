using System.Collections.Concurrent;

namespace JobScheduler.Postgres.Tests;

/// <summary>Storage provider names that only the test silos configure.</summary>
public static class TestStorageNames
{
    /// <summary>A provider with <c>DeleteStateOnClear</c>, so clearing runs DeleteStorageKey.</summary>
    public const string DeleteOnClear = "test-delete-on-clear";
}

/// <summary>State of <see cref="StateTestGrain"/>, stored as JSON.</summary>
public sealed class TestState
{
    public string? Value { get; set; }

    public int Writes { get; set; }
}

/// <summary>A grain with two persistent states: one on the "jobs" provider and one that is deleted on clear.</summary>
public interface IStateTestGrain : IGrainWithStringKey
{
    Task Set(string value);

    Task<string?> Get();

    Task Clear();

    Task SetDeletable(string value);

    Task<string?> GetDeletable();

    Task ClearDeletable();

    Task Deactivate();
}

public sealed class StateTestGrain(
    [PersistentState("test-state", JobScheduler.Grains.Hosting.StorageNames.Jobs)] IPersistentState<TestState> state,
    [PersistentState("test-deletable", TestStorageNames.DeleteOnClear)] IPersistentState<TestState> deletable)
    : Grain, IStateTestGrain
{
    public async Task Set(string value)
    {
        state.State.Value = value;
        state.State.Writes++;
        await state.WriteStateAsync();
    }

    public Task<string?> Get() => Task.FromResult(state.State.Value);

    public Task Clear() => state.ClearStateAsync();

    public async Task SetDeletable(string value)
    {
        deletable.State.Value = value;
        await deletable.WriteStateAsync();
    }

    public Task<string?> GetDeletable() => Task.FromResult(deletable.State.Value);

    public Task ClearDeletable() => deletable.ClearStateAsync();

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

/// <summary>A grain that registers reminders and counts how often each one fires.</summary>
public interface IReminderTestGrain : IGrainWithStringKey
{
    Task Register(string name, TimeSpan dueTime, TimeSpan period);

    Task<List<string>> ListReminders();

    Task Unregister(string name);
}

public sealed class ReminderTestGrain : Grain, IReminderTestGrain, IRemindable
{
    /// <summary>Number of times each reminder fired, by "grain key/reminder name". The test silos run in the test process, so tests can read it.</summary>
    public static ConcurrentDictionary<string, int> Fired { get; } = new();

    public Task Register(string name, TimeSpan dueTime, TimeSpan period) =>
        this.RegisterOrUpdateReminder(name, dueTime, period);

    public async Task<List<string>> ListReminders() =>
        (await this.GetReminders()).Select(reminder => reminder.ReminderName).ToList();

    public async Task Unregister(string name)
    {
        var reminder = await this.GetReminder(name);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Fired.AddOrUpdate($"{this.GetPrimaryKeyString()}/{reminderName}", 1, (_, count) => count + 1);
        return Task.CompletedTask;
    }
}
