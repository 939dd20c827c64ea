using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Throughline.Bench.Http;

/// <summary><c>http-ingest</c> (B2): posts the events of a JSON-lines file to <c>POST /api/events</c>, bounded by count and time, and times it.</summary>
internal static class HttpIngestCommand
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);

    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "Base address of a running server, for example http://127.0.0.1:5000.", HelpName = "URL", Required = true };
        var file = new Option<string>("--file") { Description = "CDEvents as JSON lines, one event per line (throughline simulate's output).", HelpName = "EVENTS.jsonl", Required = true };
        var mode = new Option<string>("--mode") { Description = "batch: JSON arrays of --batch-size events; single: one event per request.", DefaultValueFactory = _ => "batch" };
        mode.AcceptOnlyFromAmong("batch", "single");
        var batchSize = new Option<int>("--batch-size") { Description = "Events per request in batch mode.", DefaultValueFactory = _ => 1000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight at once.", DefaultValueFactory = _ => 1 };
        var maxEvents = new Option<int?>("--max-events") { Description = "Send at most this many events (default: the whole file)." };
        var maxSeconds = new Option<double>("--max-seconds") { Description = "Start no request after this many seconds.", DefaultValueFactory = _ => 60 };
        var token = BenchHttp.TokenOption();
        var command = new Command("http-ingest", "B2: send a JSON-lines file to POST /api/events; print events/s, requests/s and request latency percentiles.")
        {
            url, file, mode, batchSize, concurrency, maxEvents, maxSeconds, token,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(
            new Load(parsed.GetValue(url)!, parsed.GetValue(file)!, parsed.GetValue(mode) == "single" ? 1 : parsed.GetValue(batchSize),
                parsed.GetValue(concurrency), parsed.GetValue(maxEvents), TimeSpan.FromSeconds(parsed.GetValue(maxSeconds))),
            BenchHttp.Token(parsed, token),
            cancellationToken));
        return command;
    }

    /// <summary>What to send and the bounds.</summary>
    private sealed record Load(string Url, string File, int BatchSize, int Concurrency, int? MaxEvents, TimeSpan MaxDuration);

    /// <summary>One request body: a single event as read, or a JSON array of several.</summary>
    private sealed record Body(ReadOnlyMemory<byte> Json, int Events);

    private static async Task<int> RunAsync(Load load, string? token, CancellationToken cancellationToken)
    {
        if (load.BatchSize < 1 || load.Concurrency < 1 || load.MaxEvents < 1 || load.MaxDuration <= TimeSpan.Zero)
        {
            await Console.Error.WriteLineAsync("http-ingest: --batch-size, --concurrency, --max-events and --max-seconds must be positive.");
            return 2;
        }

        if (BenchHttp.BaseAddress(load.Url) is not { } server)
        {
            await Console.Error.WriteLineAsync($"http-ingest: --url '{load.Url}' must be an http:// or https:// address.");
            return 2;
        }

        if (token is null)
        {
            await Console.Error.WriteLineAsync($"http-ingest: the server takes events only with a token: pass --token or set {BenchHttp.TokenVariable}.");
            return 2;
        }

        var bodies = Bodies(JsonLines.Read(load.File, load.MaxEvents ?? int.MaxValue), load.BatchSize);
        using var http = BenchHttp.CreateClient(server, load.Concurrency, RequestTimeout, token);
        if (!await BenchHttp.IsHealthyAsync(http, "http-ingest", cancellationToken))
        {
            return 1;
        }

        var run = new LoadRun(http, bodies, load.MaxDuration);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, load.Concurrency).Select(_ => Task.Run(() => run.SendAsync(cancellationToken), cancellationToken)));
        clock.Stop();

        var shape = load.BatchSize == 1 ? "single (one event per request)" : $"batch ({load.BatchSize:N0} events per request)";
        var seconds = clock.Elapsed.TotalSeconds;
        var stoppedBy = run.Failure is not null ? "a failed request"
            : run.Requests < bodies.Count ? "--max-seconds"
            : load.MaxEvents is not null ? "--max-events (or the end of the file)" : "the end of the file";
        Print($"B2 http-ingest: {server}api/events, mode {shape}, concurrency {load.Concurrency}");
        Print($"  sent {run.Events:N0} events in {run.Requests:N0} requests: {run.Accepted:N0} accepted, {run.Duplicates:N0} duplicates; stopped by {stoppedBy}");
        Print($"  elapsed {seconds:N2} s: {run.Events / seconds:N0} events/s, {run.Requests / seconds:N1} requests/s");
        Print($"  request latency: {Latencies.Of(run.LatenciesMilliseconds)?.ToString() ?? "none measured"}");
        if (run.Failure is { } failure)
        {
            await Console.Error.WriteLineAsync($"http-ingest: {failure}");
            return 1;
        }

        return 0;
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));

    private static List<Body> Bodies(IReadOnlyList<ReadOnlyMemory<byte>> lines, int batchSize)
    {
        if (batchSize == 1)
        {
            return [.. lines.Select(line => new Body(line, 1))];
        }

        var bodies = new List<Body>(lines.Count / batchSize + 1);
        foreach (var batch in lines.Chunk(batchSize))
        {
            var json = new byte[batch.Sum(line => line.Length + 1) + 1];
            var at = 0;
            json[at++] = (byte)'[';
            foreach (var line in batch)
            {
                line.Span.CopyTo(json.AsSpan(at));
                at += line.Length;
                json[at++] = (byte)',';
            }

            json[at - 1] = (byte)']';
            bodies.Add(new Body(json.AsMemory(0, at), batch.Length));
        }

        return bodies;
    }

    /// <summary>The shared state of the senders: the next body to send, the counts, and the first failure.</summary>
    private sealed class LoadRun(HttpClient http, IReadOnlyList<Body> bodies, TimeSpan maxDuration)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Lock _gate = new();
        private readonly List<double> _latencies = new(bodies.Count);
        private int _next = -1;
        private long _events;
        private long _accepted;
        private long _duplicates;
        private int _requests;

        public long Events => _events;

        public long Accepted => _accepted;

        public long Duplicates => _duplicates;

        public int Requests => _requests;

        public string? Failure { get; private set; }

        public IReadOnlyList<double> LatenciesMilliseconds => _latencies;

        /// <summary>One sender: takes the next body until none is left, the time is up or a request failed.</summary>
        public async Task SendAsync(CancellationToken cancellationToken)
        {
            while (Failure is null && _clock.Elapsed < maxDuration && Interlocked.Increment(ref _next) is var index && index < bodies.Count)
            {
                var body = bodies[index];
                using var content = new ReadOnlyMemoryContent(body.Json);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                var start = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.PostAsync("api/events", content, cancellationToken);
                    var text = await response.Content.ReadAsStringAsync(cancellationToken);
                    var end = Stopwatch.GetTimestamp();
                    if (!response.IsSuccessStatusCode)
                    {
                        Fail($"request {index + 1} answered {(int)response.StatusCode} {response.ReasonPhrase}{BenchHttp.Hint(response.StatusCode)}: {text}");
                        return;
                    }

                    using var counts = JsonDocument.Parse(text);
                    Interlocked.Add(ref _accepted, counts.RootElement.GetProperty("accepted").GetInt32());
                    Interlocked.Add(ref _duplicates, counts.RootElement.GetProperty("duplicates").GetInt32());
                    Interlocked.Add(ref _events, body.Events);
                    Interlocked.Increment(ref _requests);
                    lock (_gate)
                    {
                        _latencies.Add(Latencies.Milliseconds(start, end));
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
                {
                    Fail($"request {index + 1} failed: {exception.Message}");
                    return;
                }
            }
        }

        private void Fail(string reason)
        {
            lock (_gate)
            {
                Failure ??= reason;
            }
        }
    }
}
