using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Throughline.Tests.Support;

/// <summary>The built <c>throughline</c> executable running <c>serve</c> in a process of its own, so a test can kill it.</summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly System.Text.StringBuilder _later = new();
    private readonly Task<string> _error;

    private ServerProcess(Process process, Uri address, Task<string> error)
    {
        _process = process;
        _error = error;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    /// <summary>Everything the process printed before it listened.</summary>
    public string Output { get; private init; } = "";

    /// <summary>Sends the admin token the process printed (a first start, or the demo); see <see cref="UseToken"/> for a restart.</summary>
    public HttpClient Client { get; }

    /// <summary>The token <see cref="Client"/> sends, or null.</summary>
    public string? Token { get; private set; }

    /// <summary>Makes <see cref="Client"/> send <paramref name="token"/> (a server restarted on a database that already has tokens prints none).</summary>
    public void UseToken(string token)
    {
        Token = token;
        Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>The process id, to send it a signal.</summary>
    public int Id => _process.Id;

    public static Task<ServerProcess> StartAsync(string database) =>
        StartAsync("serve", "--db", database, "--urls", "http://127.0.0.1:0");

    /// <summary>Runs <c>throughline ARGS</c> and waits for the line that names the loopback address it listens on.</summary>
    public static Task<ServerProcess> StartAsync(params string[] arguments) => StartAsync(["dotnet"], arguments);

    /// <summary>
    /// As <see cref="StartAsync(string[])"/>, with Ctrl+C (SIGINT) handled as in a terminal even when this test run
    /// ignores it (a shell without job control ignores SIGINT for background commands, and children inherit that).
    /// </summary>
    public static Task<ServerProcess> StartInterruptibleAsync(params string[] arguments) => StartAsync(["env", "--default-signal=INT", "dotnet"], arguments);

    private static async Task<ServerProcess> StartAsync(string[] launcher, string[] arguments)
    {
        var start = new ProcessStartInfo(launcher[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in launcher.Skip(1).Append(Path.Combine(AppContext.BaseDirectory, "throughline.dll")).Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = new System.Text.StringBuilder();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.AppendLine(line);
                if (ListeningLine().Match(line) is { Success: true } match)
                {
                    var server = new ServerProcess(process, new Uri(match.Groups["url"].Value), error) { Output = output.ToString() };
                    if (AdminTokenLine().Match(output.ToString()) is { Success: true } admin)
                    {
                        server.UseToken(admin.Groups["token"].Value);
                    }

                    _ = server.KeepReadingAsync(); // keep the pipe drained, and what it says
                    return server;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
            throw new InvalidOperationException($"throughline {arguments[0]} named no address to listen on within {StartTimeout.TotalSeconds:N0} s; it printed: {output}");
        }

        await process.WaitForExitAsync();
        throw new InvalidOperationException($"throughline {arguments[0]} exited with {process.ExitCode} before listening: {await error}");
    }

    /// <summary>Everything the process printed on stdout since it started listening, so far.</summary>
    public string OutputSinceListening
    {
        get
        {
            lock (_later)
            {
                return _later.ToString();
            }
        }
    }

    /// <summary>Waits until the process prints a line containing <paramref name="text"/> after it started listening.</summary>
    /// <returns>The line; fails the test, showing what the process printed, when none came within <paramref name="deadline"/>.</returns>
    public async Task<string> WaitForOutputAsync(string text, TimeSpan deadline)
    {
        var seen = await Eventually.HoldsAsync(
            $"a line containing '{text}' from throughline",
            _ => Task.FromResult(new PrintedSoFar(LaterOutput(), _process.HasExited ? _process.ExitCode : null)),
            printed => printed.Exited is not null || printed.Text.Contains(text, StringComparison.Ordinal),
            deadline);
        return seen.Text.Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"throughline exited with {seen.Exited} before printing '{text}': {seen}");
    }

    private string LaterOutput()
    {
        lock (_later)
        {
            return _later.ToString();
        }
    }

    /// <summary>What the process printed after it started listening, and its exit code if it has ended.</summary>
    private sealed record PrintedSoFar(string Text, int? Exited)
    {
        public override string ToString() => (Exited is { } code ? $"exited with {code}; " : "") + $"printed: {Text}";
    }

    private async Task KeepReadingAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            lock (_later)
            {
                _later.AppendLine(line);
            }
        }
    }

    /// <summary>Sends a signal (<c>INT</c> as Ctrl+C does, <c>TERM</c> as a service manager does) and waits for the process to end.</summary>
    /// <returns>Its exit code and everything it printed on stderr.</returns>
    public async Task<(int ExitCode, string Error)> StopWithSignalAsync(string signal, TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-s", signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the process did not end within {timeout.TotalSeconds:N0} s of SIG{signal}");
        }

        return (_process.ExitCode, await _error);
    }

    /// <summary>Ends the process at once, as a crash or <c>kill -9</c> would: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            // Stopped as a service manager would, so it cleans up after itself (demo removes its folder); killed if it hangs.
            try
            {
                await StopWithSignalAsync("TERM", TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                await KillAsync();
            }
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"^(Open |Throughline is serving ).*?(?<url>http://127\.0\.0\.1:[1-9]\d*)")]
    private static partial Regex ListeningLine();

    /// <summary>The admin token that <c>serve</c>'s first start prints, or <c>demo</c>'s; the client sends it.</summary>
    [GeneratedRegex(@"^(First start: admin token|Admin token \(for the API and /audit\):) (?<token>tl_\S+)", RegexOptions.Multiline)]
    private static partial Regex AdminTokenLine();
}
