using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Throughline.Bench.Http;

namespace Throughline.Bench.Freshness;

/// <summary>What one freshness sample posts, and the read that tells when the server shows it.</summary>
internal abstract class FreshnessTarget(HttpClient http)
{
    /// <summary>Where the events say they come from.</summary>
    protected const string Source = "/bench/freshness";

    /// <summary>The name in the output: <c>board</c> or <c>dora</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The address polled, relative to the server.</summary>
    public abstract string PollPath { get; }

    /// <summary>Prepares sample <paramref name="sample"/> (outside the measured time) and returns the event to post.</summary>
    public abstract Task<JsonObject> PrepareAsync(int sample, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>True when the event of the sample being measured is visible in <paramref name="answer"/>.</summary>
    protected abstract bool Shows(JsonElement answer);

    /// <summary>One poll: whether the event shows, and the size of the answer.</summary>
    public async Task<(bool Visible, int Bytes)> PollAsync(CancellationToken cancellationToken)
    {
        var body = await GetAsync(cancellationToken);
        using var document = JsonDocument.Parse(body);
        return (Shows(document.RootElement), body.Length);
    }

    /// <summary>The body of <see cref="PollPath"/>; a non-2xx answer throws with the status and body.</summary>
    protected async Task<byte[]> GetAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(PollPath, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return response.IsSuccessStatusCode
            ? body
            : throw new HttpRequestException($"GET {PollPath} answered {(int)response.StatusCode} {response.ReasonPhrase}{BenchHttp.Hint(response.StatusCode)}: {System.Text.Encoding.UTF8.GetString(body)}");
    }

    /// <summary>A CDEvent as the simulator writes it (spec 0.5.1).</summary>
    protected static JsonObject CdEvent(string id, string type, DateTimeOffset timestamp, string subjectId, JsonObject content) => new()
    {
        ["context"] = new JsonObject
        {
            ["specversion"] = "0.5.1",
            ["id"] = id,
            ["source"] = Source,
            ["type"] = type,
            ["timestamp"] = timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        },
        ["subject"] = new JsonObject { ["id"] = subjectId, ["source"] = Source, ["content"] = content },
    };
}

/// <summary>A new change (<c>change.created</c> in a repository of the model) until it is in flight on <c>GET /api/board?service=</c>.</summary>
internal sealed class BoardTarget(HttpClient http, string run, string repository, string service) : FreshnessTarget(http)
{
    private string _changeId = "";

    public override string Name => "board";

    public override string PollPath => $"api/board?service={Uri.EscapeDataString(service)}";

    public override Task<JsonObject> PrepareAsync(int sample, DateTimeOffset now, CancellationToken cancellationToken)
    {
        _changeId = $"{repository}#bench-{run}-{sample}";
        var content = new JsonObject { ["repository"] = new JsonObject { ["id"] = repository } };
        return Task.FromResult(CdEvent($"bench-change-{run}-{sample}", "dev.cdevents.change.created.0.4.0", now, _changeId, content));
    }

    protected override bool Shows(JsonElement answer) =>
        answer.GetProperty("services").EnumerateArray()
            .SelectMany(column => column.GetProperty("inFlight").EnumerateArray())
            .Any(card => card.GetProperty("changeId").ValueEquals(_changeId));
}

/// <summary>
/// A production deployment of a fresh artifact (<c>service.deployed</c>, timestamp now) until the deployment count of
/// <c>GET /api/metrics/dora?service=&amp;environment=</c> over a window around now goes up by one.
/// </summary>
internal sealed class DoraTarget(HttpClient http, string run, string service, string environment, DateTimeOffset now) : FreshnessTarget(http)
{
    private readonly string _window =
        $"from={now.AddDays(-1).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}&to={now.AddDays(1).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}";

    private int _expected;

    public override string Name => "dora";

    public override string PollPath =>
        $"api/metrics/dora?{_window}&service={Uri.EscapeDataString(service)}&environment={Uri.EscapeDataString(environment)}";

    public override async Task<JsonObject> PrepareAsync(int sample, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using (var document = JsonDocument.Parse(await GetAsync(cancellationToken)))
        {
            _expected = Deployments(document.RootElement) + 1;
        }

        var content = new JsonObject
        {
            ["environment"] = new JsonObject { ["id"] = environment, ["source"] = Source },
            ["artifactId"] = $"pkg:oci/{service}@sha256%3Abench{run}{sample:D4}",
        };
        return CdEvent($"bench-deploy-{run}-{sample}", "dev.cdevents.service.deployed.0.3.0", now, service, content);
    }

    protected override bool Shows(JsonElement answer) => Deployments(answer) >= _expected;

    private static int Deployments(JsonElement answer) => answer.GetProperty("deploymentFrequency").GetProperty("deployments").GetInt32();
}
