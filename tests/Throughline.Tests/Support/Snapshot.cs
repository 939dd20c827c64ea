namespace Throughline.Tests.Support;

/// <summary>Pins a public contract to a file in tests/Throughline.Tests/Snapshots.</summary>
/// <remarks>Set UPDATE_SNAPSHOTS=1 to rewrite the files after an intended change, then review the diff.</remarks>
public static class Snapshot
{
    public static void Match(string name, string actual)
    {
        var path = RepositoryFiles.PathOf(Path.Combine("tests", "Throughline.Tests", "Snapshots", name));
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n";
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"No snapshot {path}; run the test with UPDATE_SNAPSHOTS=1 to create it.");
        Assert.Equal(File.ReadAllText(path), actual);
    }
}
