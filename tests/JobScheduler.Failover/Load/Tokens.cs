using System.Diagnostics;

namespace JobScheduler.Failover.Load;

/// <summary>Mints bearer tokens with the silo's own <c>token</c> command, as an operator does.</summary>
public static class Tokens
{
    /// <summary>Returns a token per user, signed with <paramref name="signingKey"/>.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> MintAsync(IReadOnlyList<string> users, string signingKey)
    {
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chunk in users.Chunk(4))
        {
            var minted = await Task.WhenAll(chunk.Select(user => MintAsync(user, signingKey)));
            for (var i = 0; i < chunk.Length; i++)
            {
                tokens[chunk[i]] = minted[i];
            }
        }

        return tokens;
    }

    private static async Task<string> MintAsync(string user, string signingKey)
    {
        var silo = Path.Combine(AppContext.BaseDirectory, "JobScheduler.Silo.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { silo, "token", "--user", user, "--expires", "12h", $"--Auth:SigningKey={signingKey}" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new Hosting.HarnessException("dotnet did not start.");
        var token = (await process.StandardOutput.ReadToEndAsync()).Trim();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 && token.Length > 0
            ? token
            : throw new Hosting.HarnessException($"The silo's token command failed for {user} (exit code {process.ExitCode}): {error}");
    }
}
