using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Throughline.Bench.Http;

namespace Throughline.Bench.Freshness;

/// <summary>
/// <c>freshness</c> (B3): posts one event at a time and polls until the board or the DORA answer shows it; prints the delay
/// from the start of the POST and from its 202.
/// </summary>
internal static class FreshnessCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SampleSpacing = TimeSpan.FromMilliseconds(100);

    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "Base address of a running server (with an operating model).", HelpName = "URL", Required = true };
        var readUrl = new Option<string?>("--read-url")
        {
            Description = "Another node on the same database to watch for the event (default: --url): how soon a node hears of what another stored.",
            HelpName = "URL",
        };
        var samples = new Option<int>("--samples") { Description = "Events posted per target, one at a time.", DefaultValueFactory = _ => 50 };
        var target = new Option<string>("--target") { Description = "What must show the event.", DefaultValueFactory = _ => "both" };
        target.AcceptOnlyFromAmong("board", "dora", "both");
        var repository = new Option<string>("--repository") { Description = "Board: a repository of a service of the model.", HelpName = "OWNER/NAME", DefaultValueFactory = _ => "acme/checkout" };
        var service = new Option<string>("--service") { Description = "The service the repository belongs to, and the one deployed.", DefaultValueFactory = _ => "checkout" };
        var environment = new Option<string>("--environment") { Description = "DORA: a production environment of the model.", DefaultValueFactory = _ => "production" };
        var token = BenchHttp.TokenOption();
        var command = new Command("freshness", "B3: time from POST /api/events until GET /api/board or GET /api/metrics/dora shows the event.")
        {
            url, readUrl, samples, target, repository, service, environment, token,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(
            parsed.GetValue(url)!, parsed.GetValue(readUrl), parsed.GetValue(samples), parsed.GetValue(target)!, parsed.GetValue(repository)!, parsed.GetValue(service)!,
            parsed.GetValue(environment)!, BenchHttp.Token(parsed, token), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        string url, string? readUrl, int samples, string target, string repository, string service, string environment, string? token,
        CancellationToken cancellationToken)
    {
        if (BenchHttp.BaseAddress(url) is not { } server || BenchHttp.BaseAddress(readUrl ?? url) is not { } reader || samples < 1)
        {
            await Console.Error.WriteLineAsync($"freshness: --url '{url}' and --read-url must be http:// or https:// addresses and --samples positive.");
            return 2;
        }

        if (token is null)
        {
            await Console.Error.WriteLineAsync($"freshness: the server takes and shows events only with a token: pass --token or set {BenchHttp.TokenVariable}.");
            return 2;
        }

        using var http = BenchHttp.CreateClient(server, 2, GiveUpAfter, token);
        using var watched = BenchHttp.CreateClient(reader, 2, GiveUpAfter, token);
        if (!await BenchHttp.IsHealthyAsync(http, "freshness", cancellationToken) || !await BenchHttp.IsHealthyAsync(watched, "freshness", cancellationToken))
        {
            return 1;
        }

        var time = TimeProvider.System;
        var run = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        List<FreshnessTarget> targets = target switch
        {
            "board" => [new BoardTarget(watched, run, repository, service)],
            "dora" => [new DoraTarget(watched, run, service, environment, time.GetUtcNow())],
            _ => [new BoardTarget(watched, run, repository, service), new DoraTarget(watched, run, service, environment, time.GetUtcNow())],
        };
        Print($"B3 freshness: posted to {server}, watched on {reader}, {samples} samples per target, polling every {PollInterval.TotalMilliseconds:N0} ms, giving up after {GiveUpAfter.TotalSeconds:N0} s");
        var timeouts = 0;
        try
        {
            foreach (var each in targets)
            {
                timeouts += await MeasureAsync(http, each, samples, time, cancellationToken);
            }
        }
        catch (HttpRequestException exception)
        {
            await Console.Error.WriteLineAsync($"freshness: {exception.Message}");
            return 1;
        }

        if (timeouts > 0)
        {
            await Console.Error.WriteLineAsync(
                $"freshness: {timeouts} sample(s) never showed; the server needs an operating model in which service '{service}' " +
                $"owns repository '{repository}' and '{environment}' is a production environment.");
            return 1;
        }

        return 0;
    }

    /// <summary>Measures <paramref name="samples"/> samples of <paramref name="target"/> and prints the figures.</summary>
    /// <returns>How many samples timed out.</returns>
    private static async Task<int> MeasureAsync(HttpClient http, FreshnessTarget target, int samples, TimeProvider time, CancellationToken cancellationToken)
    {
        List<double> fromPost = [], fromAccepted = [], posts = [], polls = [];
        long pollBytes = 0;
        var timeouts = 0;
        for (var sample = 0; sample < samples; sample++)
        {
            var cdEvent = await target.PrepareAsync(sample, time.GetUtcNow(), cancellationToken);
            var start = Stopwatch.GetTimestamp();
            using (var response = await http.PostAsJsonAsync("api/events", cdEvent, cancellationToken))
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw new HttpRequestException($"POST api/events answered {(int)response.StatusCode} {response.ReasonPhrase}{BenchHttp.Hint(response.StatusCode)}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
                }
            }

            var accepted = Stopwatch.GetTimestamp();
            posts.Add(Latencies.Milliseconds(start, accepted));
            while (true)
            {
                var pollStart = Stopwatch.GetTimestamp();
                var (visible, bytes) = await target.PollAsync(cancellationToken);
                var seen = Stopwatch.GetTimestamp();
                polls.Add(Latencies.Milliseconds(pollStart, seen));
                pollBytes += bytes;
                if (visible)
                {
                    fromPost.Add(Latencies.Milliseconds(start, seen));
                    fromAccepted.Add(Latencies.Milliseconds(accepted, seen));
                    break;
                }

                if (Stopwatch.GetElapsedTime(start) > GiveUpAfter)
                {
                    timeouts++;
                    break;
                }

                await Task.Delay(PollInterval, time, cancellationToken);
            }

            await Task.Delay(SampleSpacing, time, cancellationToken);
        }

        Print($"{target.Name}: GET {target.PollPath}");
        Print($"  seen {fromPost.Count} of {samples}, {timeouts} timed out (> {GiveUpAfter.TotalSeconds:N0} s)");
        Print($"  from POST start: {Latencies.Of(fromPost)?.ToString() ?? "none seen"}");
        Print($"  from its 202:    {Latencies.Of(fromAccepted)?.ToString() ?? "none seen"}");
        Print($"  POST itself:     {Latencies.Of(posts)}");
        Print($"  poll cost: {polls.Count / (double)samples:N1} polls per sample, {Latencies.Of(polls)}, {pollBytes / Math.Max(polls.Count, 1):N0} bytes each");
        return timeouts;
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
