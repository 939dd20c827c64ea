using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Throughline.Tests.Web;

/// <summary>Every page under the strict Content-Security-Policy: nothing refused, and the bars keep their widths without style attributes.</summary>
public sealed partial class BrowserTests
{
    /// <summary>Runs before each document's own scripts (through the DevTools protocol, so the page's policy does not block it).</summary>
    private const string RecordViolations = """
        window.__violations = [];
        document.addEventListener("securitypolicyviolation", e =>
            window.__violations.push(`${e.violatedDirective} refused ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`));
        """;

    /// <summary>Violations are reported in a task of their own: wait one turn of the event loop after the page loaded.</summary>
    private const string ReadViolations = "() => new Promise(resolve => setTimeout(() => resolve(window.__violations ?? null), 0))";

    private const string NotFoundPath = "/changes/no-such-change";

    private const string BadQueryPath = "/metrics-dashboard?interval=fortnight";

    [Fact]
    public async Task EveryPage_UnderTheContentSecurityPolicy_HasNoViolation()
    {
        var paths = await EveryKindOfPageAsync();
        var (page, errors) = await ui.Browser.OpenAsync();
        await page.AddInitScriptAsync(RecordViolations);
        var violations = new List<string>();
        var unexpected = new List<string>();

        foreach (var path in paths)
        {
            var logged = errors.Count;
            var response = await page.GotoAsync(Url(path));
            var seen = await page.EvaluateAsync<string[]?>(ReadViolations);

            Assert.Equal(path switch { NotFoundPath => 404, BadQueryPath => 400, _ => 200 }, response!.Status);
            Assert.Contains("style-src 'self';", await response.HeaderValueAsync("content-security-policy") ?? "", StringComparison.Ordinal);
            Assert.True(seen is not null, $"{path}: the violation listener did not run");
            violations.AddRange(seen.Select(v => $"{path}: {v}"));
            // Chromium logs a page answered with 4xx as a failed load; that one line is expected on the error pages.
            unexpected.AddRange(errors.Skip(logged)
                .Where(e => response.Ok || !e.StartsWith($"Failed to load resource: the server responded with a status of {response.Status}", StringComparison.Ordinal))
                .Select(e => $"{path}: {e}"));
        }

        Assert.True(paths.Count >= 20, $"only {paths.Count} pages visited");
        Assert.Empty(violations);
        Assert.DoesNotContain(unexpected, e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(unexpected);
    }

    [Fact]
    public async Task Bars_UnderTheContentSecurityPolicy_KeepTheirWidthsToScale()
    {
        var flow = (await ui.Server.Client.GetFromJsonAsync<JsonElement>("/api/metrics/flow", Cancel)).GetProperty("stages").EnumerateArray()
            .Select(s => (Stage: s.GetProperty("stage").GetString()!, Waiting: Hours(s.GetProperty("waiting"), "medianHours"), Working: Hours(s.GetProperty("working"), "medianHours")))
            .ToList();
        var flowScale = Math.Max(0.01, flow.Max(s => s.Waiting + s.Working));
        var (change, stages) = await DeliveredChangeThatWaitedAsync();
        var changeScale = Math.Max(0.01, stages.Sum(s => s.Waiting + s.Working));
        var (page, errors) = await ui.Browser.OpenAsync();

        await page.GotoAsync(Url("/value-stream"));
        var streamBars = await BarsAsync(page, flow.Select(s => (s.Stage, $"li.stage[data-stage=\"{s.Stage}\"] .bar", s.Waiting / flowScale, s.Working / flowScale)));
        await page.GotoAsync(Url($"/changes/{Uri.EscapeDataString(change)}"));
        var changeBars = await BarsAsync(page, stages.Select(s => (s.Stage, $"tr[data-stage=\"{s.Stage}\"] .bar", s.Waiting / changeScale, s.Working / changeScale)));

        foreach (var bar in streamBars.Concat(changeBars))
        {
            Assert.True(Math.Abs(bar.Waiting - bar.ExpectedWaiting) < 1, $"{bar.Stage}: waiting drawn {bar.Waiting:0.0} px, expected {bar.ExpectedWaiting:0.0}");
            Assert.True(Math.Abs(bar.Working - bar.ExpectedWorking) < 1, $"{bar.Stage}: working drawn {bar.Working:0.0} px, expected {bar.ExpectedWorking:0.0}");
        }

        Assert.Contains(streamBars, b => b.Waiting > 20);
        Assert.Contains(changeBars, b => b.Waiting > 20);
        Assert.Empty(errors);
    }

    /// <summary>Each kind of page the UI has, with real ids from the simulated organisation; a 404 and a 400 page too.</summary>
    private async Task<IReadOnlyList<string>> EveryKindOfPageAsync()
    {
        var services = (await BoardAsync()).GetProperty("services").EnumerateArray().ToList();
        var card = services.SelectMany(s => s.GetProperty("inFlight").EnumerateArray().Select(c => (Service: s.GetProperty("service").GetString()!, Card: c))).First();
        var release = services.SelectMany(s => s.GetProperty("latestProductionDeployments").EnumerateArray()).First();
        var (delivered, _) = await DeliveredChangeThatWaitedAsync();
        var team = ui.Model.Teams[0].Id;
        var stage = ui.Model.Flow[0].Id;
        var handoff = (await ui.Server.Client.GetFromJsonAsync<JsonElement>("/api/metrics/flow", Cancel)).GetProperty("handoffs").EnumerateArray().First();
        return
        [
            "/",
            $"/?team={team}",
            $"/?service={card.Service}&stage={card.Card.GetProperty("stage").GetString()}",
            "/value-stream",
            $"/value-stream?team={team}",
            "/value-stream/evidence?figure=efficiency",
            $"/value-stream/evidence?stage={stage}",
            $"/value-stream/evidence?stage={stage}&at={DateTimeOffset.UtcNow.Date.AddDays(-1):yyyy-MM-dd}",
            $"/value-stream/evidence?stage={handoff.GetProperty("stage").GetString()}&from-team={handoff.GetProperty("fromTeam").GetString()}&to-team={handoff.GetProperty("toTeam").GetString()}",
            "/metrics-dashboard",
            "/metrics-dashboard?interval=week",
            BadQueryPath,
            .. Throughline.Web.Pages.InsightPages.Metrics.Select(m => $"/metrics-dashboard/evidence?metric={m.Key}"),
            "/model",
            $"/changes/{Uri.EscapeDataString(card.Card.GetProperty("changeId").GetString()!)}",
            $"/changes/{Uri.EscapeDataString(delivered)}",
            $"/deployments/{Uri.EscapeDataString(release.GetProperty("deploymentId").GetString()!)}?source={Uri.EscapeDataString(release.GetProperty("source").GetString()!)}",
            NotFoundPath,
        ];
    }

    /// <summary>A delivered change with its stages' waiting and working hours, one that waited long enough for a visible bar.</summary>
    private async Task<(string Change, IReadOnlyList<(string Stage, double Waiting, double Working)> Stages)> DeliveredChangeThatWaitedAsync()
    {
        var changes = (await ui.Server.Client.GetFromJsonAsync<JsonElement>("/api/changes?state=delivered&limit=20", Cancel)).GetProperty("items").EnumerateArray();
        foreach (var id in changes.Select(c => c.GetProperty("id").GetString()!))
        {
            var detail = await ui.Server.Client.GetFromJsonAsync<JsonElement>($"/api/changes/{Uri.EscapeDataString(id)}", Cancel);
            List<(string, double, double)> stages = [.. detail.GetProperty("stages").EnumerateArray()
                .Select(s => (s.GetProperty("stageId").GetString()!, Hours(s, "waitingHours"), Hours(s, "workingHours")))];
            var total = stages.Sum(s => s.Item2 + s.Item3);
            if (stages.Any(s => s.Item2 > total / 4))
            {
                return (id, stages);
            }
        }

        throw new InvalidOperationException("no delivered change among the latest 20 spent a quarter of its time waiting at one stage");
    }

    private static double Hours(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : 0;

    private sealed record DrawnBar(string Stage, double Waiting, double Working, double ExpectedWaiting, double ExpectedWorking);

    /// <summary>The drawn widths of each bar's parts, and what they should be: the share of the scale times the bar's width.</summary>
    private static async Task<IReadOnlyList<DrawnBar>> BarsAsync(IPage page, IEnumerable<(string Stage, string Selector, double Waiting, double Working)> bars)
    {
        var drawn = new List<DrawnBar>();
        foreach (var (stage, selector, waiting, working) in bars)
        {
            var widths = await page.Locator(selector).EvaluateAsync<double[]>(
                "bar => [bar, bar.querySelector('.waiting'), bar.querySelector('.working')].map(e => e.getBoundingClientRect().width)");
            drawn.Add(new DrawnBar(stage, widths[1], widths[2], Math.Min(waiting, 1) * widths[0], Math.Min(working, 1) * widths[0]));
        }

        return drawn;
    }
}
