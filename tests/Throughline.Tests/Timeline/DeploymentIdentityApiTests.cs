using System.Net;
using System.Text.Json;
using Throughline.Tests.Support;

namespace Throughline.Tests.Timeline;

/// <summary>Two Argo CD instances that both send the event id "checkout": stored, correlated and shown as two deployments.</summary>
public sealed class DeploymentIdentityApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string Event(string source, string id, string type, DateTimeOffset at, string subject, string content) => $$"""
        {"context": {"specversion": "0.5.0", "id": "{{id}}", "source": "{{source}}", "type": "dev.cdevents.{{type}}", "timestamp": "{{at:O}}"}, "subject": {"id": "{{subject}}", "content": {{content}} } }
        """;

    private static string History(DateTimeOffset start)
    {
        DateTimeOffset H(double hours) => start.AddHours(hours);
        var repository = """{"repository": {"id": "acme/checkout"}}""";
        string Production(string artifact) => $$"""{"environment": {"id": "production"}, "artifactId": "{{artifact}}"}""";
        return string.Join('\n', [
            Event("/argocd/eu", "bootstrap", "service.deployed.0.3.0", H(-1), "checkout", Production("a0")),
            .. new[] { 1, 2 }.SelectMany(n => new[]
            {
                Event("/github", $"created-{n}", "change.created.0.4.0", H(n), $"acme/checkout#{n}", repository),
                Event("/github", $"merged-{n}", "change.merged.0.3.0", H(n + 0.5), $"acme/checkout#{n}", repository),
                Event("/ci", $"packaged-{n}", "artifact.packaged.0.3.0", H(n + 0.7), $"a{n}", "{\"change\": {\"id\": \"acme/checkout#" + n + "\"}}"),
            }),
            Event("/argocd/eu", "checkout", "service.deployed.0.3.0", H(4), "checkout", Production("a1")),
            Event("/argocd/us", "checkout", "service.deployed.0.3.0", H(7), "checkout", Production("a2")),
            Event("/pagerduty", "inc-1", "incident.detected.0.3.0", H(6), "INC-1",
                """{"service": {"id": "checkout"}, "environment": {"id": "production"}, "artifactId": "a1"}"""),
        ]);
    }

    private static async Task<string> PageAsync(RunningServer server, string path)
    {
        using var response = await server.Client.GetAsync(path, Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync(Cancel);
    }

    private static async Task<JsonElement> ProductionDeliveryAsync(RunningServer server, string change) =>
        (await ChangesApiTests.ChangeAsync(server, change)).GetProperty("deployments").GetProperty("production").EnumerateArray().Single();

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TwoSourcesReusingOneEventId_TwoDeployments_TheIncidentOnTheRightOne(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database, model: Facts.Model());
        await ChangesApiTests.PostAsync(server.Client, History(DateTimeOffset.UtcNow.AddDays(-2)));

        var first = await ProductionDeliveryAsync(server, "acme/checkout#1");
        var second = await ProductionDeliveryAsync(server, "acme/checkout#2");
        var eu = await PageAsync(server, "/deployments/checkout?source=%2Fargocd%2Feu");
        var us = await PageAsync(server, "/deployments/checkout?source=%2Fargocd%2Fus");
        var changePages = (await PageAsync(server, "/changes/acme%2Fcheckout%231"), await PageAsync(server, "/changes/acme%2Fcheckout%232"));

        Assert.Equal(("checkout", "/argocd/eu"), (first.GetProperty("deploymentId").GetString(), first.GetProperty("deploymentSource").GetString()));
        Assert.Equal(("checkout", "/argocd/us"), (second.GetProperty("deploymentId").GetString(), second.GetProperty("deploymentSource").GetString()));
        Assert.Contains("Incidents attributed (1)", eu, StringComparison.Ordinal);
        Assert.Contains("Incidents attributed (0)", us, StringComparison.Ordinal);
        Assert.Contains("INC-1", changePages.Item1, StringComparison.Ordinal);
        Assert.DoesNotContain("INC-1", changePages.Item2, StringComparison.Ordinal);
        Assert.Contains("/deployments/checkout?source=%2Fargocd%2Fus", changePages.Item2, StringComparison.Ordinal);
    }
}
