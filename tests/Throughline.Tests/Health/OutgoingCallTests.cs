using System.Security.Cryptography;
using System.Text;
using Throughline.Health;
using Throughline.Tests.Support;

namespace Throughline.Tests.Health;

/// <summary>Outgoing calls against a real receiver on 127.0.0.1: what arrives, signed how, retried when, and refused where.</summary>
public sealed partial class OutgoingCallTests
{
    private const string Secret = "rollback-secret";

    // Tests wait milliseconds between attempts, not seconds.
    private static readonly OutgoingBackoff Fast = new(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50));

    [Theory]
    [InlineData(Secret, true)]
    [InlineData("another-secret", false)]
    public async Task PostAsync_WithSecret_ReceiverRecomputingTheSignatureMatchesOnlyWithTheSameSecret(string receiverSecret, bool matches)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var call = Call();
        var body = Notifications.Json(NotificationsTests.Failed());

        var result = await call.PostAsync(receiver.At("/hooks/rollback"), body, Options(secret: Secret), TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        var received = Assert.Single(receiver.Calls);
        Assert.Equal(body, received.Body);
        Assert.StartsWith("sha256=", received.Header(OutgoingCall.SignatureHeader), StringComparison.Ordinal);
        Assert.Equal(matches, "sha256=" + HmacHex(receiverSecret, received.Body) == received.Header(OutgoingCall.SignatureHeader));
    }

    [Fact]
    public async Task PostAsync_WithoutSecret_SendsNoSignature()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var call = Call();

        await call.PostAsync(receiver.Root, "{}"u8.ToArray(), Options(secret: null), TestContext.Current.CancellationToken);

        Assert.Null(Assert.Single(receiver.Calls).Header(OutgoingCall.SignatureHeader));
    }

    [Fact]
    public async Task PostAsync_AnyCall_SendsJsonWithTheIdempotencyKeyAndUserAgent()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var call = Call();

        var result = await call.PostAsync(receiver.Root, "{}"u8.ToArray(), Options(key: "checkout/deploy-42/rollback"), TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded);
        Assert.Equal((200, 1), (result.Status, result.Attempts));
        Assert.Empty(result.Errors);
        var received = Assert.Single(receiver.Calls);
        Assert.Equal("checkout/deploy-42/rollback", received.Header("Idempotency-Key"));
        Assert.Equal("Throughline", received.Header("User-Agent"));
        Assert.Equal("application/json", received.Header("Content-Type"));
        Assert.True(Guid.TryParse(received.Header("X-Throughline-Delivery"), out _));
    }

    [Fact]
    public async Task PostAsync_ReceiverRedirects_DoesNotFollowAndNamesWhereItPointed()
    {
        await using var elsewhere = await WebhookReceiver.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync(new ReceiverAnswer(302, Location: elsewhere.At("/moved").AbsoluteUri));
        using var call = Call();

        var result = await call.PostAsync(receiver.At("/hook"), "{}"u8.ToArray(), Options(retries: 2), TestContext.Current.CancellationToken);

        Assert.False(result.Succeeded);
        Assert.Equal((302, 1), (result.Status, result.Attempts));
        Assert.Single(receiver.Calls);
        Assert.Equal(0, elsewhere.Connections);
        var error = Assert.Single(result.Errors);
        Assert.Contains($"answered 302, a redirect to http://127.0.0.1:{elsewhere.Port}/…, which is not followed", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostAsync_UrlWithSecrets_ErrorsNameTheReceiverByItsOriginOnly()
    {
        await using var receiver = await WebhookReceiver.StartAsync(new ReceiverAnswer(500));
        using var call = Call();
        var url = new Uri($"http://user:password@127.0.0.1:{receiver.Port}/services/T0/B0/path-secret?token=query-secret");

        var result = await call.PostAsync(url, "{}"u8.ToArray(), Options(retries: 1), TestContext.Current.CancellationToken);

        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, error => Assert.Equal($"POST http://127.0.0.1:{receiver.Port}/… answered 500", error[(error.IndexOf(':', StringComparison.Ordinal) + 2)..]));
        Assert.DoesNotContain(result.Errors, error => error.Contains("secret", StringComparison.Ordinal) || error.Contains("password", StringComparison.Ordinal));
    }

    private static OutgoingCall Call(OutgoingNetwork? network = null) => new(TimeProvider.System, Fast, network ?? OutgoingNetwork.System);

    private static OutgoingCallOptions Options(
        string? secret = Secret, int retries = 0, TimeSpan? timeout = null, string[]? allowHosts = null, string key = "deployment-1/rollback") =>
        new(secret, timeout ?? TimeSpan.FromSeconds(10), retries, allowHosts ?? ["127.0.0.1"], key);

    /// <summary>What a receiver computes to check a signature, written here without Throughline's code.</summary>
    private static string HmacHex(string secret, byte[] body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
