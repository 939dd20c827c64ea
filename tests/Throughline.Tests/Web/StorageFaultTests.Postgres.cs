using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

/// <summary>PostgreSQL, on a server of the test's own: stopped and started, its sessions made read-only, its tablespace's disk full.</summary>
public sealed partial class StorageFaultTests
{
    [Fact]
    public async Task Postgres_DiskFull_WritesAnswer503ThenRecoverWithoutRestart()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        await using var disk = await SmallDisk.MountAsync(megabytes: 32);
        var tablespace = disk.PathOf("tablespace");
        Directory.CreateDirectory(tablespace);
        await cluster.OwnAsync(tablespace);
        await cluster.ExecuteAsync($"CREATE TABLESPACE small LOCATION '{tablespace}'");
        await cluster.ExecuteAsync("CREATE DATABASE throughline TABLESPACE small");
        await using var server = await RunningServer.StartAsync(cluster.ConnectionString("throughline"));
        var stored = await StoreFirstBatchAsync(server);

        disk.Fill();

        // PostgreSQL offers no cheap way to see its free space, so /healthz cannot tell: each write that fails says so (docs/reliability.md).
        await AssertRefusedDuringFaultAsync(server, healthSays: null);
        disk.Free();
        await AssertRecoveredAsync(server, stored);
    }

    [Fact]
    public async Task Postgres_ReadOnlyDatabase_WritesAnswer503NotReadyThenRecoverWithoutRestart()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        await cluster.ExecuteAsync("CREATE DATABASE throughline");
        await using var server = await RunningServer.StartAsync(cluster.ConnectionString("throughline"));
        var stored = await StoreFirstBatchAsync(server);

        // As after a failover to a replica: every session is cut, and new ones are read-only.
        await cluster.ExecuteAsync("ALTER DATABASE throughline SET default_transaction_read_only = on");
        await cluster.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'throughline'");

        await AssertRefusedDuringFaultAsync(server, "read-only");
        await cluster.ExecuteAsync("ALTER DATABASE throughline RESET default_transaction_read_only");
        await cluster.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'throughline'");
        await AssertRecoveredAsync(server, stored);
    }

    [Fact]
    public async Task Postgres_ServerStoppedAndStarted_Answers503NotReadyThenRecoversWithoutRestart()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        await cluster.ExecuteAsync("CREATE DATABASE throughline");
        await using var server = await RunningServer.StartAsync(cluster.ConnectionString("throughline"));
        var stored = await StoreFirstBatchAsync(server);
        using var viewer = server.ClientWith(await server.CreateTokenAsync(Throughline.Access.Role.Viewer)); // not yet seen by the server

        await cluster.StopAsync();

        await AssertRefusedDuringFaultAsync(server, "database server");
        using (var read = await server.Client.GetAsync("/api/events?limit=1", Cancel))
        {
            await AssertUnavailableAsync(read, "GET /api/events");
        }

        using (var tokenCheck = await viewer.GetAsync("/api/model", Cancel)) // its token must be looked up: not a 401, not a 500
        {
            await AssertUnavailableAsync(tokenCheck, "a new token's check");
        }

        await cluster.StartAgainAsync();
        await AssertRecoveredAsync(server, stored);
    }
}
