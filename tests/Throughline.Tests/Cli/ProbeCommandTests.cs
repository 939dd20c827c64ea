using Throughline.Tests.Support;

namespace Throughline.Tests.Cli;

/// <summary><c>probe</c> against a real server: the container image's health check.</summary>
public sealed class ProbeCommandTests
{
    [Fact]
    public async Task Probe_ReadyServer_Exit0_NoServer_Exit1WithTheReason()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database);
        var closed = new Uri($"http://127.0.0.1:{FreePort()}/healthz");

        var ready = await CliRun.RunAsync("probe", "--url", new Uri(server.Address, "/healthz").ToString());
        var nobody = await CliRun.RunAsync("probe", "--url", closed.ToString(), "--timeout", "2");
        var missing = await CliRun.RunAsync("probe", "--url", new Uri(server.Address, "/no-such-page").ToString());
        var wrong = await CliRun.RunAsync("probe", "--url", "ftp://127.0.0.1/healthz");

        Assert.True(ready.ExitCode == 0, ready.Error);
        Assert.StartsWith("ready: http://127.0.0.1:", ready.Output, StringComparison.Ordinal);
        Assert.Equal(1, nobody.ExitCode);
        Assert.StartsWith($"not ready: {closed} did not answer", nobody.Error, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("answered 401", missing.Error, StringComparison.Ordinal); // a page that needs a token is not /healthz
        Assert.Equal(2, wrong.ExitCode);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
