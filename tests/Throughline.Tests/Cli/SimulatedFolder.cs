namespace Throughline.Tests.Cli;

/// <summary>
/// A throwaway folder holding a simulated organisation made the way a user makes one: <c>simulate</c> writes the history
/// (<c>h.jsonl</c>) and the model (<c>m.yaml</c>), <c>ingest</c> stores it in <c>org.db</c>.
/// </summary>
public sealed class SimulatedFolder : IAsyncDisposable
{
    private SimulatedFolder(string prefix) => Folder = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Folder { get; }

    public string Database => PathOf("org.db");

    public string Model => PathOf("m.yaml");

    public string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>Simulates with <paramref name="options"/> (<c>--days</c>, the injections) and stores the history.</summary>
    public static async Task<SimulatedFolder> CreateAsync(string prefix, params string[] options)
    {
        var folder = new SimulatedFolder(prefix);
        var simulate = await CliRun.RunAsync(["simulate", .. options, "--out", folder.PathOf("h.jsonl"), "--model-out", folder.Model]);
        Assert.True(simulate.ExitCode == 0, simulate.Error);
        var ingest = await CliRun.RunAsync("ingest", "--db", folder.Database, folder.PathOf("h.jsonl"));
        Assert.True(ingest.ExitCode == 0, ingest.Error);
        return folder;
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
