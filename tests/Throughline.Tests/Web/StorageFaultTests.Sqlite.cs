using Microsoft.Data.Sqlite;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

/// <summary>SQLite: the disk full, remounted read-only, the file made immutable.</summary>
public sealed partial class StorageFaultTests
{
    [Fact]
    public async Task Sqlite_DiskFull_WritesAnswer503NotReadyThenRecoverWithoutRestart()
    {
        await using var disk = await SmallDisk.MountAsync(megabytes: 16);
        await using var server = await RunningServer.StartAsync(disk.PathOf("throughline.db"));
        var stored = await StoreFirstBatchAsync(server);

        disk.Fill();

        await AssertRefusedDuringFaultAsync(server, "full");
        disk.Free();
        await AssertRecoveredAsync(server, stored);
    }

    [Fact]
    public async Task Sqlite_ReadOnlyDisk_WritesAnswer503NotReadyThenRecoverWithoutRestart()
    {
        await using var disk = await SmallDisk.MountAsync(megabytes: 16);
        await using var server = await RunningServer.StartAsync(disk.PathOf("throughline.db"));
        var stored = await StoreFirstBatchAsync(server);

        // The kernel remounts a disk read-only only when no file on it is open for writing: the server's pooled connections let go.
        await disk.MakeReadOnlyAsync(SqliteConnection.ClearAllPools);

        await AssertRefusedDuringFaultAsync(server, "cannot be opened");
        await disk.MakeWritableAsync();
        await AssertRecoveredAsync(server, stored);
    }

    [Fact]
    public async Task Sqlite_ImmutableDatabaseFile_WritesAnswer503NotReadyThenRecoverWithoutRestart()
    {
        await using var disk = await SmallDisk.MountAsync(megabytes: 16);
        var database = disk.PathOf("throughline.db");
        await using var server = await RunningServer.StartAsync(database);
        var stored = await StoreFirstBatchAsync(server);

        // Root writes to a file whatever its mode, but not to an immutable one; connections opened before keep writing, so they let go.
        if (await SystemCommand.RunAsync("chattr", ["+i", database], asRoot: true) is { ExitCode: not 0 } refused)
        {
            TestDatabase.Unavailable($"chattr +i failed on a tmpfs ({refused.Output.Trim()}): it needs root and Linux 6.0 or later.");
        }

        SqliteConnection.ClearAllPools();

        await AssertRefusedDuringFaultAsync(server, "read-only");
        await SystemCommand.RunAsync("chattr", ["-i", database], asRoot: true);
        await AssertRecoveredAsync(server, stored);
    }
}
