using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Throughline.Tests.Support;
using Throughline.Tests.Timeline;
using Throughline.Timeline;

namespace Throughline.Tests.Web;

/// <summary>A busy lane on the board: the eight cards that have waited longest, and a link to the rest.</summary>
public sealed partial class BoardLaneTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string Created(int number, DateTimeOffset at) => JsonSerializer.Serialize(new
    {
        context = new { specversion = "0.5.1", id = $"lane-{number}", source = "/lane-test", type = "dev.cdevents.change.created.0.4.0", timestamp = at },
        subject = new { id = $"acme/checkout#{number}", content = new { repository = new { id = "acme/checkout" } } },
    });

    [Fact]
    public async Task Lane_OfElevenCards_ShowsTheEightLongestWaiting_AndLinksToAllEleven()
    {
        var now = Facts.At(100);
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database, b => b.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(now)), Facts.Model());
        var events = string.Join('\n', Enumerable.Range(1, 11).Select(n => Created(n, Facts.At(n))));
        using (var posted = await server.Client.PostAsync("/api/events", new StringContent(events, Encoding.UTF8, "application/x-ndjson"), Cancel))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, posted.StatusCode);
        }

        await server.Services.GetRequiredService<TimelineProjection>().CatchUpAsync(Cancel);

        var board = await server.Client.GetFromJsonAsync<JsonElement>("/api/board", Cancel);
        var page = await server.Client.GetStringAsync("/", Cancel);
        var full = await server.Client.GetStringAsync("/?service=checkout&stage=review", Cancel);

        var queue = board.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("stage").GetString() == "review");
        Assert.Equal((11, "acme/checkout#1", 99.0), (queue.GetProperty("cards").GetInt32(), queue.GetProperty("oldestChangeId").GetString(), queue.GetProperty("oldestHours").GetDouble()));
        Assert.Equal(["web"], queue.GetProperty("holders").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal(Enumerable.Range(1, 8).Select(n => $"acme/checkout#{n}"), Card().Matches(page).Select(m => m.Groups["id"].Value));
        Assert.Contains("href=\"/?service=checkout&stage=review\">+3 more</a>", System.Net.WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(1, 11).Select(n => $"acme/checkout#{n}"), Card().Matches(full).Select(m => m.Groups["id"].Value));
        Assert.DoesNotContain("more</a>", full, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FullColumn_BeyondTheCap_ShowsTheFirst500AndSaysHowManyMore()
    {
        var now = Facts.At(1000);
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database, b => b.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(now)), Facts.Model());
        var events = string.Join('\n', Enumerable.Range(1, 503).Select(n => Created(n, Facts.At(n / 10.0))));
        using (var posted = await server.Client.PostAsync("/api/events", new StringContent(events, Encoding.UTF8, "application/x-ndjson"), Cancel))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, posted.StatusCode);
        }

        await server.Services.GetRequiredService<TimelineProjection>().CatchUpAsync(Cancel);

        var full = await server.Client.GetStringAsync("/?service=checkout&stage=review", Cancel);

        Assert.Equal(500, Card().Matches(full).Count);
        Assert.Contains("Showing the first 500 of 503", full, StringComparison.Ordinal);
    }

    [GeneratedRegex("""<li class="card[^"]*" data-change="(?<id>[^"]+)""")]
    private static partial Regex Card();
}
