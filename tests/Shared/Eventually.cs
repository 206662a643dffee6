namespace JobScheduler.Tests;

/// <summary>Waits for a condition that another thread makes true (an attempt runs on the silo's executor).</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test after <paramref name="seconds"/>.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"Timed out after {seconds} s waiting for: {what}");
    }

    /// <summary>Polls a synchronous condition.</summary>
    public static Task HoldsAsync(Func<bool> condition, string what, int seconds = 10) =>
        HoldsAsync(() => Task.FromResult(condition()), what, seconds);
}
