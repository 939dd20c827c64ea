using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Throughline.Storage.Sqlite;

/// <summary>The event store in one SQLite file: the embedded default, nothing to install.</summary>
/// <remarks>
/// The file runs in WAL mode with <c>synchronous=FULL</c>, so a batch is on disk when
/// <see cref="IEventStore.AppendAsync"/> returns and a crash or kill loses no acknowledged event. SQLite
/// allows one writer at a time; this class serialises writers in-process and waits up to
/// <see cref="BusyTimeoutMilliseconds"/> for writers in other processes.
/// </remarks>
internal sealed class SqliteEventStore : SqlEventStore
{
    private const int BusyTimeoutMilliseconds = 10_000;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly string _connectionString;
    private readonly string _path;

    /// <summary>Uses (and creates when missing) the SQLite file at <paramref name="path"/>.</summary>
    public SqliteEventStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();
    }

    /// <inheritdoc />
    public override string Provider => "sqlite";

    /// <inheritdoc />
    public override string Description => _path;

    /// <inheritdoc />
    protected override IReadOnlyList<Migration> Migrations => SqliteMigrations.All;

    /// <inheritdoc />
    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(_path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragmas = connection.CreateCommand();
        pragmas.CommandText =
            $"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout={BusyTimeoutMilliseconds};";
        await pragmas.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <inheritdoc />
    protected override Task LockForMigrationAsync(DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask; // Microsoft.Data.Sqlite begins transactions IMMEDIATE: the write lock is already held.

    /// <inheritdoc />
    protected override async Task<T> WriteAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            return await work();
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        _writer.Dispose();
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        return base.DisposeAsync();
    }
}
