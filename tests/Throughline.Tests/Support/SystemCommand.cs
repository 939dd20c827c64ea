using System.Diagnostics;

namespace Throughline.Tests.Support;

/// <summary>Runs a program of the machine (mount, pg_ctl) and returns its exit code and what it printed.</summary>
public static class SystemCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>True when this test run is root: mounting and running PostgreSQL as its own user need it (./test.sh runs so, or uses sudo).</summary>
    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>Runs <paramref name="file"/> with <paramref name="arguments"/>; as root's <c>sudo -n</c> when <paramref name="asRoot"/> and this run is not root.</summary>
    /// <returns>The exit code, and stdout followed by stderr.</returns>
    /// <param name="file">The program.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="asRoot">Run it as root.</param>
    /// <param name="timeout">How long it may take (default 60 s).</param>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments, bool asRoot = false, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(asRoot && !IsRoot ? "sudo" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (asRoot && !IsRoot ? ["-n", file] : Array.Empty<string>()).Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var allowed = timeout ?? Timeout;
        using var limit = new CancellationTokenSource(allowed);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not end within {allowed.TotalSeconds:N0} s");
        }

        return (process.ExitCode, await output + await error);
    }
}
