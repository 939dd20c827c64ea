using Throughline.Tests.Support;

namespace Throughline.Tests.Cli;

public sealed class IngestCommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("throughline-ingest-");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Delete(recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Ingest_JsonLinesArrayAndPrettyObject_StoresEveryEventOnce(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var lines = Write("events.jsonl", string.Join('\n', Enumerable.Range(0, 12_000).Select(i => Some.CdEvent(id: $"line-{i}"))) + "\n");
        var array = Write("events.json", $"[{Some.CdEvent(id: "array-1")},\n{Some.CdEvent(id: "line-0")}]");
        var pretty = Some.TestDataPath("cdevents/v0.6.0-draft/change_merged.json");

        var run = await CliRun.RunAsync("ingest", "--db", database.Database, lines, array, pretty);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Stored 12,002 new events (1 duplicates, 0 unmapped) from 3 file(s)", run.Output, StringComparison.Ordinal);
        await using var store = await database.OpenStoreAsync();
        Assert.Equal(12_002, await store.CountAsync(Cancel));
        var again = await CliRun.RunAsync("ingest", "--db", database.Database, array);
        Assert.Contains("Stored 0 new events (2 duplicates", again.Output, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Ingest_OneBadLine_Exit1NamesItAndStoresNothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var good = Write("good.jsonl", Some.CdEvent() + "\n");
        var bad = Write("bad.jsonl", $"{Some.CdEvent()}\n{Some.CdEvent(timestamp: "soon")}\n");

        var run = await CliRun.RunAsync("ingest", "--db", database.Database, good, bad);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{bad}: error: item 1: context.timestamp: 'soon' is not an RFC 3339 timestamp", run.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was stored", run.Error, StringComparison.Ordinal);
        await using var store = await database.OpenStoreAsync();
        Assert.Equal(0, await store.CountAsync(Cancel));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Ingest_InputNotEveryEngineAndReaderTakes_Exit1NamesItemAndFieldAndStoresNothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var file = Write("hostile.jsonl", string.Join('\n',
            Some.CdEvent(),
            Some.CdEvent(id: "a\u0000b"),
            Some.CdEvent().Replace("production", "prod\\ud800", StringComparison.Ordinal),
            Some.CdEvent(id: "twice").Replace("\"id\":\"twice\"", "\"id\":\"twice\",\"id\":\"again\"", StringComparison.Ordinal),
            Some.CdEvent(id: new string('x', 3000))) + "\n");
        var bytes = System.Text.Encoding.UTF8.GetBytes(Some.CdEvent(subjectId: "caf__") + "\n");
        bytes[Array.IndexOf(bytes, (byte)'_')] = 0xC3;
        var invalidUtf8 = Path.Combine(_folder.FullName, "invalid-utf8.jsonl");
        await File.WriteAllBytesAsync(invalidUtf8, bytes, Cancel);

        var run = await CliRun.RunAsync("ingest", "--db", database.Database, file);
        var utf8 = await CliRun.RunAsync("ingest", "--db", database.Database, invalidUtf8);

        Assert.Equal((1, 1), (run.ExitCode, utf8.ExitCode));
        Assert.Contains($"{file}: error: item 1: context.id: holds the control character U+0000 at position 1", run.Error, StringComparison.Ordinal);
        Assert.Contains($"{file}: error: item 2: subject.content.environment.id: the string holds a \\u escape of a lone surrogate", run.Error, StringComparison.Ordinal);
        Assert.Contains($"{file}: error: item 3: context.id: the key 'id' appears twice", run.Error, StringComparison.Ordinal);
        Assert.Contains($"{file}: error: item 4: context.id: is 3000 bytes long in UTF-8; at most 1024 are accepted", run.Error, StringComparison.Ordinal);
        Assert.Contains($"{invalidUtf8}", utf8.Error, StringComparison.Ordinal);
        Assert.Contains("UTF-8", utf8.Error, StringComparison.Ordinal);
        await using var store = await database.OpenStoreAsync();
        Assert.Equal(0, await store.CountAsync(Cancel));
    }

    [Fact]
    public async Task Ingest_HundredThousandBadItems_ShowsTheFirstTwentyAndCountsTheRest()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var file = Write("ones.json", "[" + string.Join(',', Enumerable.Repeat("1", 100_000)) + "]");

        var run = await CliRun.RunAsync("ingest", "--db", database.Database, file);

        Assert.Equal(1, run.ExitCode);
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(22, lines.Length);
        Assert.Equal("... and 99980 more problems.", lines[20]);
        Assert.Equal("Nothing was stored or sent: 100000 problem(s) must be fixed first.", lines[21]);
    }

    [Fact]
    public async Task Ingest_NotJson_Exit1WithLineAndColumn()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var broken = Write("broken.jsonl", Some.CdEvent() + "\n{\"context\": oops}\n");

        var run = await CliRun.RunAsync("ingest", "--db", database.Database, broken);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{broken}:2:", run.Error, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_MissingFile_Exit1AndNoFileArgument_Exit2()
    {
        var missing = await CliRun.RunAsync("ingest", "--db", Path.Combine(_folder.FullName, "x.db"), Path.Combine(_folder.FullName, "nope.json"));
        var usage = await CliRun.RunAsync("ingest");
        var unknownVerb = await CliRun.RunAsync("ingets");

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("nope.json: error: no such file", missing.Error, StringComparison.Ordinal);
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("throughline ingest --help", usage.Error, StringComparison.Ordinal);
        Assert.Equal(2, unknownVerb.ExitCode);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Emit_ToRunningServer_StoresEveryEvent(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database);
        var lines = Write("emit.jsonl", string.Join('\n', Enumerable.Range(0, 2_500).Select(i => Some.CdEvent(id: $"emit-{i}"))));

        var token = await server.CreateTokenAsync(Throughline.Access.Role.Ingest, ["/"]);
        var run = await CliRun.RunAsync("emit", "--server", server.Address.ToString(), "--token", token, lines);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Sent 2,500 events", run.Output, StringComparison.Ordinal);
        Assert.Contains("2,500 stored, 0 duplicates", run.Output, StringComparison.Ordinal);
        await using var store = await database.OpenStoreAsync();
        Assert.Equal(2_500, await store.CountAsync(Cancel));
    }

    [Fact]
    public async Task Emit_ServerNotListening_Exit1SaysSo()
    {
        var file = Write("one.json", Some.CdEvent());

        var run = await CliRun.RunAsync("emit", "--server", "http://127.0.0.1:9", file);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cannot reach http://127.0.0.1:9/", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("validate")]
    [InlineData("ingest")]
    [InlineData("emit")]
    [InlineData("demo")]
    [InlineData("simulate")]
    [InlineData("replay")]
    [InlineData("rebuild")]
    [InlineData("report")]
    public async Task Help_EveryVerb_DescribesItsOptions(string verb)
    {
        var run = await CliRun.RunAsync(verb, "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"throughline {verb}", run.Output, StringComparison.Ordinal);
        Assert.Contains("Usage:", run.Output, StringComparison.Ordinal);
    }
}
