using Orleans.Core.Internal;
using Orleans.Runtime;

namespace JobScheduler.Grains.Tests;

/// <summary>Ends a grain's activation, as a silo failure or a move would: the next call starts a fresh one.</summary>
public static class Activations
{
    /// <summary>Deactivates <paramref name="grain"/> and waits until no silo has an activation of it.</summary>
    public static async Task DeactivateAsync(IGrainFactory grains, IAddressable grain)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await Eventually.HoldsAsync(
            async () => (await management.GetActiveGrains(grain.GetGrainId().Type)).All(id => id != grain.GetGrainId()),
            "the grain deactivated");
    }
}
