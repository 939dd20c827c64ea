using System.Diagnostics;

namespace Throughline.Tests.Support;

/// <summary>Prometheus's own command-line tool (Debian's prometheus package), to lint what <c>/metrics</c> exposes.</summary>
/// <remarks>Without /usr/bin/promtool the tests that need it skip on a laptop and fail under ./test.sh or CI.</remarks>
public static class Promtool
{
    public const string Executable = "/usr/bin/promtool";

    /// <summary>Runs <c>promtool check metrics</c> on <paramref name="exposition"/> (read from stdin).</summary>
    /// <returns>Its exit code and everything it printed (stdout, then stderr): empty when the text is clean.</returns>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition)
    {
        if (!File.Exists(Executable))
        {
            TestDatabase.Unavailable($"{Executable} is missing: install Debian's prometheus package (./test.sh does).");
        }

        var start = new ProcessStartInfo(Executable, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Executable} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
