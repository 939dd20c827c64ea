using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Throughline.Tests.Support;

/// <summary>A PostgreSQL server of the test's own (initdb and pg_ctl in a temp folder, on a free port of 127.0.0.1), which it may stop and start.</summary>
/// <remarks>
/// The server ./test.sh starts is shared by every test, so a test that stops its database needs one of its own. Debian's
/// <c>postgresql</c> package provides the binaries (./test.sh installs it); they run as the <c>postgres</c> user when this run is root.
/// Without them the test skips on a laptop and fails under ./test.sh or CI.
/// </remarks>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _folder;

    private PostgresCluster(string bin, string folder, int port)
    {
        _bin = bin;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>A connection string to <paramref name="database"/> on this server, as a user would pass it to <c>--db</c>.</summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database }.ConnectionString;

    /// <summary>Creates the cluster and starts it.</summary>
    public static async Task<PostgresCluster> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderBy(b => b, StringComparer.Ordinal).LastOrDefault()
            : null;
        if (bin is null)
        {
            TestDatabase.Unavailable("No PostgreSQL server binaries under /usr/lib/postgresql: install Debian's postgresql package (./test.sh does).");
        }

        var folder = Directory.CreateTempSubdirectory("throughline-pg-").FullName;
        var cluster = new PostgresCluster(bin!, folder, FreePort());
        await cluster.OwnAsync(folder);
        var (exitCode, output) = await cluster.AsPostgresAsync("initdb", "-D", cluster.Data, "-A", "trust", "-U", "postgres");
        if (exitCode != 0)
        {
            await cluster.DisposeAsync();
            TestDatabase.Unavailable($"initdb failed: {output}");
        }

        await cluster.StartAgainAsync();
        return cluster;
    }

    private string Data => Path.Combine(_folder, "data");

    /// <summary>Stops the server as an operator would (<c>pg_ctl stop -m fast</c>): every connection is cut.</summary>
    public async Task StopAsync()
    {
        var (exitCode, output) = await AsPostgresAsync("pg_ctl", "-D", Data, "-m", "fast", "-w", "stop");
        Assert.True(exitCode == 0, output);
    }

    /// <summary>Starts the server (again), on the same port.</summary>
    public async Task StartAgainAsync()
    {
        var (exitCode, output) = await AsPostgresAsync(
            "pg_ctl", "-D", Data, "-l", Path.Combine(_folder, "server.log"), "-w", "-o",
            $"-c listen_addresses=127.0.0.1 -p {Port} -k {_folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start");
        Assert.True(exitCode == 0, output + (File.Exists(Path.Combine(_folder, "server.log")) ? File.ReadAllText(Path.Combine(_folder, "server.log")) : ""));
    }

    /// <summary>Runs SQL as the superuser in database <paramref name="database"/>.</summary>
    public async Task ExecuteAsync(string sql, string database = "postgres")
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString(database)) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Makes <paramref name="folder"/> the server's to write in (a tablespace on a <see cref="SmallDisk"/>).</summary>
    public async Task OwnAsync(string folder)
    {
        if (SystemCommand.IsRoot)
        {
            var (exitCode, output) = await SystemCommand.RunAsync("chown", ["postgres", folder]);
            Assert.True(exitCode == 0, output);
        }
    }

    private Task<(int ExitCode, string Output)> AsPostgresAsync(string program, params string[] arguments) =>
        SystemCommand.IsRoot
            ? SystemCommand.RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, program), .. arguments])
            : SystemCommand.RunAsync(Path.Combine(_bin, program), arguments);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await AsPostgresAsync("pg_ctl", "-D", Data, "-m", "immediate", "-w", "stop");
        Directory.Delete(_folder, recursive: true);
    }
}
