using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Throughline.Storage;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

public sealed partial class HooksApiTests
{
    public static TheoryData<string, string, string> TimesOutOfRange => new()
    {
        // A start in year 5138 (the latest epoch milliseconds read as such) plus 6,000 years, and a duration beyond any calendar.
        { "jenkins", "jenkins/completed.json", "\"timestamp\":1774016825315,\"duration\":83000 => \"timestamp\":99999999999999,\"duration\":200000000000000" },
        { "jenkins", "jenkins/completed.json", "\"duration\":83000 => \"duration\":9223372036854775807" },
        // An offset beyond ±14 h, and year 1 and year 9999 pushed out of range by their offsets.
        { "github", "github/pull_request/opened.payload.json", "\"created_at\": \"2019-05-15T15:20:33Z\" => \"created_at\": \"2019-05-15T15:20:33+15:00\"" },
        { "github", "github/pull_request/opened.payload.json", "\"created_at\": \"2019-05-15T15:20:33Z\" => \"created_at\": \"0001-01-01T00:30:00+01:00\"" },
        { "argocd", "argocd/payloads/deployed-first.json", "2024-03-05 07:33:04 +0000 UTC => 9999-12-31T23:59:59.9999999-01:00" },
    };

    [Theory, MemberData(nameof(TimesOutOfRange))]
    public async Task Hook_TimeOutOfRange_StoredAndReadAsAbsent(string tool, string fixture, string edit)
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await StartAsync(database);
        var (from, to) = (edit.Split(" => ")[0], edit.Split(" => ")[1]);
        var text = Encoding.UTF8.GetString(Hooks.Fixture(fixture));
        Assert.Contains(from, text, StringComparison.Ordinal);
        var body = Encoding.UTF8.GetBytes(text.Replace(from, to, StringComparison.Ordinal));
        (string, string)[] headers = tool == "github" ? [("X-GitHub-Event", "pull_request"), ("X-GitHub-Delivery", "out-of-range")] : [];

        var answer = await Hooks.PostAsync(server, tool, body, headers);

        Assert.Equal(1, await server.Services.GetRequiredService<IEventStore>().CountDeliveriesAsync(Cancel));
        var events = await Hooks.EventsOfAsync(server, tool, answer.Text("deliveryId")!);
        Assert.NotEmpty(events);
        // Out of range reads as absent: the event takes the time the delivery was received.
        Assert.All(events, e => Assert.InRange(e.GetProperty("timestamp").GetDateTimeOffset().Year, 2000, 2100));
    }

    [Fact]
    public void Translate_AdapterFailsOnAValueOutOfRange_UnmappedWithTheReason()
    {
        var model = Hooks.Model();
        var message = new Throughline.Intake.Hooks.HookMessage(
            model.Tools.First(t => t.Id == "jenkins"), model, "d-1", new Dictionary<string, string>(), "{}", DateTimeOffset.UnixEpoch);

        var translation = Throughline.Intake.Hooks.HookTranslator.Translate(message, context => context.Event = DateTimeOffset.MaxValue.AddDays(1).ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.False(translation.IsMapped);
        Assert.Contains("out of range", translation.UnmappedReason, StringComparison.Ordinal);
        Assert.Single(translation.Events);
    }
}
