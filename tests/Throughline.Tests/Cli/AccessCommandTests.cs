using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Throughline.Tests.Support;

namespace Throughline.Tests.Cli;

/// <summary>Access control from a clean start, as an operator meets it: <c>serve</c>, <c>token</c> and <c>audit</c> on one database.</summary>
public sealed class AccessCommandTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Serve_EmptyDatabase_AdminTokenOnceAndEveryRefusalAudited(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await ServerProcess.StartAsync(database.Database);
        Assert.Matches(@"First start: admin token tl_\w{8}_[\w-]{43}", server.Output);
        using var nobody = new HttpClient { BaseAddress = server.Address };

        using var anonymous = await nobody.GetAsync("/api/board", Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);

        var viewer = await CreateAsync(database, "--role", "viewer", "--name", "wall display");
        using var asViewer = ClientOf(server, viewer);
        Assert.Equal(HttpStatusCode.OK, (await asViewer.GetAsync("/api/board", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await asViewer.PostAsync("/api/events", Event("v-1", "/argocd"), Cancel)).StatusCode);

        var argocd = await CreateAsync(database, "--role", "ingest", "--source", "/argocd", "--name", "argo cd", "--expires", "90d");
        using var asArgoCd = ClientOf(server, argocd);
        Assert.Equal(HttpStatusCode.Forbidden, (await asArgoCd.PostAsync("/api/events", Event("j-1", "/jenkins"), Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await asArgoCd.PostAsync("/api/events", Event("a-1", "/argocd/prod"), Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await asArgoCd.GetAsync("/api/board", Cancel)).StatusCode);

        var audit = await CliRun.RunAsync("audit", "--db", database.Database);
        Assert.True(audit.ExitCode == 0, audit.Error);
        var lines = audit.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("\tanonymous\trequest.refused\tGET /api/board\t", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("(wall display)\trequest.refused\tPOST /api/events\t", StringComparison.Ordinal) && l.Contains("may not ingest", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("(argo cd)\trequest.refused\tPOST /api/events\t", StringComparison.Ordinal) && l.Contains("'/jenkins'", StringComparison.Ordinal));
        Assert.Equal(2, lines.Count(l => l.Contains("\tcli\ttoken.created\t", StringComparison.Ordinal)));
        Assert.DoesNotContain(viewer, audit.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(argocd[12..], audit.Output, StringComparison.Ordinal);

        var list = await CliRun.RunAsync("token", "list", "--db", database.Database);
        Assert.Contains("first admin", list.Output, StringComparison.Ordinal);
        Assert.Contains("/argocd", list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(argocd[12..], list.Output, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TokenRevoke_TheRunningServerRefusesItWithinSeconds(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await ServerProcess.StartAsync(database.Database);
        var viewer = await CreateAsync(database, "--role", "viewer");
        using var asViewer = ClientOf(server, viewer);
        Assert.Equal(HttpStatusCode.OK, (await asViewer.GetAsync("/api/board", Cancel)).StatusCode);

        var revoke = await CliRun.RunAsync("token", "revoke", "--db", database.Database, viewer[..11]);

        Assert.True(revoke.ExitCode == 0, revoke.Error);
        await Eventually.HoldsAsync("the revoked token refused", async c => (await asViewer.GetAsync("/api/board", c)).StatusCode,
            status => status == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(15));
        var refusal = await (await asViewer.GetAsync("/api/board", Cancel)).Content.ReadAsStringAsync(Cancel);
        Assert.Contains("was revoked", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithASignInProvider_OffersItOnTheSignInPage()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await ServerProcess.StartAsync(
            "serve", "--db", database.Database, "--urls", "http://127.0.0.1:0", "--oidc-authority", "http://127.0.0.1:9/realms/eng", "--oidc-client-id", "throughline");
        using var anyone = new HttpClient { BaseAddress = server.Address };

        var page = await anyone.GetStringAsync("/sign-in", Cancel);

        Assert.Contains("id=\"sign-in-provider\"", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("https://login.example.com")] // fine, but no client id
    [InlineData("http://login.example.com/")] // plain HTTP to another machine
    public async Task Serve_SignInProviderHalfGivenOrUnsafe_Exit1SaysWhy(string authority)
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        string[] clientId = authority.StartsWith("https://", StringComparison.Ordinal) ? [] : ["--oidc-client-id", "x"];

        var run = await CliRun.RunAsync(["serve", "--db", database.Database, "--urls", "http://127.0.0.1:0", "--oidc-authority", authority, .. clientId]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--oidc-authority", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_RestartedOnItsDatabase_NoSecondAdminToken()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using (var first = await ServerProcess.StartAsync(database.Database))
        {
            Assert.Contains("First start: admin token", first.Output, StringComparison.Ordinal);
        }

        await using var second = await ServerProcess.StartAsync(database.Database);

        Assert.DoesNotContain("admin token", second.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--role", "ingest" }, "needs at least one --source")]
    [InlineData(new[] { "--role", "viewer", "--source", "/argocd" }, "limits only ingest tokens")]
    [InlineData(new[] { "--role", "ingest", "--source", "argocd" }, "neither a path starting with '/'")]
    [InlineData(new[] { "--role", "admin", "--expires", "soon" }, "is not a duration")]
    public async Task TokenCreate_OptionsThatMakeNoSense_Exit1NamesTheFix(string[] options, string says)
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);

        var run = await CliRun.RunAsync(["token", "create", "--db", database.Database, .. options]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(says, run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    private static async Task<string> CreateAsync(TestDatabase database, params string[] options)
    {
        var run = await CliRun.RunAsync(["token", "create", "--db", database.Database, .. options]);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("shown once", run.Error, StringComparison.Ordinal);
        return run.Output.Trim();
    }

    private static HttpClient ClientOf(ServerProcess server, string token)
    {
        var client = new HttpClient { BaseAddress = server.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static StringContent Event(string id, string source) => new(Some.CdEvent(id: id, source: source), Encoding.UTF8, "application/json");
}
