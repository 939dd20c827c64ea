using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Throughline.Health;

using Throughline.Model;

namespace Throughline.Tests.Health;

/// <summary>The notification bodies as a receiver parses them: Throughline's JSON object and Slack's incoming-webhook body.</summary>
public sealed class NotificationsTests
{
    /// <summary>A failed deployment of checkout, asking one person to act.</summary>
    internal static ReleaseNotification Failed(
        string reason = "incident INC-7 opened 4 min after the deployment", IReadOnlyList<string>? evidence = null, string type = NotificationTypes.ReleaseFailed) =>
        new(
            type,
            "checkout",
            "production",
            "deploy-42",
            "/argocd/prod",
            "failed",
            reason,
            evidence ?? ["incident INC-7 (sev2) opened at 14:31", "alert HighErrorRate firing"],
            [new NotifiedPerson("ann", "Ann Lee", ["mailto:ann@example.com", "slack:@ann"])],
            "a rollback needs a confirmation by someone holding 'rollback'",
            new Uri("https://throughline.example.com/deployments/%2Fargocd%2Fprod/deploy-42"),
            new DateTimeOffset(2026, 3, 20, 15, 31, 5, 315, TimeSpan.FromHours(1)));

    [Fact]
    public void Json_FailedRelease_HoldsEveryDocumentedField()
    {
        var body = JsonNode.Parse(Notifications.Json(Failed()))!;

        Assert.Equal(
            """
            {"type":"release.failed","service":"checkout","environment":"production","deployment":{"id":"deploy-42","source":"/argocd/prod"},"state":"failed","reason":"incident INC-7 opened 4 min after the deployment","evidence":["incident INC-7 (sev2) opened at 14:31","alert HighErrorRate firing"],"people":[{"id":"ann","name":"Ann Lee","contacts":["mailto:ann@example.com","slack:@ann"]}],"next":"a rollback needs a confirmation by someone holding \u0027rollback\u0027","url":"https://throughline.example.com/deployments/%2Fargocd%2Fprod/deploy-42","at":"2026-03-20T14:31:05.315Z"}
            """,
            body.ToJsonString());
    }

    [Theory]
    [InlineData(NotificationTypes.ReleaseFailed)]
    [InlineData(NotificationTypes.RollbackRequested)]
    [InlineData(NotificationTypes.RollbackCalled)]
    [InlineData(NotificationTypes.RollbackDone)]
    [InlineData(NotificationTypes.ReleaseFixedForward)]
    public void Json_EachStep_IsItsType(string type)
    {
        var body = JsonNode.Parse(Notifications.Body(Failed(type: type), NotifyFormat.Json))!;

        Assert.Equal(type, (string?)body["type"]);
    }

    [Fact]
    public void Json_UnknownType_Throws()
    {
        var notification = Failed(type: "release.exploded");

        Assert.Throws<ArgumentException>(() => Notifications.Json(notification));
    }

    [Fact]
    public void Json_HostileText_ReadsBackAsWritten()
    {
        var reason = "<script>alert(\"x\")</script> & \"quotes\" \\ Zoë";

        var body = JsonNode.Parse(Notifications.Json(Failed(reason: reason)))!;

        Assert.Equal(reason, (string?)body["reason"]);
    }

    [Fact]
    public void Slack_FailedRelease_HasFallbackTextAndMrkdwnSections()
    {
        var body = JsonNode.Parse(Notifications.Slack(Failed()))!;

        Assert.Equal("Release failed: checkout in production: incident INC-7 opened 4 min after the deployment", (string?)body["text"]);
        var blocks = body["blocks"]!.AsArray();
        Assert.All(blocks, block => Assert.Equal(("section", "mrkdwn"), ((string?)block!["type"], (string?)block["text"]!["type"])));
        Assert.Equal(
            [
                "*Release failed*: checkout in production, deployment <https://throughline.example.com/deployments/%2Fargocd%2Fprod/deploy-42|deploy-42> (failed)",
                "*Why*: incident INC-7 opened 4 min after the deployment",
                "*Evidence*\n• incident INC-7 (sev2) opened at 14:31\n• alert HighErrorRate firing",
                "*Asked to act*\n• Ann Lee (mailto:ann@example.com, slack:@ann)",
                "*Next*: a rollback needs a confirmation by someone holding 'rollback'",
            ],
            blocks.Select(block => (string?)block!["text"]!["text"]));
    }

    [Fact]
    public void Slack_UserText_EscapesAmpersandAndAngleBrackets()
    {
        var body = JsonNode.Parse(Notifications.Slack(Failed(reason: "<script>alert(1)</script> & <!channel>", evidence: ["a < b && c > d"])))!;

        Assert.Equal("Release failed: checkout in production: &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt;", (string?)body["text"]);
        var texts = body["blocks"]!.AsArray().Select(block => (string)block!["text"]!["text"]!).ToList();
        Assert.Equal("*Why*: &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt;", texts[1]);
        Assert.Equal("*Evidence*\n• a &lt; b &amp;&amp; c &gt; d", texts[2]);
        Assert.DoesNotContain(texts, text => text.Contains("<script>", StringComparison.Ordinal));
    }

    [Fact]
    public void Slack_LongEvidence_StaysWithinSlacksLimitAndSaysWhatWasLeftOut()
    {
        var evidence = Enumerable.Range(1, 200).Select(i => $"alert {i} firing: " + new string('x', 40)).ToList();

        var body = JsonNode.Parse(Notifications.Slack(Failed(evidence: evidence)))!;

        var texts = body["blocks"]!.AsArray().Select(block => (string)block!["text"]!["text"]!).ToList();
        Assert.All(texts, text => Assert.InRange(text.Length, 1, 3000));
        Assert.Matches(@"\n… and \d+ more$", texts[2]);
    }

    [Fact]
    public void Escape_LongText_IsCutOutsideAnEntity()
    {
        var escaped = Notifications.Escape(new string('&', 10), limit: 13);

        Assert.Equal("&amp;&amp;…", escaped);
    }

    [Fact]
    public void Body_BothFormats_AreUtf8Json()
    {
        var notification = Failed(reason: "Zoë's rollout");

        foreach (var format in Enum.GetValues<NotifyFormat>())
        {
            var bytes = Notifications.Body(notification, format);
            using var document = JsonDocument.Parse(bytes);
            Assert.Contains("Zoë", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        }
    }
}
