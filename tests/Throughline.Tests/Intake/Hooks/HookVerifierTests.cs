using System.Text;
using Throughline.Intake.Hooks;
using Throughline.Model;

namespace Throughline.Tests.Intake.Hooks;

public sealed class HookVerifierTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("Hello, World!");

    private static Tool Tool(string kind, string? secret = null, string? token = null) =>
        new("t", new ToolKind(kind), secret is null ? null : new SecretValue("S", secret), token is null ? null : new SecretValue("T", token), new Dictionary<string, string>());

    private static Dictionary<string, string> Headers(params (string Name, string Value)[] headers) =>
        headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.Ordinal);

    [Fact]
    public void Sign_GitHubDocumentedExample_MatchesGitHubsSignature()
    {
        // The example in GitHub's "Validating webhook deliveries" documentation.
        var signature = HookVerifier.Sign("It's a Secret to Everybody", Body);

        Assert.Equal("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", signature);
    }

    [Fact]
    public void Verify_GitHubSignatureRightOrWrong_AuthenticOrRejected()
    {
        var tool = Tool("github", secret: "It's a Secret to Everybody");

        var right = HookVerifier.Verify(tool, Headers(("x-hub-signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")), null, Body);
        var wrong = HookVerifier.Verify(tool, Headers(("x-hub-signature-256", "sha256=657107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")), null, Body);
        var missing = HookVerifier.Verify(tool, Headers(), null, Body);

        Assert.Equal(HookVerdict.Authentic, right.Verdict);
        Assert.Equal(HookVerdict.Rejected, wrong.Verdict);
        Assert.Equal(HookVerdict.Rejected, missing.Verdict);
    }

    [Fact]
    public void Verify_PagerDutySeveralSignatures_AnyOneMatches()
    {
        var tool = Tool("pagerduty", secret: "pd-secret");
        var good = HookVerifier.Sign("pd-secret", Body);

        var verdict = HookVerifier.Verify(tool, Headers(("x-pagerduty-signature", $"v1={new string('a', 64)}, v1={good}")), null, Body);

        Assert.Equal(HookVerdict.Authentic, verdict.Verdict);
    }

    [Fact]
    public void Verify_TokenKinds_HeaderBearerOrQuery()
    {
        var gitlab = HookVerifier.Verify(Tool("gitlab", token: "tok"), Headers(("x-gitlab-token", "tok")), null, Body);
        var bearer = HookVerifier.Verify(Tool("jenkins", token: "tok"), Headers(("authorization", "Bearer tok")), null, Body);
        var query = HookVerifier.Verify(Tool("jira", token: "tok"), Headers(), "tok", Body);
        var wrong = HookVerifier.Verify(Tool("opsgenie", token: "tok"), Headers(("authorization", "Bearer tok2")), null, Body);

        Assert.Equal((HookVerdict.Authentic, HookVerdict.Authentic, HookVerdict.Authentic), (gitlab.Verdict, bearer.Verdict, query.Verdict));
        Assert.Equal(HookVerdict.Rejected, wrong.Verdict);
    }

    [Fact]
    public void Verify_CredentialNotConfigured_NotConfiguredNamingTheVariable()
    {
        var tool = new Tool("gh", new ToolKind("github"), new SecretValue("GH_SECRET", null), null, new Dictionary<string, string>());

        var verdict = HookVerifier.Verify(tool, Headers(("x-hub-signature-256", "sha256=00")), null, Body);

        Assert.Equal(HookVerdict.NotConfigured, verdict.Verdict);
        Assert.Contains("GH_SECRET is not set", verdict.Reason, StringComparison.Ordinal);
        Assert.Equal(HookVerdict.NotConfigured, HookVerifier.Verify(Tool("github", token: "t"), Headers(), null, Body).Verdict);
    }
}
