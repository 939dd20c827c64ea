using System.Data.Common;
using Microsoft.Data.Sqlite;
using static SQLitePCL.raw;

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

    /// <summary>Below this much free space on the file's disk the store says it cannot take writes: a batch may need that much.</summary>
    private const long MinimumFreeBytes = 4 * 1024 * 1024;
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
    public override async Task CheckWritableAsync(CancellationToken cancellationToken)
    {
        await base.CheckWritableAsync(cancellationToken);
        var free = new DriveInfo(Path.GetDirectoryName(_path)!).AvailableFreeSpace;
        if (free < MinimumFreeBytes)
        {
            throw new SqliteException($"The disk holding {_path} has {free:N0} bytes free, less than {MinimumFreeBytes:N0}: writes would fail.", SQLITE_FULL);
        }
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
        catch (SqliteException exception) when (exception.SqliteErrorCode is SQLITE_READONLY or SQLITE_CANTOPEN or SQLITE_IOERR)
        {
            // A connection SQLite opened while the file could not be written is read-only for good: the pooled ones go, so
            // that writes work again as soon as the file does, without a restart.
            ClearPool();
            throw;
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
        ClearPool();
        return base.DisposeAsync();
    }

    private void ClearPool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
