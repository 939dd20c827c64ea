using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Throughline.Model;
using Throughline.Tests.Support;
using Throughline.Web;

namespace Throughline.Tests.Web;

public sealed class ModelApiTests
{
    private const string Webhook = "https://argocd.internal.example/api/v1/applications/{service}/rollback";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetModel_DocumentedExample_ShapedLikeTheFileWithoutASecret()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var yaml = File.ReadAllText(RepositoryFiles.PathOf("docs/examples/throughline.yaml"))
            .Replace(Webhook, "https://bot:hunter2@argocd.internal.example/api/v1/applications/{service}/rollback?token=abc123&dry", StringComparison.Ordinal);
        var loaded = OperatingModelLoader.LoadText(yaml, "throughline.yaml", new ModelLoadOptions
        {
            // Every variable set but one, each to a value the answer must not contain.
            GetEnvironmentVariable = name => name == "JIRA_WEBHOOK_TOKEN" ? null : "value-of-" + name,
        });
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Problems));
        await using var server = await RunningServer.StartAsync(database.Database, model: loaded.Model, modelWarnings: loaded.Problems);

        using var response = await server.Client.GetAsync("/api/model", Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        var model = JsonDocument.Parse(text).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("value-of-", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("abc123", text, StringComparison.Ordinal);
        Assert.Equal("Acme Retail", model.GetProperty("organization").GetString());
        Assert.Equal("stream-aligned", model.GetProperty("teams")[0].GetProperty("type").GetString());
        Assert.Equal("github:alice", model.GetProperty("people")[0].GetProperty("identities")[0].GetString());
        var tools = model.GetProperty("tools").EnumerateArray().ToDictionary(t => t.GetProperty("id").GetString()!);
        Assert.Equal("""{"variable":"GITHUB_WEBHOOK_SECRET","set":true}""", tools["github"].GetProperty("secret").GetRawText());
        Assert.Equal("""{"variable":"JIRA_WEBHOOK_TOKEN","set":false}""", tools["jira"].GetProperty("token").GetRawText());
        Assert.Equal("argocd", tools["argocd"].GetProperty("kind").GetString());
        var review = model.GetProperty("flow")[0];
        Assert.Equal(("service-owner", "change.reviewed", "change.merged"),
            (review.GetProperty("owner").GetString(), review.GetProperty("starts").GetString(), review.GetProperty("ends").GetString()));
        var health = model.GetProperty("health");
        Assert.Equal((24.0, 0.5), (health.GetProperty("attributionWindowHours").GetDouble(), health.GetProperty("verificationWindowHours").GetDouble()));
        var action = health.GetProperty("rollback").GetProperty("action");
        Assert.Equal("https://redacted@argocd.internal.example/api/v1/applications/{service}/rollback?token=redacted&dry", action.GetProperty("webhook").GetString());
        Assert.Equal("ROLLBACK_HOOK_SECRET", action.GetProperty("secret").GetProperty("variable").GetString());
        Assert.Equal((10.0, 3, "argocd.internal.example"),
            (action.GetProperty("timeoutSeconds").GetDouble(), action.GetProperty("retries").GetInt32(), action.GetProperty("allowHosts")[0].GetString()));
        var rule = health.GetProperty("signals").GetProperty("rules")[0];
        Assert.Equal(("error-rate", "> 0.02", "inconclusive"), (rule.GetProperty("id").GetString(), rule.GetProperty("failIf").GetString(), rule.GetProperty("noData").GetString()));
        Assert.Equal("slack", health.GetProperty("rollback").GetProperty("notify").GetProperty("format").GetString());
        Assert.DoesNotContain(model.GetProperty("warnings").EnumerateArray(), w => w.GetProperty("message").GetString()!.StartsWith("'health.", StringComparison.Ordinal));
        var thresholds = model.GetProperty("thresholds").EnumerateArray().ToDictionary(t => t.GetProperty("sign").GetString()!);
        Assert.Equal(7, thresholds.Count);
        Assert.Equal("""{"sign":"slow-onboarding","value":14,"unit":"days","default":false}""", thresholds["slow-onboarding"].GetRawText()); // 14d in the file
        Assert.Equal("""{"sign":"recurring-causes","value":0,"unit":"count","default":false}""", thresholds["recurring-causes"].GetRawText());
    }

    [Fact]
    public async Task GetModel_NoModelLoaded_404ProblemSayingHowToLoadOne()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database);

        using var response = await server.Client.GetAsync("/api/model", Cancel);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:throughline:problem:no-model", problem.GetProperty("type").GetString());
        Assert.Contains("serve --model", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://deploy.example/{service}/rollback", "https://deploy.example/{service}/rollback")]
    [InlineData("https://user:pass@deploy.example/x", "https://redacted@deploy.example/x")]
    [InlineData("https://deploy.example/x?token=abc&a=1#frag", "https://deploy.example/x?token=redacted&a=redacted#frag")]
    [InlineData("http://deploy.example:8080?key=v@lue", "http://deploy.example:8080?key=redacted")]
    [InlineData("https://a@b@deploy.example/", "https://redacted@deploy.example/")]
    public void Redact_UserInformationAndQueryValues_AreReplaced(string url, string expected)
    {
        Assert.Equal(expected, UrlRedaction.Redact(url));
    }
}
