using Throughline.Tests.Support;

namespace Throughline.Tests.Cli;

public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_PortInUse_OneClearLineAndExit1()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var other = await RunningServer.StartAsync(database.Database);
        var taken = $"http://127.0.0.1:{other.Address.Port}";

        var run = await CliRun.RunAsync("serve", "--db", database.Database + ".second", "--urls", taken);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"cannot listen on {taken}", run.Error, StringComparison.Ordinal);
        Assert.Contains("Choose another with --urls", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_UrlsNotAnAddress_OneClearLineAndExit1()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);

        var run = await CliRun.RunAsync("serve", "--db", database.Database, "--urls", "notaurl");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--urls 'notaurl' is not an address to listen on", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-5", "--timeline-cache must be 0 or more events.")]
    [InlineData("abc", "--timeline-cache takes a whole number of events; 'abc' is not one.")]
    public async Task Serve_TimelineCacheNotACount_OneClearLineAndRefused(string value, string message)
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);

        var run = await CliRun.RunAsync("serve", "--db", database.Database, "--timeline-cache", value);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }
}
