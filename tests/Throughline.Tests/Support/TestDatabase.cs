using Npgsql;
using Throughline.Storage;

namespace Throughline.Tests.Support;

/// <summary>A fresh database for one test: a SQLite file in a temp folder, or a PostgreSQL database of its own.</summary>
/// <remarks>
/// PostgreSQL comes from THROUGHLINE_TEST_POSTGRES (./test.sh starts one). When it is not set the
/// PostgreSQL rows skip on a developer's machine and fail under ./test.sh or CI, so nothing passes silently.
/// </remarks>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    private const string ServerVariable = "THROUGHLINE_TEST_POSTGRES";

    private readonly string? _folder;
    private readonly string? _postgresName;
    private readonly string? _adminConnection;

    private TestDatabase(string provider, string database, string? folder, string? postgresName, string? adminConnection)
    {
        Provider = provider;
        Database = database;
        _folder = folder;
        _postgresName = postgresName;
        _adminConnection = adminConnection;
    }

    /// <summary>Both engines, for storage theories: <c>[Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]</c>.</summary>
    public static TheoryData<string> Providers => new(Sqlite, Postgres);

    public string Provider { get; }

    /// <summary>The value a user would pass as <c>--db</c>.</summary>
    public string Database { get; }

    public static async Task<TestDatabase> CreateAsync(string provider)
    {
        if (provider == Sqlite)
        {
            var folder = Directory.CreateTempSubdirectory("throughline-test-").FullName;
            return new TestDatabase(provider, Path.Combine(folder, "throughline.db"), folder, null, null);
        }

        var server = Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            Unavailable($"{ServerVariable} is not set: PostgreSQL tests cannot run. Run ./test.sh, which starts a PostgreSQL server and sets it.");
        }

        var name = "throughline_test_" + Guid.NewGuid().ToString("N")[..16];
        var admin = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString;
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var database = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        return new TestDatabase(provider, database, null, name, admin);
    }

    /// <summary>True under ./test.sh and CI: a missing dependency fails the test instead of skipping it.</summary>
    /// <summary>Fails under ./test.sh and CI, skips on a laptop: for a test whose tool or privilege is missing here.</summary>
    public static void Unavailable(string why)
    {
        if (MustRunEverything)
        {
            throw new InvalidOperationException(why);
        }

        Assert.Skip(why);
    }

    public static bool MustRunEverything =>
        Environment.GetEnvironmentVariable("THROUGHLINE_TEST_REQUIRE_ALL") == "1"
        || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Opens and migrates the store the way the product does.</summary>
    public Task<IEventStore> OpenStoreAsync() => EventStoreFactory.OpenAsync(Database, TestContext.Current.CancellationToken);

    /// <summary>Opens a plain connection to the database, past the store (to look at what it really holds, or to try what it refuses).</summary>
    public async Task<System.Data.Common.DbConnection> ConnectAsync()
    {
        System.Data.Common.DbConnection connection = Provider == Sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Database}")
            : new NpgsqlConnection(Database);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    /// <summary>Every value of every row of every table, as text: what someone who copied the database file would read.</summary>
    public async Task<IReadOnlyList<string>> EverythingStoredAsync()
    {
        await using var connection = await ConnectAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = Provider == Sqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'table'"
                : "SELECT tablename FROM pg_tables WHERE schemaname = 'public'";
            await using var reader = await list.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }

        var values = new List<string>();
        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM {table}";
            await using var reader = await select.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                for (var column = 0; column < reader.FieldCount; column++)
                {
                    values.Add(reader.IsDBNull(column) ? "" : reader.GetValue(column) is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : Convert.ToString(reader.GetValue(column), System.Globalization.CultureInfo.InvariantCulture)!);
                }
            }
        }

        Assert.Contains("tokens", tables);
        return values;
    }

    public async ValueTask DisposeAsync()
    {
        if (_folder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
        }

        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_adminConnection);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
