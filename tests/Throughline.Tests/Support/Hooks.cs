using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Throughline.Model;

namespace Throughline.Tests.Support;

/// <summary>A model whose tools cover every adapter, and a client that signs deliveries the way each tool does.</summary>
public static class Hooks
{
    public const string Secret = "It's a Secret to Everybody";
    public const string Token = "hook-token-7f3a";

    public const string ModelYaml = """
        version: 1
        organization: Acme
        teams:
          - id: web
          - id: ops
        environments:
          - id: staging
          - id: production
            production: true
        tools:
          - id: github
            kind: github
            secret: ${GH_SECRET}
          - id: gitlab
            kind: gitlab
            token: ${GL_TOKEN}
          - id: argocd
            kind: argocd
            token: ${ARGO_TOKEN}
          - id: jenkins
            kind: jenkins
            token: ${JENKINS_TOKEN}
          - id: pagerduty
            kind: pagerduty
            secret: ${PD_SECRET}
          - id: opsgenie
            kind: opsgenie
            token: ${OPSGENIE_TOKEN}
          - id: alertmanager
            kind: alertmanager
            token: ${AM_TOKEN}
            labels:
              service: app
              environment: env
          - id: jira
            kind: jira
            token: ${JIRA_TOKEN}
          - id: unconfigured
            kind: github
            secret: ${UNSET_SECRET}
        services:
          - id: hello-world
            owner: web
            repositories: [Codertocat/Hello-World]
          - id: deploy-test
            owner: web
            repositories: [vedant8600317/test]
        responsibilities:
          deploy-production: ops
        flow:
          - id: review
            owner: service-owner
            tool: github
            ends: change.merged
        """;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The model above, its secrets read from a fake environment where UNSET_SECRET is not set.</summary>
    public static OperatingModel Model()
    {
        var result = OperatingModelLoader.LoadText(ModelYaml, "hooks.yaml", new ModelLoadOptions
        {
            GetEnvironmentVariable = name => name == "UNSET_SECRET" ? null : name.EndsWith("SECRET", StringComparison.Ordinal) ? Secret : Token,
        });
        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        return result.Model!;
    }

    public static string Sign(byte[] body) => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body));

    /// <summary>Sends <paramref name="body"/> to <c>/hooks/{tool}</c> with the proof its kind uses.</summary>
    public static HttpRequestMessage Request(string tool, byte[] body, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/hooks/{tool}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        switch (tool)
        {
            case "github" or "unconfigured":
                request.Headers.Add("X-Hub-Signature-256", "sha256=" + Sign(body));
                break;
            case "pagerduty":
                request.Headers.Add("X-PagerDuty-Signature", "v1=" + Sign(body));
                break;
            case "gitlab":
                request.Headers.Add("X-Gitlab-Token", Token);
                break;
            default:
                request.Headers.Authorization = new("Bearer", Token);
                break;
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public static async Task<JsonElement> PostAsync(RunningServer server, string tool, byte[] body, params (string Name, string Value)[] headers)
    {
        using var request = Request(tool, body, headers);
        using var response = await server.Client.SendAsync(request, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"expected 202 from /hooks/{tool}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A GitHub fixture (TestData/hooks/github/EVENT/FILE) sent as GitHub sends it, with a delivery id made from its name.</summary>
    public static Task<JsonElement> PostGitHubAsync(RunningServer server, string fixture, string? deliveryId = null)
    {
        var gitHubEvent = fixture.Split('/')[0];
        return PostAsync(server, "github", File.ReadAllBytes(Some.TestDataPath("hooks/github/" + fixture)),
            ("X-GitHub-Event", gitHubEvent), ("X-GitHub-Delivery", deliveryId ?? "gh-" + fixture.Replace('/', '-')));
    }

    public static byte[] Fixture(string relativePath) => File.ReadAllBytes(Some.TestDataPath("hooks/" + relativePath));

    public static IReadOnlyList<string> Fixtures(string kind) =>
        Directory.GetFiles(Some.TestDataPath("hooks/" + kind), "*.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Some.TestDataPath("hooks/" + kind), f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal).ToList();

    /// <summary>Every stored event, newest first, as GET /api/events lists them.</summary>
    public static async Task<(long Total, IReadOnlyList<JsonElement> Items)> EventsAsync(RunningServer server)
    {
        var list = await server.Client.GetFromJsonAsync<JsonElement>("/api/events?limit=1000", Cancel);
        return (list.GetProperty("total").GetInt64(), list.GetProperty("items").EnumerateArray().Select(e => e.Clone()).ToList());
    }

    /// <summary>The translated events of one delivery, in the order written, from GET /api/events.</summary>
    public static async Task<IReadOnlyList<JsonElement>> EventsOfAsync(RunningServer server, string tool, string deliveryId)
    {
        var (_, items) = await EventsAsync(server);
        return items.Where(i => i.GetProperty("source").GetString() == "/hooks/" + tool && (i.GetProperty("id").GetString() == deliveryId || i.GetProperty("id").GetString()!.StartsWith(deliveryId + "/", StringComparison.Ordinal)))
            .OrderBy(i => i.GetProperty("sequence").GetInt64()).ToList();
    }

    public static async Task<JsonElement> SingleEventAsync(RunningServer server, string tool, string deliveryId) =>
        Assert.Single(await EventsOfAsync(server, tool, deliveryId));

    public static string? Text(this JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Null => null,
            _ => element.GetRawText(),
        };
    }
}
