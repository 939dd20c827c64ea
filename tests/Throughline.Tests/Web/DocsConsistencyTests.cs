using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Throughline.Metrics;

namespace Throughline.Tests.Web;

/// <summary>A service's docs page against the value stream's API and the model, on the demo's organisation served with a stopped clock.</summary>
public sealed class DocsConsistencyTests(SimulatedFlowFixture demo) : IClassFixture<SimulatedFlowFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static double? Median(JsonElement stage, string part) =>
        stage.GetProperty(part).GetProperty("medianHours") is { ValueKind: JsonValueKind.Number } median ? median.GetDouble() : null; // ledger skips QA: no data

    [Theory]
    [InlineData("checkout", "storefront")]
    [InlineData("ledger", "payments")]
    public async Task ServicePage_StatesEachStagesWaitingAsTheValueStream_AndTheModelsPeopleToAsk(string service, string owner)
    {
        var flow = await demo.Server.Client.GetFromJsonAsync<JsonElement>($"/api/metrics/flow?service={service}", Cancel);
        using var response = await demo.Server.Client.GetAsync($"/docs/services/{service}", Cancel);
        var html = Regex.Replace(WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Cancel)), @">\s+<", "><"); // cells one after the other

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var stage in flow.GetProperty("stages").EnumerateArray())
        {
            var name = stage.GetProperty("name").ValueKind == JsonValueKind.String ? stage.GetProperty("name").GetString()! : stage.GetProperty("stage").GetString()!;
            var waiting = Readable.Hours(Median(stage, "waiting"));
            var working = Readable.Hours(Median(stage, "working"));
            Assert.Contains($"<td>{waiting}</td><td>{working}</td><td>{stage.GetProperty("changes").GetInt32()}</td>", html, StringComparison.Ordinal);
            Assert.Contains($"{name}<br/>", html, StringComparison.Ordinal); // its node in the diagram
        }

        // The owner's people, as the model names them, with their identities.
        foreach (var person in demo.Model.People.Where(p => p.Team == owner))
        {
            Assert.Contains($"{person.Id} ({string.Join(", ", person.Identities.Select(i => $"{i.Tool}:{i.Login}"))})", html, StringComparison.Ordinal);
        }
    }
}
