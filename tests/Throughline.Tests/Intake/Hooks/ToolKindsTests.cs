using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Throughline.Intake;
using Throughline.Intake.Hooks;
using Throughline.Model;
using Throughline.Storage;
using Throughline.Tests.Support;

namespace Throughline.Tests.Intake.Hooks;

/// <summary>The table of tool kinds: a new kind is one adapter and one row, and nothing else changes.</summary>
public sealed class ToolKindsTests
{
    private const string Token = "statuspage-token";

    private const string Body = """{"incident": {"id": "sp-42", "name": "Checkout is down", "created_at": "2026-03-20T14:27:05Z", "component": "checkout"}}""";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The ninth kind's one row: its name, credential, delivery id and adapter.</summary>
    private static readonly ToolKindEntry StatusPage = new(
        "statuspage", HookCredential.HeaderToken("X-Statuspage-Token"), DeliveryIdSource.Headers("X-Statuspage-Delivery"), ToolKinds.Adapter(StatusPageAdapter.Translate));

    /// <summary>The ninth kind's one adapter file, as it would be written in Intake/Hooks.</summary>
    private static class StatusPageAdapter
    {
        public static void Translate(HookContext context)
        {
            var incident = context.Body.At("incident") ?? default;
            context.Event = "incident.created";
            context.Emit("incident.detected", incident.Text("id"), incident.Time("created_at"),
                new JsonObject
                {
                    ["description"] = incident.Text("name"),
                    ["environment"] = Values.Reference(context.DefaultIncidentEnvironment),
                    ["service"] = Values.Reference(incident.Text("component")),
                },
                new JsonObject { ["service"] = incident.Text("component"), ["environment"] = context.DefaultIncidentEnvironment });
        }
    }

    private static OperatingModel ModelWithStatusPage()
    {
        var model = Support.Hooks.Model();
        var tool = new Tool("statuspage", new ToolKind("statuspage"), null, new SecretValue("STATUSPAGE_TOKEN", Token), new Dictionary<string, string>());
        return model with { Tools = [.. model.Tools, tool] };
    }

    private static HttpRequestMessage Request(string token, string deliveryId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/hooks/statuspage") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Statuspage-Token", token);
        request.Headers.Add("X-Statuspage-Delivery", deliveryId);
        return request;
    }

    [Fact]
    public async Task NinthKind_OneAdapterAndOneRow_VerifiedIdentifiedTranslatedAndStoredByTheRealHost()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(
            database.Database, builder => builder.Services.AddSingleton(ToolKinds.Builtin.With(StatusPage)), ModelWithStatusPage());
        using var wrong = Request("not-the-token", "delivery-0");
        using var right = Request(Token, "delivery-1");

        using var refused = await server.Client.SendAsync(wrong, Cancel);
        using var accepted = await server.Client.SendAsync(right, Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var answer = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync(Cancel)).RootElement;
        Assert.Equal(("delivery-1", "incident.created", true), (answer.Text("deliveryId"), answer.Text("event"), answer.GetProperty("mapped").GetBoolean()));
        var detected = await Support.Hooks.SingleEventAsync(server, "statuspage", "delivery-1");
        Assert.Equal(("dev.cdevents.incident.detected.0.3.0", "sp-42"), (detected.Text("type"), detected.Text("subjectId")));
        Assert.Equal(DateTimeOffset.Parse("2026-03-20T14:27:05Z"), detected.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(("checkout", "production"), (detected.GetProperty("payload").Text("subject", "content", "service", "id"),
            detected.GetProperty("payload").Text("subject", "content", "environment", "id")));
        var delivery = Assert.Single(await server.Services.GetRequiredService<IEventStore>().ListDeliveriesAsync(0, 10, Cancel)).Delivery;
        Assert.Equal(("statuspage", "statuspage"), (delivery.ToolId, delivery.Kind));
        Assert.Contains("x-statuspage-delivery", delivery.Headers, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, delivery.Headers, StringComparison.Ordinal);
    }

    [Fact]
    public void Receive_KindNotInTheTable_ThrowsNamingIt()
    {
        var tool = ModelWithStatusPage().Tools[^1];
        var headers = new Dictionary<string, string> { ["x-statuspage-token"] = Token };

        var thrown = Assert.Throws<InvalidOperationException>(() => HookReceiver.Receive(tool, null, headers, null, Encoding.UTF8.GetBytes(Body), Adapted.ReceivedAt, out _));

        Assert.Contains("'statuspage'", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Builtin_EveryKind_InTheOrderTheModelListsThem()
    {
        Assert.Equal(["github", "gitlab", "argocd", "jenkins", "jira", "pagerduty", "opsgenie", "alertmanager", "cdevents"], ToolKinds.Builtin.Names);
    }

    [Theory]
    [InlineData("github", "Idempotency-Key", "ignored", "sha256:")]
    [InlineData("github", "X-GitHub-Delivery", " gh-1 ", "gh-1")]
    [InlineData("gitlab", "Idempotency-Key", "key-1", "key-1")]
    [InlineData("gitlab", "X-Gitlab-Event-UUID", "uuid-1", "uuid-1")]
    [InlineData("jira", "X-Atlassian-Webhook-Identifier", "jira-1", "jira-1")]
    [InlineData("pagerduty", "X-Webhook-Id", "header-1", "01G2B0HNY5J9RGY7QGY1TB3HSR")]
    [InlineData("pagerduty-no-event-id", "X-Webhook-Id", "header-1", "header-1")]
    [InlineData("jenkins", "X-GitHub-Delivery", "ignored", "sha256:")]
    public void DeliveryId_EachKindsSource_ItsOwnIdElseTheBodyHash(string kind, string header, string value, string expected)
    {
        var body = kind == "pagerduty" ? """{"event": {"id": "01G2B0HNY5J9RGY7QGY1TB3HSR"}}""" : "{}";
        var headers = new Dictionary<string, string> { [header.ToLowerInvariant()] = value };

        var id = HookReceiver.DeliveryId(ToolKinds.Builtin[new ToolKind(kind.Split('-')[0])], headers, body, Encoding.UTF8.GetBytes(body));

        Assert.StartsWith(expected, id, StringComparison.Ordinal);
    }
}
