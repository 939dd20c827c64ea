namespace Throughline.Tests.Support;

/// <summary>A disk of a few MiB (a tmpfs mounted on a temp folder) that a test can fill up or make read-only, and give back.</summary>
/// <remarks>Mounting needs root (or sudo without a password): without it the test skips on a laptop and fails under ./test.sh or CI.</remarks>
public sealed class SmallDisk : IAsyncDisposable
{
    private const string FillerName = "filler";

    private SmallDisk(string folder) => Folder = folder;

    /// <summary>Where the disk is mounted.</summary>
    public string Folder { get; }

    /// <summary>Mounts a disk of <paramref name="megabytes"/> MiB that everyone may write to.</summary>
    public static async Task<SmallDisk> MountAsync(int megabytes)
    {
        var folder = Directory.CreateTempSubdirectory("throughline-disk-").FullName;
        var (exitCode, output) = await SystemCommand.RunAsync("mount", ["-t", "tmpfs", "-o", $"size={megabytes}m,mode=1777", "tmpfs", folder], asRoot: true);
        if (exitCode != 0)
        {
            Directory.Delete(folder);
            TestDatabase.Unavailable($"Could not mount a tmpfs for a storage fault test ({output.Trim()}): run the tests as root, or with sudo allowed without a password.");
        }

        return new SmallDisk(folder);
    }

    public string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>Writes a file until the disk is full to the last byte, as a disk fills up in production.</summary>
    public void Fill()
    {
        using var filler = new FileStream(PathOf(FillerName), FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        foreach (var size in new[] { 1 << 16, 1 << 12, 1 << 9, 1 })
        {
            var block = new byte[size];
            try
            {
                while (true)
                {
                    filler.Write(block);
                }
            }
            catch (IOException)
            {
                // No space left for a block of this size: try smaller ones.
            }
        }
    }

    /// <summary>Removes what <see cref="Fill"/> wrote.</summary>
    public void Free() => File.Delete(PathOf(FillerName));

    /// <summary>Remounts the disk read-only. The kernel refuses while a file is open for writing, so <paramref name="letGo"/>
    /// is called before each try (a store closing its pooled connections); tries for up to 30 s.</summary>
    public async Task MakeReadOnlyAsync(Action letGo)
    {
        ArgumentNullException.ThrowIfNull(letGo);
        await Eventually.HoldsAsync("the disk to remount read-only", async _ =>
        {
            letGo();
            return await SystemCommand.RunAsync("mount", ["-o", "remount,ro", Folder], asRoot: true);
        }, result => result.ExitCode == 0);
    }

    /// <summary>Remounts the disk writable again.</summary>
    public async Task MakeWritableAsync()
    {
        var (exitCode, output) = await SystemCommand.RunAsync("mount", ["-o", "remount,rw", Folder], asRoot: true);
        Assert.True(exitCode == 0, output);
    }

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        // Lazily: a server of the test may still be letting go of a file; the kernel detaches the disk once it has.
        await SystemCommand.RunAsync("umount", ["--lazy", Folder], asRoot: true);
        Directory.Delete(Folder, recursive: true);
    }
}
