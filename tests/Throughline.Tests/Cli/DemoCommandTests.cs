using System.Net.Http.Json;
using System.Text.Json;
using Throughline.Cli;
using Throughline.Tests.Support;

namespace Throughline.Tests.Cli;

public sealed class DemoCommandTests
{
    [Theory]
    [InlineData("2026-11-25T16:00:00Z", "2026-11-25T09:00:00Z")] // Wednesday afternoon: this morning
    [InlineData("2026-11-25T14:00:00Z", "2026-11-24T09:00:00Z")] // not six hours into the day yet: yesterday
    [InlineData("2026-11-30T07:00:00Z", "2026-11-27T09:00:00Z")] // Monday early: last Friday
    [InlineData("2026-11-29T20:00:00Z", "2026-11-27T09:00:00Z")] // Sunday: last Friday
    public void ReplayStart_IsTheLatestWorkingMorningSixHoursBack(string now, string expected)
    {
        var start = DemoCommand.ReplayStart(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), start);
    }

    [Fact]
    public async Task Demo_ServesHistoryAndKeepsItGrowing()
    {
        await using var demo = await ServerProcess.StartAsync("demo", "--urls", "http://127.0.0.1:0", "--days", "14", "--speed", "3600");
        var cancel = TestContext.Current.CancellationToken;

        var first = await demo.Client.GetFromJsonAsync<JsonElement>("/api/events?limit=5", cancel);
        var total = first.GetProperty("total").GetInt64();
        var grown = await Eventually.HoldsAsync(
            $"the demo to store an event beyond the {total} it served first",
            async token => (await demo.Client.GetFromJsonAsync<JsonElement>("/api/events?limit=1", token)).GetProperty("total").GetInt64(),
            stored => stored > total,
            TimeSpan.FromSeconds(60));

        Assert.Contains("Throughline demo: Acme Retail", demo.Output, StringComparison.Ordinal);
        Assert.Equal(5, first.GetProperty("items").GetArrayLength());
        Assert.True(total > 1000, $"only {total} events of history");
        Assert.True(grown > total, $"{grown} events stored, {total} at first");
    }

    [Fact]
    public async Task Demo_PrintsAViewerLinkThatSignsInAndAnAdminToken()
    {
        await using var demo = await ServerProcess.StartAsync("demo", "--urls", "http://127.0.0.1:0", "--days", "7");
        var cancel = TestContext.Current.CancellationToken;
        var link = System.Text.RegularExpressions.Regex.Match(demo.Output, @"^Open (?<link>http://127\.0\.0\.1:\d+/sign-in\?token=tl_\S+)", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.True(link.Success, demo.Output);
        Assert.NotNull(demo.Token); // the admin token line, which ServerProcess read
        var cookies = new System.Net.CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies });
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        using var signedIn = await SignInForm.SubmitAsync(browser, link.Groups["link"].Value);
        var board = await signedIn.Content.ReadAsStringAsync(cancel);
        using var audit = await browser.GetAsync(new Uri(demo.Address, "/api/audit"), cancel);

        Assert.Contains("Release board", board, StringComparison.Ordinal);
        Assert.Contains("demo viewer", board, StringComparison.Ordinal); // who is signed in, in the header
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, audit.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await demo.Client.GetAsync("/api/audit", cancel)).StatusCode);
    }

    [Fact]
    public async Task Demo_ModelNamesItsOwnChatAndArgoCd_WhichTellTheConsole()
    {
        await using var demo = await ServerProcess.StartInterruptibleAsync("demo", "--urls", "http://127.0.0.1:0", "--days", "3");
        var cancel = TestContext.Current.CancellationToken;
        var model = await File.ReadAllTextAsync(System.Text.RegularExpressions.Regex.Match(demo.Output, @"Model: (?<path>\S+)").Groups["path"].Value, cancel);
        var notify = System.Text.RegularExpressions.Regex.Match(model, @"webhook: (?<url>http://127\.0\.0\.1:\d+/notify)").Groups["url"].Value;
        using var client = new HttpClient();

        using var answer = await client.PostAsync(notify, new StringContent("""{"type":"release.failed","service":"checkout"}""", System.Text.Encoding.UTF8, "application/json"), cancel);
        var (exitCode, error) = await demo.StopWithSignalAsync("INT", TimeSpan.FromSeconds(30));

        Assert.Contains("secret: ${THROUGHLINE_DEMO_ROLLBACK_SECRET}", model, StringComparison.Ordinal);
        Assert.Contains("checks: [smoke-tests]", model, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
        Assert.True(exitCode == 0, $"exit {exitCode}: {error}");
        Assert.Contains("demo: chat ← release.failed checkout", error, StringComparison.Ordinal);
    }

    /// <summary>The issue's "done when": in the demo, the first live deployment's smoke tests fail; the board shows its service
    /// frozen, the rollback holders' chat is told, one confirmation sends the signed rollback call to the demo's Argo CD, and the
    /// tool's own event closes it, as the deployment's page and API tell with their evidence.</summary>
    [Fact]
    public async Task Demo_FailedSmokeTest_FreezesTheService_OneConfirmationRollsItBack()
    {
        await using var demo = await ServerProcess.StartInterruptibleAsync("demo", "--urls", "http://127.0.0.1:0", "--days", "3", "--speed", "600");
        var cancel = TestContext.Current.CancellationToken;

        var frozen = await Eventually.HoldsAsync(
            "a service frozen by a failed smoke test on the board",
            async token => (await demo.Client.GetFromJsonAsync<JsonElement>("/api/board", token)).GetProperty("services").EnumerateArray()
                .FirstOrDefault(c => c.TryGetProperty("frozen", out var f) && f.ValueKind == JsonValueKind.Object
                    && f.GetProperty("reason").GetString()!.Contains("smoke-tests", StringComparison.Ordinal)),
            column => column.ValueKind == JsonValueKind.Object,
            TimeSpan.FromSeconds(120));
        var service = frozen.GetProperty("service").GetString()!;
        var deployment = frozen.GetProperty("frozen").GetProperty("deploymentId").GetString()!;
        var source = frozen.GetProperty("frozen").GetProperty("source").GetString()!;
        using var confirmed = await demo.Client.PostAsJsonAsync("/api/rollbacks", new { service, environment = "production" }, cancel);
        var done = await Eventually.HoldsAsync(
            $"the rollback of {service} to be reported by the demo's Argo CD",
            token => demo.Client.GetFromJsonAsync<JsonElement>($"/api/deployments/{Uri.EscapeDataString(deployment)}?source={Uri.EscapeDataString(source)}", token),
            detail => detail.GetProperty("verdict").GetProperty("state").GetString() == "rolled back",
            TimeSpan.FromSeconds(60));
        var page = await demo.Client.GetStringAsync($"/deployments/{Uri.EscapeDataString(deployment)}?source={Uri.EscapeDataString(source)}", cancel);
        var (exitCode, error) = await demo.StopWithSignalAsync("INT", TimeSpan.FromSeconds(30));

        Assert.Equal(System.Net.HttpStatusCode.Accepted, confirmed.StatusCode);
        var verdict = done.GetProperty("verdict");
        Assert.Equal(["verifying", "failed", "rolling back", "rolled back"], verdict.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("state").GetString()).ToArray());
        Assert.Contains(verdict.GetProperty("signals").EnumerateArray(), s => s.GetProperty("failing").GetBoolean()
            && s.GetProperty("summary").GetString() == "testsuiterun 'smoke-tests' failed" && s.GetProperty("evidence").GetProperty("link").GetString()!.StartsWith("/api/events/", StringComparison.Ordinal));
        var actions = verdict.GetProperty("actions").EnumerateArray().Select(a => (Kind: a.GetProperty("kind").GetString(), Outcome: a.GetProperty("outcome").GetString())).ToList();
        Assert.Contains(("release-notification.sent", "success"), actions);
        Assert.Contains(("rollback.requested", null), actions);
        Assert.Contains(("rollback.called", "success"), actions);
        Assert.Contains("testsuiterun &#x27;smoke-tests&#x27; failed", page, StringComparison.Ordinal);
        Assert.Contains("rolled back", page, StringComparison.Ordinal);
        Assert.True(exitCode == 0, $"exit {exitCode}: {error}");
        Assert.Contains($"demo: chat ← release.failed {service}", error, StringComparison.Ordinal);
        Assert.Contains($"demo: argocd ← rollback {service}", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("INT")] // Ctrl+C
    [InlineData("TERM")] // a service manager stopping it
    public async Task Demo_Stopped_RemovesItsTemporaryFolder(string signal)
    {
        await using var demo = await ServerProcess.StartInterruptibleAsync("demo", "--urls", "http://127.0.0.1:0", "--days", "7");
        var model = System.Text.RegularExpressions.Regex.Match(demo.Output, @"Model: (?<path>\S+)").Groups["path"].Value;
        var folder = Path.GetDirectoryName(model)!;
        Assert.True(File.Exists(Path.Combine(folder, "throughline.db")), demo.Output);

        var (exitCode, error) = await demo.StopWithSignalAsync(signal, TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 0, $"exit {exitCode}: {error}");
        Assert.StartsWith(Path.GetTempPath().TrimEnd('/'), folder, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder), $"{folder} is still there");
    }
}
