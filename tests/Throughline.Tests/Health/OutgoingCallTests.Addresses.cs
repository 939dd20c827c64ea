using System.Collections.Concurrent;
using System.Net;
using Throughline.Health;
using Throughline.Tests.Support;

namespace Throughline.Tests.Health;

public sealed partial class OutgoingCallTests
{
    [Fact]
    public async Task PostAsync_LoopbackNotAllowed_IsRefusedWithNothingReachingTheReceiver()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var network = new WatchedNetwork();
        using var call = Call(network.Network);

        var result = await call.PostAsync(receiver.Root, "{}"u8.ToArray(), Options(retries: 3, allowHosts: []), TestContext.Current.CancellationToken);

        Assert.True(result.RefusedInternalAddress);
        Assert.Equal((false, null, 0, "127.0.0.1"), (result.Succeeded, result.Status, result.Attempts, result.RefusedAddress));
        Assert.Equal(
            $"http://127.0.0.1:{receiver.Port} refused: 127.0.0.1 is a loopback address (127.0.0.0/8); Throughline calls no internal "
            + "address unless allowed: to call it anyway, add the host '127.0.0.1' to health.rollback.action.allow-hosts",
            result.Refusal);
        Assert.Equal([result.Refusal!], result.Errors);
        Assert.Empty(network.Connected);
        Assert.Equal(0, receiver.Connections);
        Assert.Empty(receiver.Calls);
    }

    [Fact]
    public async Task PostAsync_Localhost_IsRefusedForTheAddressItResolvesTo()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var call = Call();

        var result = await call.PostAsync(new Uri($"http://localhost:{receiver.Port}/"), "{}"u8.ToArray(), Options(allowHosts: ["127.0.0.1"]), TestContext.Current.CancellationToken);

        Assert.True(result.RefusedInternalAddress);
        Assert.Contains("localhost resolves to ", result.Refusal, StringComparison.Ordinal);
        Assert.Contains("add the host 'localhost' to health.rollback.action.allow-hosts", result.Refusal, StringComparison.Ordinal);
        Assert.Equal(0, receiver.Connections);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254")]
    [InlineData("http://10.0.0.1/rollback", "10.0.0.1")]
    [InlineData("https://192.168.1.1/", "192.168.1.1")]
    [InlineData("http://100.100.100.200/", "100.100.100.200")]
    [InlineData("http://0.0.0.0:8080/", "0.0.0.0")]
    [InlineData("http://[::1]:8080/", "::1")]
    [InlineData("http://[::ffff:127.0.0.1]:8080/", "::ffff:127.0.0.1")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/", "fd00:ec2::254")]
    [InlineData("http://[fe80::1]/", "fe80::1")]
    [InlineData("http://[::]/", "::")]
    public async Task PostAsync_InternalAddress_IsRefusedBeforeAnyConnectionAttempt(string url, string address)
    {
        var network = new WatchedNetwork();
        using var call = Call(network.Network);

        var result = await call.PostAsync(new Uri(url), "{}"u8.ToArray(), Options(retries: 3, allowHosts: ["example.com"]), TestContext.Current.CancellationToken);

        Assert.True(result.RefusedInternalAddress, string.Join("; ", result.Errors));
        Assert.Equal((0, address), (result.Attempts, result.RefusedAddress));
        Assert.Empty(network.Resolved);
        Assert.Empty(network.Connected);
    }

    [Fact]
    public async Task PostAsync_NameWithAnInternalAddressAmongPublicOnes_IsRefusedWhole()
    {
        var network = new WatchedNetwork(("hooks.example.com", [IPAddress.Parse("93.184.216.34"), IPAddress.Loopback]));
        using var call = Call(network.Network);

        var result = await call.PostAsync(new Uri("https://hooks.example.com/rollback"), "{}"u8.ToArray(), Options(allowHosts: []), TestContext.Current.CancellationToken);

        Assert.Equal("127.0.0.1", result.RefusedAddress);
        Assert.Contains("hooks.example.com resolves to 127.0.0.1, a loopback address", result.Refusal, StringComparison.Ordinal);
        Assert.Equal(["hooks.example.com"], network.Resolved);
        Assert.Empty(network.Connected);
    }

    [Fact]
    public async Task PostAsync_AllowedName_ConnectsToTheAddressItResolvedToIgnoringCase()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var network = new WatchedNetwork(("rollback.internal.example", [IPAddress.Loopback]));
        using var call = Call(network.Network);
        var url = new Uri($"http://rollback.internal.example:{receiver.Port}/rollback");

        var result = await call.PostAsync(url, "{}"u8.ToArray(), Options(allowHosts: ["Rollback.Internal.Example"]), TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, receiver.Port)], network.Connected);
        Assert.Equal($"rollback.internal.example:{receiver.Port}", Assert.Single(receiver.Calls).Header("Host"));
    }

    [Fact]
    public async Task PostAsync_HostAllowedForOneCall_IsStillRefusedForACallThatDoesNotAllowIt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var call = Call();

        var allowed = await call.PostAsync(receiver.Root, "{}"u8.ToArray(), Options(allowHosts: ["127.0.0.1"]), TestContext.Current.CancellationToken);
        var notAllowed = await call.PostAsync(receiver.Root, "{}"u8.ToArray(), Options(allowHosts: []), TestContext.Current.CancellationToken);

        Assert.True(allowed.Succeeded);
        Assert.True(notAllowed.RefusedInternalAddress);
        Assert.Single(receiver.Calls);
    }

    [Theory]
    [InlineData("ftp://example.com/rollback")]
    [InlineData("file:///etc/passwd")]
    public async Task PostAsync_SchemeOtherThanHttp_IsRefused(string url)
    {
        var network = new WatchedNetwork();
        using var call = Call(network.Network);

        var result = await call.PostAsync(new Uri(url), "{}"u8.ToArray(), Options(), TestContext.Current.CancellationToken);

        Assert.True(result.Refused);
        Assert.False(result.RefusedInternalAddress);
        Assert.Contains("only http and https URLs are called", result.Refusal, StringComparison.Ordinal);
        Assert.Empty(network.Connected);
    }

    /// <summary>A network whose names resolve as the test says, and which records every name resolved and address connected to.</summary>
    private sealed class WatchedNetwork
    {
        private readonly ConcurrentQueue<string> _resolved = new();
        private readonly ConcurrentQueue<IPEndPoint> _connected = new();

        public WatchedNetwork(params (string Host, IPAddress[] Addresses)[] names)
        {
            var table = names.ToDictionary(name => name.Host, name => name.Addresses, StringComparer.OrdinalIgnoreCase);
            Network = new OutgoingNetwork(
                (host, cancellationToken) =>
                {
                    _resolved.Enqueue(host);
                    return table.TryGetValue(host, out var addresses)
                        ? Task.FromResult(addresses)
                        : OutgoingNetwork.System.Resolve(host, cancellationToken);
                },
                _connected.Enqueue);
        }

        public OutgoingNetwork Network { get; }

        public IReadOnlyList<string> Resolved => [.. _resolved];

        public IReadOnlyList<IPEndPoint> Connected => [.. _connected];
    }
}
