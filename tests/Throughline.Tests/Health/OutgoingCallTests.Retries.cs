using Throughline.Tests.Support;

namespace Throughline.Tests.Health;

public sealed partial class OutgoingCallTests
{
    [Fact]
    public async Task PostAsync_ReceiverUnavailableTwice_RetriesWithTheSameIdempotencyKeyUntilItSucceeds()
    {
        await using var receiver = await WebhookReceiver.StartAsync(new ReceiverAnswer(503), new ReceiverAnswer(503), ReceiverAnswer.Ok);
        using var call = Call();

        var result = await call.PostAsync(receiver.Root, "{}"u8.ToArray(), Options(retries: 3, key: "deploy-7/notify"), TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded);
        Assert.Equal((200, 3), (result.Status, result.Attempts));
        Assert.Equal(2, result.Errors.Count);
        Assert.Equal(3, receiver.Calls.Count);
        Assert.All(receiver.Calls, received => Assert.Equal("deploy-7/notify", received.Header("Idempotency-Key")));
        Assert.Equal(3, receiver.Calls.Select(received => received.Header("X-Throughline-Delivery")).Distinct().Count());
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(422)]
    public async Task PostAsync_ClientError_IsNotRetried(int status)
    {
        await using var receiver = await WebhookReceiver.StartAsync(new ReceiverAnswer(status), ReceiverAnswer.Ok);
        using var call = Call();

        var result = await call.PostAsync(receiver.Root, "{}"u8.ToArray(), Options(retries: 3), TestContext.Current.CancellationToken);

        Assert.False(result.Succeeded);
        Assert.Equal((status, 1), (result.Status, result.Attempts));
        Assert.Single(receiver.Calls);
        Assert.EndsWith($"answered {status}, which is not retried", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    public async Task PostAsync_TransientStatus_IsRetried(int status)
    {
        // Retry-After asks for 1 s; the tests' backoff caps it at 50 ms.
        await using var receiver = await WebhookReceiver.StartAsync(new ReceiverAnswer(status, RetryAfter: "1"), ReceiverAnswer.Ok);
        using var call = Call();

        var result = await call.PostAsync(receiver.Root, "{}"u8.ToArray(), Options(retries: 1), TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(2, receiver.Calls.Count);
    }

    [Fact]
    public async Task PostAsync_ReceiverSlowerThanTheTimeout_CountsAFailedAttemptAndRetries()
    {
        await using var receiver = await WebhookReceiver.StartAsync(new ReceiverAnswer(200, Delay: TimeSpan.FromMinutes(1)), ReceiverAnswer.Ok);
        using var call = Call();

        var result = await call.PostAsync(receiver.Root, "{}"u8.ToArray(), Options(retries: 1, timeout: TimeSpan.FromSeconds(1)), TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(2, result.Attempts);
        Assert.EndsWith("timed out after 1 s", Assert.Single(result.Errors), StringComparison.Ordinal);
        Assert.Equal(2, receiver.Calls.Count);
    }

    [Fact]
    public async Task PostAsync_RetriesExhausted_ReportsEveryFailedAttemptAndTheLastStatus()
    {
        await using var receiver = await WebhookReceiver.StartAsync(new ReceiverAnswer(503), new ReceiverAnswer(500));
        using var call = Call();

        var result = await call.PostAsync(receiver.Root, "{}"u8.ToArray(), Options(retries: 2), TestContext.Current.CancellationToken);

        Assert.False(result.Succeeded);
        Assert.Equal((500, 3), (result.Status, result.Attempts));
        Assert.Equal(["attempt 1:", "attempt 2:", "attempt 3:"], result.Errors.Select(error => error[..10]));
        Assert.Equal(3, receiver.Calls.Count);
    }

    [Fact]
    public async Task PostAsync_NoOneListening_RetriesTheConnectionAndReportsNoStatus()
    {
        Uri gone;
        await using (var receiver = await WebhookReceiver.StartAsync())
        {
            gone = receiver.Root;
        }

        using var call = Call();

        var result = await call.PostAsync(gone, "{}"u8.ToArray(), Options(retries: 1), TestContext.Current.CancellationToken);

        Assert.False(result.Succeeded);
        Assert.Equal((null, 2), (result.Status, result.Attempts));
        Assert.All(result.Errors, error => Assert.Contains("could not connect", error, StringComparison.Ordinal));
    }
}
