using System.Data;
using System.Data.Common;

namespace Throughline.Storage;

/// <summary>The event store over an ADO.NET provider; each engine supplies connections and its migrations.</summary>
/// <remarks>
/// Times are stored as microseconds since the Unix epoch (UTC) in 64-bit integers on every engine, so
/// the same SQL and the same ordering hold on SQLite and PostgreSQL.
/// </remarks>
internal abstract partial class SqlEventStore : IEventStore
{
    /// <summary>The columns an insert fills, in order, with their types: one list for every insert path.</summary>
    protected static readonly (string Name, DbType Type)[] InsertColumns =
    [
        ("source", DbType.String), ("event_id", DbType.String), ("type", DbType.String), ("subject_id", DbType.String),
        ("occurred_at_us", DbType.Int64), ("received_at_us", DbType.Int64), ("spec_version", DbType.String), ("mapped", DbType.Boolean),
        ("origin", DbType.String), ("payload", DbType.String), ("envelope", DbType.String), ("delivery_seq", DbType.Int64),
    ];

    private static readonly string InsertSql = Insert(InsertColumns.Select(c => "@" + c.Name));

    private const string SelectColumns = StoredRows.EventColumns;

    /// <inheritdoc />
    public abstract string Provider { get; }

    /// <inheritdoc />
    public abstract string Description { get; }

    /// <summary>The provider's schema steps, in version order.</summary>
    protected abstract IReadOnlyList<Migration> Migrations { get; }

    /// <summary>Opens a connection ready for use (engine settings applied).</summary>
    protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Takes the engine's lock that keeps two processes from migrating at once, inside <paramref name="transaction"/>.</summary>
    protected abstract Task LockForMigrationAsync(DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> as the only writer when the engine needs writers serialised.</summary>
    protected virtual Task<T> WriteAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken) => work();

    /// <inheritdoc />
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockForMigrationAsync(transaction, cancellationToken);
        await using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText =
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_us BIGINT NOT NULL)";
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var current = await ScalarAsync<long?>(connection, transaction, "SELECT MAX(version) FROM schema_migrations", cancellationToken) ?? 0;
        var newest = Migrations.Count == 0 ? 0 : Migrations[^1].Version;
        if (current > newest)
        {
            throw new InvalidOperationException(
                $"The database {Description} has schema version {current}, newer than this Throughline knows ({newest}); run a newer Throughline.");
        }

        foreach (var migration in Migrations.Where(m => m.Version > current))
        {
            await using var step = connection.CreateCommand();
            step.Transaction = transaction;
            step.CommandText = migration.Sql;
            await step.ExecuteNonQueryAsync(cancellationToken);

            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at_us) VALUES (@version, @name, @at)";
            AddParameter(record, "@version", migration.Version);
            AddParameter(record, "@name", migration.Name);
            AddParameter(record, "@at", ToMicroseconds(DateTimeOffset.UtcNow));
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return newest;
    }

    /// <inheritdoc />
    public Task<AppendResult> AppendAsync(IReadOnlyList<EventDraft> events, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return Task.FromResult(new AppendResult(0, 0));
        }

        return WriteAsync(() => InsertAsync(events, receivedAt, cancellationToken), cancellationToken);
    }

    private async Task<AppendResult> InsertAsync(IReadOnlyList<EventDraft> events, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var accepted = await InsertEventsAsync(transaction, events, receivedAt, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AppendResult(accepted, events.Count - accepted);
    }

    /// <summary>Inserts <paramref name="events"/> inside <paramref name="transaction"/>, skipping those already held.</summary>
    /// <returns>How many were newly stored.</returns>
    private Task<int> InsertEventsAsync(
        DbTransaction transaction, IReadOnlyList<EventDraft> events, DateTimeOffset receivedAt, long? deliverySequence, CancellationToken cancellationToken) =>
        events.Count == 0
            ? Task.FromResult(0)
            : InsertRowsAsync(transaction, [.. events.Select(e => Values(e, ToMicroseconds(receivedAt), deliverySequence))], cancellationToken);

    /// <summary>
    /// Inserts rows of <see cref="InsertColumns"/> values inside <paramref name="transaction"/>, skipping events already
    /// held (same source and id, also within the rows), in order; returns how many were stored. This one runs one
    /// prepared INSERT per row, which an embedded engine does at memory speed; a server engine overrides it with one
    /// round trip for all of them.
    /// </summary>
    protected virtual async Task<int> InsertRowsAsync(DbTransaction transaction, IReadOnlyList<object[]> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(rows);
        await using var insert = transaction.Connection!.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = InsertSql;
        var parameters = InsertColumns.Select(c => AddParameter(insert, "@" + c.Name, c.Type)).ToArray();
        await insert.PrepareAsync(cancellationToken);
        var accepted = 0;
        foreach (var values in rows)
        {
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i];
            }

            accepted += await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        return accepted;
    }

    private static string Insert(IEnumerable<string> placeholders) =>
        $"INSERT INTO events ({string.Join(", ", InsertColumns.Select(c => c.Name))}) VALUES ({string.Join(", ", placeholders)}) " +
        "ON CONFLICT (source, event_id) DO NOTHING";

    /// <summary>One event's values in <see cref="InsertColumns"/> order, nulls as <see cref="DBNull"/>.</summary>
    private static object[] Values(EventDraft draft, long receivedAt, long? deliverySequence) =>
    [
        draft.Source, draft.Id, draft.Type, (object?)draft.SubjectId ?? DBNull.Value, ToMicroseconds(draft.Timestamp), receivedAt,
        (object?)draft.SpecVersion ?? DBNull.Value, draft.Mapped, draft.Origin, draft.Payload, (object?)draft.Envelope ?? DBNull.Value,
        (object?)deliverySequence ?? DBNull.Value,
    ];

    /// <inheritdoc />
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await ScalarAsync<long?>(connection, null, "SELECT COUNT(*) FROM events", cancellationToken) ?? 0;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredEvent>> ListNewestAsync(int limit, CancellationToken cancellationToken) =>
        SelectAsync($"SELECT {SelectColumns} FROM events ORDER BY seq DESC LIMIT @limit", null, limit, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredEvent>> ReadAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
        SelectAsync($"SELECT {SelectColumns} FROM events WHERE seq > @after ORDER BY seq LIMIT @limit", afterSequence, limit, cancellationToken);

    /// <inheritdoc />
    /// <remarks>SQLite's writers take turns: <see cref="StoreWriters.None"/>.</remarks>
    public virtual Task<StoreWriters> WritersAsync(CancellationToken cancellationToken) => Task.FromResult(StoreWriters.None);

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredEvent>> ReadSequencesAsync(IReadOnlyCollection<long> sequences, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var found = new List<StoredEvent>();
        foreach (var chunk in sequences.Order().Chunk(500))
        {
            await using var connection = await OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            var names = new List<string>(chunk.Length);
            for (var i = 0; i < chunk.Length; i++)
            {
                names.Add("@s" + i);
                AddParameter(command, "@s" + i, chunk[i]);
            }

            command.CommandText = $"SELECT {SelectColumns} FROM events WHERE seq IN ({string.Join(", ", names)}) ORDER BY seq";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                found.Add(ReadEvent(reader));
            }
        }

        return found;
    }

    private async Task<IReadOnlyList<StoredEvent>> SelectAsync(string sql, long? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (after is { } afterSequence)
        {
            AddParameter(command, "@after", afterSequence);
        }

        AddParameter(command, "@limit", limit);
        var items = new List<StoredEvent>(Math.Min(limit, 1024));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(ReadEvent(reader));
        }

        return items;
    }

    /// <inheritdoc />
    public async Task<StoredEvent?> FindAsync(long sequence, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SelectColumns} FROM events WHERE seq = @seq";
        AddParameter(command, "@seq", sequence);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadEvent(reader) : null;
    }

    /// <inheritdoc />
    public virtual Task CheckWritableAsync(CancellationToken cancellationToken) => WriteAsync(async () =>
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var write = connection.CreateCommand())
        {
            write.Transaction = transaction;
            write.CommandText = "UPDATE schema_migrations SET name = name WHERE version < 0"; // refused when read-only, changes no row
            await write.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.RollbackAsync(cancellationToken);
        return true;
    }, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    private static StoredEvent ReadEvent(DbDataReader reader) => StoredRows.ReadEvent(reader);

    /// <summary>Runs a query that returns one value.</summary>
    protected static async Task<T?> ScalarAsync<T>(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync(cancellationToken);
        if (value is null or DBNull)
        {
            return default;
        }

        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)Convert.ChangeType(value, target, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static DbParameter AddParameter(DbCommand command, string name, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>Microseconds since the Unix epoch, UTC.</summary>
    public static long ToMicroseconds(DateTimeOffset time) => (time.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;

    /// <summary>The UTC time at <paramref name="microseconds"/> since the Unix epoch.</summary>
    public static DateTimeOffset FromMicroseconds(long microseconds) =>
        new(DateTime.UnixEpoch.Ticks + (microseconds * 10), TimeSpan.Zero);
}
