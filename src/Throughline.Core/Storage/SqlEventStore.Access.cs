using System.Data.Common;

namespace Throughline.Storage;

/// <summary>API tokens (hashes only) and the append-only audit log.</summary>
internal abstract partial class SqlEventStore
{
    private const string TokenColumns = "id, name, role, sources, created_at_us, created_by, expires_at_us, revoked_at_us, hash";
    private const string AuditColumns = "seq, at_us, actor, action, what, from_addr, outcome";

    /// <inheritdoc />
    public Task<bool> AddTokenAsync(StoredToken token, byte[] hash, bool onlyIfFirst, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(hash);
        return WriteAsync(() => InsertTokenAsync(token, hash, onlyIfFirst, cancellationToken), cancellationToken);
    }

    private async Task<bool> InsertTokenAsync(StoredToken token, byte[] hash, bool onlyIfFirst, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Serialised like migrations: two nodes starting on one empty database create one first admin token between them.
        await LockForMigrationAsync(transaction, cancellationToken);
        await using var existing = connection.CreateCommand();
        existing.Transaction = transaction;
        existing.CommandText = onlyIfFirst ? "SELECT COUNT(*) FROM tokens" : "SELECT COUNT(*) FROM tokens WHERE id = @id";
        AddParameter(existing, "@id", token.Id);
        if (Convert.ToInt64(await existing.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO tokens (id, name, role, sources, created_at_us, created_by, expires_at_us, revoked_at_us, hash)
            VALUES (@id, @name, @role, @sources, @created, @by, @expires, NULL, @hash)
            """;
        AddParameter(insert, "@id", token.Id);
        AddParameter(insert, "@name", token.Name);
        AddParameter(insert, "@role", token.Role);
        AddParameter(insert, "@sources", string.Join('\n', token.Sources));
        AddParameter(insert, "@created", ToMicroseconds(token.CreatedAt));
        AddParameter(insert, "@by", token.CreatedBy);
        AddParameter(insert, "@expires", token.ExpiresAt is { } expires ? ToMicroseconds(expires) : DBNull.Value);
        AddParameter(insert, "@hash", Convert.ToHexStringLower(hash));
        await insert.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <inheritdoc />
    public async Task<StoredTokenHash?> FindTokenAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {TokenColumns} FROM tokens WHERE id = @id";
        AddParameter(command, "@id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new StoredTokenHash(ReadToken(reader), Convert.FromHexString(reader.GetString(8))) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredToken>> ListTokensAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {TokenColumns} FROM tokens ORDER BY created_at_us, id";
        var tokens = new List<StoredToken>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tokens.Add(ReadToken(reader));
        }

        return tokens;
    }

    /// <inheritdoc />
    public Task<bool> RevokeTokenAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync(async () =>
        {
            await using var connection = await OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE tokens SET revoked_at_us = @at WHERE id = @id AND revoked_at_us IS NULL";
            AddParameter(command, "@id", id);
            AddParameter(command, "@at", ToMicroseconds(at));
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    private static StoredToken ReadToken(DbDataReader reader) => new(
        Id: reader.GetString(0),
        Name: reader.GetString(1),
        Role: reader.GetString(2),
        Sources: reader.GetString(3).Split('\n', StringSplitOptions.RemoveEmptyEntries),
        CreatedAt: FromMicroseconds(reader.GetInt64(4)),
        CreatedBy: reader.GetString(5),
        ExpiresAt: reader.IsDBNull(6) ? null : FromMicroseconds(reader.GetInt64(6)),
        RevokedAt: reader.IsDBNull(7) ? null : FromMicroseconds(reader.GetInt64(7)));

    /// <inheritdoc />
    public Task<long> AppendAuditAsync(AuditDraft entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return WriteAsync(async () =>
        {
            await using var connection = await OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO audit (at_us, actor, action, what, from_addr, outcome) VALUES (@at, @actor, @action, @what, @from, @outcome) RETURNING seq";
            AddParameter(command, "@at", ToMicroseconds(entry.At));
            AddParameter(command, "@actor", entry.Actor);
            AddParameter(command, "@action", entry.Action);
            AddParameter(command, "@what", entry.What);
            AddParameter(command, "@from", entry.From);
            AddParameter(command, "@outcome", entry.Outcome);
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(long beforeSequence, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {AuditColumns} FROM audit WHERE seq < @before ORDER BY seq DESC LIMIT @limit";
        AddParameter(command, "@before", beforeSequence);
        AddParameter(command, "@limit", limit);
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry(reader.GetInt64(0), new AuditDraft(
                FromMicroseconds(reader.GetInt64(1)), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6))));
        }

        return entries;
    }
}
