using System.Net;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Throughline.Access;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

/// <summary>Every endpoint the server maps × every kind of caller → the status access control promises, and no data in a refusal.</summary>
/// <remarks>The endpoints are read from the running server's routing table, so an endpoint added later is in the matrix at once.</remarks>
public sealed class AccessMatrixTests
{
    private const string Canary = "canary-checkout-7"; // stored before the matrix; a refusal that shows it leaks data

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private sealed record Probe(string Method, string Path, string Policy);

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task EveryEndpoint_EveryCaller_TheExpectedStatus(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        // The matrix sends hundreds of refused credentials from one address: throttling has its own test.
        await using var server = await RunningServer.StartAsync(
            database.Database, model: Simulated.Model(new Throughline.Simulation.SimulationOptions { Seed = 1, Days = 3 }),
            access: new Throughline.Web.Auth.AccessSettings(FailuresPerMinute: 100_000));
        using (var seed = await server.Client.PostAsync("/api/events", Event(Canary, "/argocd/prod"), Cancel))
        {
            Assert.Equal(HttpStatusCode.Accepted, seed.StatusCode);
        }

        var expired = await server.CreateTokenAsync(Role.Admin, lifetime: TimeSpan.FromMilliseconds(1), name: "expired");
        var revoked = await server.CreateTokenAsync(Role.Admin, name: "revoked");
        await using (var store = await database.OpenStoreAsync())
        {
            await store.RevokeTokenAsync(ApiTokens.IdOf(revoked)!, DateTimeOffset.UtcNow, Cancel);
        }

        var callers = new (string Name, string? Token)[]
        {
            ("no token", null),
            ("not ours", "ghp_16C7e42F292c6912E7710c838347Ae178B4a"),
            ("unknown", "tl_abcdefgh_" + new string('A', 43)),
            ("expired", expired),
            ("revoked", revoked),
            ("viewer", await server.CreateTokenAsync(Role.Viewer)),
            ("ingest /argocd", await server.CreateTokenAsync(Role.Ingest, ["/argocd"])),
            ("editor", await server.CreateTokenAsync(Role.Editor)),
            ("admin", server.AdminToken),
        };
        var probes = Probes(server);
        Assert.Contains(probes, p => p.Policy == "ingest");
        Assert.Contains(probes, p => p.Policy == "edit");
        Assert.Contains(probes, p => p.Policy == "admin");
        Assert.True(probes.Count(p => p.Policy == "read") >= 15, string.Join("\n", probes));

        var wrong = new List<string>();
        foreach (var (name, token) in callers)
        {
            using var client = server.ClientWith(token);
            foreach (var probe in probes.Where(p => p.Policy != "open"))
            {
                using var request = new HttpRequestMessage(new HttpMethod(probe.Method), probe.Path) { Content = BodyFor(probe) };
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
                timeout.CancelAfter(TimeSpan.FromSeconds(20));
                HttpResponseMessage? answer = null;
                try
                {
                    // Headers first: /api/board/events streams for as long as the client listens.
                    answer = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                }
                catch (OperationCanceledException) when (!Cancel.IsCancellationRequested)
                {
                    wrong.Add($"{name} {probe.Method} {probe.Path}: no answer within 20 s");
                    continue;
                }

                using var response = answer;
                var body = response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? "" : await response.Content.ReadAsStringAsync(Cancel);
                var expected = Expected(name, probe.Policy);
                var status = (int)response.StatusCode;
                var ok = expected switch
                {
                    401 or 403 => status == expected && !body.Contains(Canary, StringComparison.Ordinal) && (token is null || !body.Contains(token, StringComparison.Ordinal)),
                    _ => status is not (401 or 403) && status < 500,
                };
                if (!ok)
                {
                    wrong.Add($"{name} {probe.Method} {probe.Path} ({probe.Policy}): expected {(expected == 0 ? "allowed" : expected)}, got {status} {body[..Math.Min(body.Length, 200)]}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        using var anonymous = server.ClientWith(null);
        Assert.Equal( // the only ways in without a token: probes, signing in and out, the icon, and webhooks (their own signatures)
            ["/favicon.ico", "/healthz", "/healthz/live", "/hooks/argocd", "/sign-in", "/sign-in", "/sign-in/provider", "/sign-out"],
            probes.Where(p => p.Policy == "open").Select(p => p.Path).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/sign-in", Cancel)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task IngestToken_EventsOutsideItsSources_RefusedWholeBatchAndAudited(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database);
        using var argocd = server.ClientWith(await server.CreateTokenAsync(Role.Ingest, ["/argocd"], name: "argo cd"));

        using var own = await argocd.PostAsync("/api/events", Event("a-1", "/argocd/prod"), Cancel);
        using var jenkins = await argocd.PostAsync("/api/events", Event("j-1", "/jenkins"), Cancel);
        using var lookalike = await argocd.PostAsync("/api/events", Event("e-1", "/argocd-evil"), Cancel);
        using var mixed = await argocd.PostAsync("/api/events", new StringContent(
            $"[{Some.CdEvent(id: "a-2", source: "/argocd")},{Some.CdEvent(id: "j-2", source: "/jenkins")}]", Encoding.UTF8, "application/json"), Cancel);

        Assert.Equal(HttpStatusCode.Accepted, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, jenkins.StatusCode);
        Assert.Contains("'/jenkins'", await jenkins.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, lookalike.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, mixed.StatusCode);
        await using var store = await database.OpenStoreAsync();
        Assert.Equal(1, await store.CountAsync(Cancel)); // all or nothing: a-2 was not stored either
        var audit = await store.ListAuditAsync(long.MaxValue, 10, Cancel);
        var refusal = Assert.Single(audit, e => e.Entry.Action == AuditActions.RequestRefused);
        Assert.Contains("(argo cd)", refusal.Entry.Actor, StringComparison.Ordinal);
        Assert.Contains("/jenkins", refusal.Entry.Outcome, StringComparison.Ordinal);
        Assert.Equal("POST /api/events", refusal.Entry.What);
    }

    [Fact]
    public async Task IngestToken_CloudEventsEnvelopeClaimingAnotherSource_Refused()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database);
        using var argocd = server.ClientWith(await server.CreateTokenAsync(Role.Ingest, ["/argocd"]));
        using var binary = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = Event("b-1", "/argocd/prod") };
        foreach (var (name, value) in new[] { ("ce-specversion", "1.0"), ("ce-id", "b-1"), ("ce-source", "/jenkins"), ("ce-type", "dev.cdevents.service.deployed.0.2.0") })
        {
            binary.Headers.Add(name, value);
        }

        using var answer = await argocd.SendAsync(binary, Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.Contains("'/jenkins'", await answer.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        await using var store = await database.OpenStoreAsync();
        Assert.Equal(0, await store.CountAsync(Cancel));
    }

    [Fact]
    public async Task Hook_WrongCredentials_AuditedAndThrottledLikeTokens()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        // The documented example model, its hook tokens set: a wrong one is a guess, not a tool left unconfigured.
        var model = Throughline.Model.OperatingModelLoader.LoadFile(
            RepositoryFiles.PathOf("docs/examples/throughline.yaml"), new Throughline.Model.ModelLoadOptions { GetEnvironmentVariable = _ => "change-me" });
        await using var server = await RunningServer.StartAsync(database.Database, model: model.Model);
        using var guesser = server.ClientWith(null);
        const string tool = "argocd";

        var statuses = new List<int>();
        for (var attempt = 0; attempt < 11; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/hooks/{tool}") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", $"guess-{attempt}");
            statuses.Add((int)(await guesser.SendAsync(request, Cancel)).StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(401, 10).Append(429), statuses);
        await using var store = await database.OpenStoreAsync();
        Assert.Contains(await store.ListAuditAsync(long.MaxValue, 10, Cancel), e => e.Entry.Actor == $"webhook sender of {tool}" && e.Entry.What == $"POST /hooks/{tool}");
    }

    /// <summary>0 means allowed (any status but 401, 403 or a 5xx).</summary>
    private static int Expected(string caller, string policy) => (caller, policy) switch
    {
        (_, "open") => 0,
        ("no token", _) => 401,
        ("not ours" or "unknown" or "expired" or "revoked", _) => 401,
        ("admin", _) => 0,
        ("viewer", "read") => 0,
        ("editor", "read" or "edit") => 0,
        ("ingest /argocd", "ingest") => 0,
        _ => 403,
    };

    private static List<Probe> Probes(RunningServer server)
    {
        var endpoints = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        var probes = new List<Probe>();
        foreach (var endpoint in endpoints)
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var open = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policy = open ? "open" : endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null) ?? "read";
            var path = "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => parameter.Name switch
                {
                    "tool" => "argocd",
                    "sequence" or "n" => "1",
                    _ => "some-id",
                },
                _ => "",
            }))));
            probes.AddRange(methods.Where(m => m is not "HEAD" and not "OPTIONS").Select(method => new Probe(method, path, policy)));
        }

        return probes;
    }

    private static HttpContent? BodyFor(Probe probe) => (probe.Method, probe.Path) switch
    {
        ("POST", "/api/events") => Event("probe", "/argocd/prod"),
        ("PUT", "/api/model") => new StringContent("version: 1\norganization: Matrix\n", Encoding.UTF8, "application/yaml"),
        ("POST", _) => new StringContent("{}", Encoding.UTF8, "application/json"),
        _ => null,
    };

    private static StringContent Event(string id, string source) => new(Some.CdEvent(id: id, source: source), Encoding.UTF8, "application/json");
}
