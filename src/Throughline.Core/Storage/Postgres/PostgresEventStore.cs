using System.Data.Common;
using Npgsql;

namespace Throughline.Storage.Postgres;

/// <summary>The event store on a PostgreSQL server, for several Throughline nodes sharing one database.</summary>
/// <remarks>
/// A batch is acknowledged after its transaction commits, so durability follows the server's
/// <c>synchronous_commit</c> setting (on by default). Migrations take a transaction-scoped advisory
/// lock, so nodes starting together migrate once.
/// </remarks>
public sealed class PostgresEventStore : SqlEventStore
{
    private const long MigrationLockKey = 0x7468726f756768; // "through" in ASCII: one key for every Throughline database.
    private const int MaxDeadlockAttempts = 5;
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
    public override async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await base.DisposeAsync();
    }
}
