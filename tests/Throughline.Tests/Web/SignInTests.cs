using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Throughline.Access;
using Throughline.Tests.Support;
using Throughline.Web.Auth;

namespace Throughline.Tests.Web;

/// <summary>Sessions, read-open, throttling and the audit log's throttle, over real HTTP.</summary>
public sealed partial class SignInTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignInLink_SetsAnHttpOnlySameSiteSessionAndGoesHome()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database);
        var viewer = await server.CreateTokenAsync(Role.Viewer, name: "wall");
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server.Address };

        using var link = await browser.GetAsync($"/sign-in?token={viewer}&return=%2Fvalue-stream", Cancel);
        Assert.False(link.Headers.Contains("Set-Cookie") && link.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("throughline.session=", StringComparison.Ordinal)),
            "a link must not sign in by itself (login CSRF)");
        using var signIn = await SignInForm.SubmitAsync(browser, new Uri(server.Address, $"/sign-in?token={viewer}&return=%2Fvalue-stream").ToString());

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/value-stream", signIn.Headers.Location!.OriginalString);
        var session = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("throughline.session=", StringComparison.Ordinal));
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", session, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", session.Replace("samesite", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase); // plain HTTP here
        Assert.DoesNotContain(viewer[12..], session, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/board", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/api/audit", Cancel)).StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("/\t/evil.example/")] // a browser drops the tab and goes to //evil.example
    [InlineData("/\r\n/x")]
    public async Task SignInLink_ReturnElsewhere_GoesHomeInstead(string elsewhere)
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Address };

        using var signIn = await SignInForm.SubmitAsync(browser, new Uri(server.Address, $"/sign-in?token={server.AdminToken}&return={Uri.EscapeDataString(elsewhere)}").ToString());

        Assert.Equal("/", signIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Page_WithoutSession_SentToSignInAndBack()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Address };
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        using var page = await browser.GetAsync("/value-stream?days=30", Cancel);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/sign-in?return=%2Fvalue-stream%3Fdays%3D30", page.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignInForm_WithoutItsAntiforgeryToken_Refused()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database);
        using var forger = server.ClientWith(null);

        using var forged = await forger.PostAsync("/sign-in", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = server.AdminToken }), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.False(forged.Headers.TryGetValues("Set-Cookie", out var set) && set.Any(c => c.StartsWith("throughline.session=", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("/sign-in")]
    [InlineData("/sign-out")]
    public async Task FormEndpoints_BodyThatIsNoForm_400Or302NotA500(string path)
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database);
        using var anyone = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Address };

        foreach (var body in new HttpContent[]
        {
            new StringContent("garbage", Encoding.UTF8, "multipart/form-data"),
            new StringContent("{}", Encoding.UTF8, "application/json"),
            new StringContent("token=%", Encoding.UTF8, "application/x-www-form-urlencoded"),
        })
        {
            using var answer = await anyone.PostAsync(path, body, Cancel);
            Assert.True(answer.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Redirect, $"{path}: {(int)answer.StatusCode}");
        }
    }

    [Fact]
    public async Task BehindATrustedProxy_SessionCookieSecureAndRefusalsCountedPerRealCaller()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database, access: new AccessSettings(TrustedProxies: [IPAddress.Loopback]));
        // The proxy speaks HTTPS to the browser and HTTP to the server; cookies are passed by hand, as the proxy passes them
        // (.NET's cookie container would not send a Secure cookie over plain HTTP).
        using var proxy = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server.Address };
        proxy.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        proxy.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        using var form = await proxy.GetAsync($"/sign-in?token={server.AdminToken}", Cancel);
        var formCookie = form.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("throughline.form=", StringComparison.Ordinal));
        var formToken = System.Text.RegularExpressions.Regex.Match(await form.Content.ReadAsStringAsync(Cancel), "name=\"__form\" value=\"(?<v>[^\"]+)\"").Groups["v"].Value;
        using var post = new HttpRequestMessage(HttpMethod.Post, "/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__form"] = WebUtility.HtmlDecode(formToken), ["token"] = server.AdminToken, ["return"] = "/" }),
        };
        post.Headers.Add("Cookie", formCookie.Split(';')[0]);

        using var signIn = await proxy.SendAsync(post, Cancel);
        using var refused = await proxy.GetAsync("/api/board", Cancel);

        Assert.Contains("; secure", formCookie, StringComparison.OrdinalIgnoreCase);
        Assert.True(signIn.Headers.Contains("Set-Cookie"), $"{(int)signIn.StatusCode} {await signIn.Content.ReadAsStringAsync(Cancel)}");
        var session = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("throughline.session=", StringComparison.Ordinal));
        Assert.Contains("; secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        await using var store = await database.OpenStoreAsync();
        Assert.Contains(await store.ListAuditAsync(long.MaxValue, 10, Cancel), e => e.Entry.From == "203.0.113.7");
    }

    [Fact]
    public async Task PutModel_EditorChangingAToolsCredential_403AdminMay()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartWithModelFileAsync(
            database.Database, ModelReloadTests.ModelFileIn(database, Throughline.Tests.Model.ModelText.Minimal));
        var yaml = Throughline.Tests.Model.ModelText.Minimal.Replace("${GH_SECRET}", "${HOME}", StringComparison.Ordinal); // a value the editor can guess
        Assert.NotEqual(Throughline.Tests.Model.ModelText.Minimal, yaml);
        using var editor = server.ClientWith(await server.CreateTokenAsync(Role.Editor, name: "release manager"));

        using var refused = await editor.PutAsync("/api/model", new StringContent(yaml, Encoding.UTF8, "application/yaml"), Cancel);
        using var allowed = await server.Client.PutAsync("/api/model", new StringContent(yaml, Encoding.UTF8, "application/yaml"), Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("tool 'github'", await refused.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task ReadOpen_AnyoneReadsNobodyWrites()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database, access: new AccessSettings(ReadOpen: true));
        using var anyone = server.ClientWith(null);

        Assert.Equal(HttpStatusCode.OK, (await anyone.GetAsync("/api/board", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anyone.GetAsync("/", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anyone.PostAsync("/api/events", new StringContent(Some.CdEvent(), Encoding.UTF8, "application/json"), Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anyone.GetAsync("/api/audit", Cancel)).StatusCode);
        using var badToken = server.ClientWith("tl_abcdefgh_" + new string('A', 43));
        Assert.Equal(HttpStatusCode.Unauthorized, (await badToken.GetAsync("/api/board", Cancel)).StatusCode); // a wrong token is not "anonymous"
    }

    [Fact]
    public async Task RefusedCredentials_PastTheLimit_429WithRetryAfterAndOneAuditLinePerMinute()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database);
        using var guesser = server.ClientWith("tl_abcdefgh_" + new string('B', 43));

        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 12; attempt++)
        {
            using var answer = await guesser.GetAsync("/api/board", Cancel);
            statuses.Add(answer.StatusCode);
            if (answer.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal(TimeSpan.FromSeconds(60), answer.Headers.RetryAfter!.Delta);
            }
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 10).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 2)), statuses);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/api/board", Cancel)).StatusCode); // a good token still gets in
        await using var store = await database.OpenStoreAsync();
        var refused = (await store.ListAuditAsync(long.MaxValue, 100, Cancel)).Where(e => e.Entry.Action == AuditActions.RequestRefused).ToList();
        Assert.Single(refused, e => e.Entry.Actor == "unknown token"); // the other 11 are held back and counted
        Assert.Contains("is not known", refused.Single(e => e.Entry.Actor == "unknown token").Entry.Outcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeldBackRefusals_WrittenAsOneCountedLineWhenTheServerStops()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using (var server = await RunningServer.StartAsync(database.Database))
        {
            using var nobody = server.ClientWith(null);
            for (var attempt = 0; attempt < 5; attempt++)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.GetAsync("/api/board", Cancel)).StatusCode);
            }
        }

        await using var store = await database.OpenStoreAsync();
        var lines = await store.ListAuditAsync(long.MaxValue, 100, Cancel);
        Assert.Single(lines, e => e.Entry.Action == AuditActions.RequestRefused && e.Entry.Actor == "anonymous");
        var held = Assert.Single(lines, e => e.Entry.Action == AuditActions.RefusalsHeldBack);
        Assert.Equal("4 more refused requests", held.Entry.What);
    }

    [Fact]
    public async Task PutModel_Viewer403_EditorReloadsAndTheAuditNamesThem()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartWithModelFileAsync(
            database.Database, ModelReloadTests.ModelFileIn(database, Throughline.Tests.Model.ModelText.Minimal));
        var yaml = Throughline.Tests.Model.ModelText.Minimal.Replace("Acme", "Acme Retail", StringComparison.Ordinal);
        using var viewer = server.ClientWith(await server.CreateTokenAsync(Role.Viewer));
        using var editor = server.ClientWith(await server.CreateTokenAsync(Role.Editor, name: "release manager"));

        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PutAsync("/api/model", new StringContent(yaml, Encoding.UTF8, "application/yaml"), Cancel)).StatusCode);
        using var put = await editor.PutAsync("/api/model", new StringContent(yaml, Encoding.UTF8, "application/yaml"), Cancel);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var audit = await (await server.Client.GetAsync("/api/audit", Cancel)).Content.ReadAsStringAsync(Cancel);
        Assert.Matches(@"""actor"":""token tl_\w{8} \(release manager\)"",""action"":""model.reloaded""", audit);
    }

    [Fact]
    public async Task NoSecretInAnyAnswerPageOrLog()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var log = new StringBuilder();
        await using var server = await RunningServer.StartAsync(database.Database, builder =>
        {
            builder.Logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Trace);
            builder.Logging.AddProvider(new CapturingLogger(log));
        });
        var secrets = new[] { server.AdminToken, await server.CreateTokenAsync(Role.Viewer), await server.CreateTokenAsync(Role.Ingest, ["/argocd"]) };
        using var asIngest = server.ClientWith(secrets[2]);
        await asIngest.PostAsync("/api/events", new StringContent(Some.CdEvent(source: "/jenkins"), Encoding.UTF8, "application/json"), Cancel);
        using var asViewer = server.ClientWith(secrets[1]);
        await asViewer.GetAsync($"/sign-in?token={secrets[1]}", Cancel);
        var answers = new StringBuilder();
        foreach (var path in (string[])["/api/audit", "/audit", "/", "/api/model", "/metrics", "/healthz", "/openapi/v1.json"])
        {
            answers.Append(await (await server.Client.GetAsync(path, Cancel)).Content.ReadAsStringAsync(Cancel));
        }

        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret[12..], answers.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(secret[12..], log.ToString(), StringComparison.Ordinal);
        }

        Assert.Contains("request.refused", answers.ToString(), StringComparison.Ordinal); // the audit was read, so the test looked at something
        Assert.True(log.Length > 0);
    }

    private sealed class CapturingLogger(StringBuilder text) : Microsoft.Extensions.Logging.ILoggerProvider, Microsoft.Extensions.Logging.ILogger
    {
        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (text)
            {
                text.AppendLine(formatter(state, exception)).AppendLine(exception?.ToString());
            }
        }

        public void Dispose()
        {
        }
    }
}
