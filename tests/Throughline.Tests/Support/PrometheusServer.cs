using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Throughline.Tests.Support;

/// <summary>
/// A real Prometheus of the test's own (Debian's <c>/usr/bin/prometheus</c>) on a free port of 127.0.0.1, scraping a
/// <see cref="MetricsExporter"/> the test controls every second, with its storage in a temp folder.
/// </summary>
/// <remarks>
/// <para>Ready in a fraction of a second, but the first scrape comes about 5 s after start (Prometheus applies scrape targets
/// on a fixed 5 s tick), so share one (<see cref="PrometheusFixture"/>). Without the binary the test skips on a laptop and
/// fails under ./test.sh or CI. Disposing kills the process tree and deletes the folder.</para>
/// <para>Prometheus runs under a small <c>sh</c> watchdog that kills it and deletes its folder when its stdin, a pipe from this
/// process, closes: when this test process ends, even killed, no Prometheus is left listening and no folder is left behind.</para>
/// </remarks>
public sealed class PrometheusServer : IAsyncDisposable
{
    public const string Executable = "/usr/bin/prometheus";

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);

    // Runs "$0 $@" (Prometheus) and exits with it; a subshell reading the inherited stdin kills it once the pipe closes, and
    // then deletes its folder (FolderVariable).
    private const string Watchdog = """
        exec 3<&0; "$0" "$@" </dev/null & child=$!
        (read -r _ <&3; kill $child 2>/dev/null; while kill -0 $child 2>/dev/null; do sleep 0.1; done; rm -rf -- "$THROUGHLINE_PROMETHEUS_FOLDER") &
        wait $child
        """;

    private const string FolderVariable = "THROUGHLINE_PROMETHEUS_FOLDER";

    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _log;
    private readonly HttpClient _http = new();

    private PrometheusServer(Process process, string folder, StringBuilder log, string address, MetricsExporter exporter)
    {
        _process = process;
        _folder = folder;
        _log = log;
        Address = address;
        Exporter = exporter;
    }

    /// <summary>The HTTP API's base URL, <c>http://127.0.0.1:port</c>, as a model's <c>prometheus</c> would give it.</summary>
    public string Address { get; }

    /// <summary>The exporter Prometheus scrapes every second.</summary>
    public MetricsExporter Exporter { get; }

    /// <summary>Starts the exporter and Prometheus, and waits until Prometheus has scraped the exporter once.</summary>
    public static async Task<PrometheusServer> StartAsync()
    {
        if (!File.Exists(Executable))
        {
            TestDatabase.Unavailable($"{Executable} is missing: install Debian's prometheus package (./test.sh does).");
        }

        var exporter = await MetricsExporter.StartAsync();
        var folder = Directory.CreateTempSubdirectory("throughline-prometheus-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: exporter
                static_configs:
                  - targets: ['{exporter.Target}']
            """, TestContext.Current.CancellationToken);
        var log = new StringBuilder();
        var port = FreePort();
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
            Environment = { [FolderVariable] = folder },
        };
        foreach (var argument in (string[])[
            "-c", Watchdog, Executable, "--config.file=prometheus.yml", "--storage.tsdb.path=data", "--storage.tsdb.retention.time=1h",
            $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("sh did not start");
        process.OutputDataReceived += (_, line) => Append(log, line.Data);
        process.ErrorDataReceived += (_, line) => Append(log, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, folder, log, $"http://127.0.0.1:{port}", exporter);
        try
        {
            await server.AwaitAsync("Prometheus to be ready", async token =>
                (await server._http.GetAsync($"{server.Address}/-/ready", token)).StatusCode == HttpStatusCode.OK);
            await server.AwaitAsync("the first scrape of the exporter", async token =>
                await server.ValueAsync("up{job=\"exporter\"}", TimeProvider.System.GetUtcNow(), token) == "1");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Sets <paramref name="series"/> on the exporter and waits until Prometheus answers <paramref name="value"/> for it.</summary>
    /// <returns>
    /// The timestamp of a sample of <paramref name="value"/> Prometheus stored (whole milliseconds): a query at that instant
    /// answers <paramref name="value"/> for good, since a series' samples are appended in time order and none can come in
    /// before it later, whatever the test sets next.
    /// </returns>
    public async Task<DateTimeOffset> SetAsync(string series, double value)
    {
        Exporter.Set(series, value);
        var expected = value.ToString("R", CultureInfo.InvariantCulture);
        var seen = await ObservedAsync($"{series} to read {expected}", series, expected);
        var stamp = decimal.Parse(await ValueAsync($"timestamp({series})", seen, TestContext.Current.CancellationToken)
            ?? throw new InvalidOperationException($"no timestamp for {series} at {seen:O}"), CultureInfo.InvariantCulture);
        return DateTimeOffset.FromUnixTimeMilliseconds((long)(stamp * 1000));
    }

    /// <summary>Removes <paramref name="series"/> from the exporter and waits until Prometheus answers nothing for it.</summary>
    /// <returns>An instant (whole milliseconds) at which Prometheus answers no series.</returns>
    public Task<DateTimeOffset> RemoveAsync(string series)
    {
        Exporter.Remove(series);
        return ObservedAsync($"{series} to be gone", series, null);
    }

    private async Task<DateTimeOffset> ObservedAsync(string awaited, string query, string? expected)
    {
        var seen = DateTimeOffset.MinValue;
        await AwaitAsync(awaited, async token =>
        {
            seen = DateTimeOffset.FromUnixTimeMilliseconds(TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds());
            return await ValueAsync(query, seen, token) == expected;
        });
        return seen;
    }

    /// <summary>The value of <paramref name="query"/>'s only series at <paramref name="at"/> as Prometheus writes it, or null for no series.</summary>
    private async Task<string?> ValueAsync(string query, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var time = (at.ToUnixTimeMilliseconds() / 1000m).ToString(CultureInfo.InvariantCulture);
        using var answer = JsonDocument.Parse(await _http.GetStringAsync(
            $"{Address}/api/v1/query?query={Uri.EscapeDataString(query)}&time={time}", cancellationToken));
        var result = answer.RootElement.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 0 ? null : result[0].GetProperty("value")[1].GetString();
    }

    /// <summary>Polls until <paramref name="holds"/> is true; fails with Prometheus' own output if it ends or the deadline passes.</summary>
    private async Task AwaitAsync(string awaited, Func<CancellationToken, Task<bool>> holds)
    {
        await Eventually.HoldsAsync(awaited, async token =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {_process.ExitCode} while waiting for {awaited}: {Log()}");
            }

            try
            {
                return await holds(token);
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, held => held, StartDeadline);
    }

    private static void Append(StringBuilder log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.AppendLine(line);
            }
        }
    }

    private string Log()
    {
        lock (_log)
        {
            return _log.ToString();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _http.Dispose();
        await Exporter.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
