using System.Data;
using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Throughline.Storage.Postgres;

/// <summary>The event store on a PostgreSQL server, for several Throughline nodes sharing one database.</summary>
/// <remarks>
/// A batch is acknowledged after its transaction commits, so durability follows the server's
/// <c>synchronous_commit</c> setting (on by default). Migrations take a transaction-scoped advisory
/// lock, so nodes starting together migrate once.
/// </remarks>
internal sealed class PostgresEventStore : SqlEventStore
{
    private const long MigrationLockKey = 0x7468726f756768; // "through" in ASCII: one key for every Throughline database.
    private const int MaxDeadlockAttempts = 5;

    /// <summary>Batches smaller than this go row by row: for a few rows the temporary table costs more than it saves.</summary>
    private const int CopyFromRows = 32;

    private static readonly string Columns = string.Join(", ", InsertColumns.Select(c => c.Name));

    private static readonly string CreateIncoming =
        $"CREATE TEMP TABLE IF NOT EXISTS incoming_events (ord INTEGER, {string.Join(", ", InsertColumns.Select(c => c.Name + " " + SqlType(c.Type)))}) " +
        "ON COMMIT DELETE ROWS";

    private static readonly string CopyIncoming = $"COPY incoming_events (ord, {Columns}) FROM STDIN (FORMAT BINARY)";

    private static readonly string InsertIncoming =
        $"INSERT INTO events ({Columns}) SELECT {Columns} FROM incoming_events ORDER BY ord ON CONFLICT (source, event_id) DO NOTHING";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _description;

    /// <summary>Uses the database named by <paramref name="connectionString"/> (Npgsql keyword form).</summary>
    public PostgresEventStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        _description = $"postgres://{builder.Host}:{builder.Port}/{builder.Database}";
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    /// <inheritdoc />
    public override string Provider => "postgres";

    /// <inheritdoc />
    public override string Description => _description;

    /// <inheritdoc />
    protected override IReadOnlyList<Migration> Migrations => PostgresMigrations.All;

    /// <inheritdoc />
    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    /// <inheritdoc />
    protected override async Task LockForMigrationAsync(DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_advisory_xact_lock({MigrationLockKey})";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// From the current snapshot: its oldest transaction still running (<c>xmin</c>) and the first not yet begun
    /// (<c>xmax</c>), as 64-bit transaction ids that never wrap. Every insert into <c>events</c> has its transaction id before
    /// it takes a sequence number (migration 6's statement trigger), so a writer holding a number a reader skipped began
    /// before that reader's next look at the writers.
    /// </remarks>
    public override async Task<StoreWriters> WritersAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT pg_snapshot_xmin(s)::text::bigint, pg_snapshot_xmax(s)::text::bigint FROM pg_current_snapshot() AS s";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new StoreWriters(reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <inheritdoc />
    /// <remarks>Two batches that hold the same new ids in different orders can deadlock; the server aborts one, which is retried.</remarks>
    protected override async Task<T> WriteAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await work();
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < MaxDeadlockAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt), cancellationToken);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// The rows go to a temporary table in one binary COPY, then into <c>events</c> with one INSERT … SELECT … ON CONFLICT
    /// DO NOTHING in their order: two statements for a whole batch, where an INSERT per row cost a round trip each (or a
    /// parse and plan each, sent as a batch). Below <see cref="CopyFromRows"/> rows, one INSERT per row.
    /// </remarks>
    protected override async Task<int> InsertRowsAsync(DbTransaction transaction, IReadOnlyList<object[]> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count < CopyFromRows)
        {
            return await base.InsertRowsAsync(transaction, rows, cancellationToken);
        }

        var connection = (NpgsqlConnection)transaction.Connection!;
        await ExecuteAsync(connection, transaction, CreateIncoming, cancellationToken);
        await using (var copy = await connection.BeginBinaryImportAsync(CopyIncoming, cancellationToken))
        {
            for (var row = 0; row < rows.Count; row++)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(row, NpgsqlDbType.Integer, cancellationToken);
                for (var column = 0; column < InsertColumns.Length; column++)
                {
                    if (rows[row][column] is DBNull)
                    {
                        await copy.WriteNullAsync(cancellationToken);
                    }
                    else
                    {
                        await copy.WriteAsync(rows[row][column], CopyType(InsertColumns[column].Type), cancellationToken);
                    }
                }
            }

            await copy.CompleteAsync(cancellationToken);
        }

        var accepted = await ExecuteAsync(connection, transaction, InsertIncoming, cancellationToken);
        await ExecuteAsync(connection, transaction, "TRUNCATE incoming_events", cancellationToken);
        return accepted;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = (NpgsqlTransaction)transaction;
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string SqlType(DbType type) => type switch
    {
        DbType.Int64 => "BIGINT",
        DbType.Boolean => "BOOLEAN",
        _ => "TEXT",
    };

    private static NpgsqlDbType CopyType(DbType type) => type switch
    {
        DbType.Int64 => NpgsqlDbType.Bigint,
        DbType.Boolean => NpgsqlDbType.Boolean,
        _ => NpgsqlDbType.Text,
    };

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await base.DisposeAsync();
    }
}
