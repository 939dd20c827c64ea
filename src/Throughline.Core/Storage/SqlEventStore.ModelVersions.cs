using System.Data.Common;

namespace Throughline.Storage;

/// <summary>The versions of the operating model the server put in force, oldest first.</summary>
internal abstract partial class SqlEventStore
{
    private const string ModelVersionColumns = "n, hash, effective_at_us, origin";

    /// <inheritdoc />
    public Task<ModelVersionResult> RecordModelVersionAsync(string yaml, string hash, DateTimeOffset effectiveAt, string origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(origin);
        return WriteAsync(() => InsertModelVersionAsync(yaml, hash, effectiveAt, origin, cancellationToken), cancellationToken);
    }

    private async Task<ModelVersionResult> InsertModelVersionAsync(string yaml, string hash, DateTimeOffset effectiveAt, string origin, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The same lock as migrations: two nodes recording at once must not both add the same content after the latest.
        await LockForMigrationAsync(transaction, cancellationToken);
        var latest = await ReadModelVersionsAsync(connection, transaction, $"SELECT {ModelVersionColumns} FROM model_versions ORDER BY n DESC LIMIT 1", cancellationToken);
        if (latest.Count == 1 && latest[0].Hash == hash)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new ModelVersionResult(latest[0], false);
        }

        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO model_versions (hash, effective_at_us, origin, yaml) VALUES (@hash, @at, @origin, @yaml) RETURNING n";
        AddParameter(insert, "@hash", hash);
        AddParameter(insert, "@at", ToMicroseconds(effectiveAt));
        AddParameter(insert, "@origin", origin);
        AddParameter(insert, "@yaml", yaml);
        var number = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        await transaction.CommitAsync(cancellationToken);
        return new ModelVersionResult(new ModelVersion(number, hash, FromMicroseconds(ToMicroseconds(effectiveAt)), origin), true);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ModelVersion>> ListModelVersionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await ReadModelVersionsAsync(connection, null, $"SELECT {ModelVersionColumns} FROM model_versions ORDER BY n", cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ModelVersion?> LatestModelVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var latest = await ReadModelVersionsAsync(connection, null, $"SELECT {ModelVersionColumns} FROM model_versions ORDER BY n DESC LIMIT 1", cancellationToken);
        return latest.Count == 1 ? latest[0] : null;
    }

    /// <inheritdoc />
    public async Task<StoredModelVersion?> FindModelVersionAsync(long number, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ModelVersionColumns}, yaml FROM model_versions WHERE n = @n";
        AddParameter(command, "@n", number);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new StoredModelVersion(ReadModelVersion(reader), reader.GetString(4)) : null;
    }

    private static async Task<IReadOnlyList<ModelVersion>> ReadModelVersionsAsync(
        DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var versions = new List<ModelVersion>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(ReadModelVersion(reader));
        }

        return versions;
    }

    private static ModelVersion ReadModelVersion(DbDataReader reader) =>
        new(reader.GetInt64(0), reader.GetString(1), FromMicroseconds(reader.GetInt64(2)), reader.GetString(3));
}
