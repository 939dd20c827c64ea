using System.Data;
using System.Data.Common;
using System.Text;

namespace Throughline.Storage;

/// <summary>Webhook deliveries: kept verbatim, each with the events translated from it.</summary>
/// <remarks>
/// The body is stored byte for byte in <c>body_bytes</c> (BLOB, BYTEA; migration 5), and <c>body</c> is left empty: a text
/// column cannot hold bytes that are not UTF-8, and PostgreSQL's cannot hold a NUL at all. Deliveries stored before
/// migration 5 have only <c>body</c>, the UTF-8 text they were kept as; they read back as its bytes.
/// </remarks>
internal abstract partial class SqlEventStore
{
    private const string DeliveryColumns = "seq, tool_id, delivery_id, kind, received_at_us, headers, body, body_bytes";

    /// <inheritdoc />
    public Task<DeliveryResult> AppendDeliveryAsync(DeliveryDraft delivery, IReadOnlyList<EventDraft> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(events);
        return WriteAsync(() => InsertDeliveryAsync(delivery, events, cancellationToken), cancellationToken);
    }

    private async Task<DeliveryResult> InsertDeliveryAsync(DeliveryDraft delivery, IReadOnlyList<EventDraft> events, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText =
            "INSERT INTO deliveries (tool_id, delivery_id, kind, received_at_us, headers, body, body_bytes) " +
            "VALUES (@tool_id, @delivery_id, @kind, @received_at_us, @headers, '', @body_bytes) " +
            "ON CONFLICT (tool_id, delivery_id) DO NOTHING RETURNING seq";
        AddParameter(insert, "@tool_id", delivery.ToolId);
        AddParameter(insert, "@delivery_id", delivery.DeliveryId);
        AddParameter(insert, "@kind", delivery.Kind);
        AddParameter(insert, "@received_at_us", ToMicroseconds(delivery.ReceivedAt));
        AddParameter(insert, "@headers", delivery.Headers);
        AddParameter(insert, "@body_bytes", delivery.Body.ToArray());
        var inserted = await insert.ExecuteScalarAsync(cancellationToken);
        if (inserted is null or DBNull)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new DeliveryResult(true, null, 0);
        }

        var sequence = Convert.ToInt64(inserted, System.Globalization.CultureInfo.InvariantCulture);
        var accepted = await InsertEventsAsync(transaction, events, delivery.ReceivedAt, sequence, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new DeliveryResult(false, sequence, accepted);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredDelivery>> ListDeliveriesAsync(long afterSequence, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {DeliveryColumns} FROM deliveries WHERE seq > @after ORDER BY seq LIMIT @limit";
        AddParameter(command, "@after", afterSequence);
        AddParameter(command, "@limit", limit);
        var items = new List<StoredDelivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var body = reader.IsDBNull(7) ? Encoding.UTF8.GetBytes(reader.GetString(6)) : reader.GetFieldValue<byte[]>(7);
            items.Add(new StoredDelivery(
                reader.GetInt64(0),
                new DeliveryDraft(reader.GetString(1), reader.GetString(2), reader.GetString(3), FromMicroseconds(reader.GetInt64(4)), reader.GetString(5), body)));
        }

        return items;
    }

    /// <inheritdoc />
    public async Task<long> CountDeliveriesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await ScalarAsync<long?>(connection, null, "SELECT COUNT(*) FROM deliveries", cancellationToken) ?? 0;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredEvent>> ListDeliveryEventsAsync(long deliverySequence, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await ReadDeliveryEventsAsync(connection, null, deliverySequence, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> ReplaceTranslationAsync(StoredDelivery delivery, IReadOnlyList<EventDraft> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(events);
        return WriteAsync(() => ReplaceAsync(delivery, events, cancellationToken), cancellationToken);
    }

    private async Task<bool> ReplaceAsync(StoredDelivery delivery, IReadOnlyList<EventDraft> events, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var stored = await ReadDeliveryEventsAsync(connection, transaction, delivery.Sequence, cancellationToken);
        if (SameTranslation(stored, events))
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        await using (var delete = connection.CreateCommand())
        {
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM events WHERE delivery_seq = @delivery_seq";
            AddParameter(delete, "@delivery_seq", delivery.Sequence);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await InsertEventsAsync(transaction, events, delivery.Delivery.ReceivedAt, delivery.Sequence, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static bool SameTranslation(IReadOnlyList<StoredEvent> stored, IReadOnlyList<EventDraft> events) =>
        stored.Count == events.Count
        && stored.Zip(events).All(pair =>
            pair.First.Event.Source == pair.Second.Source
            && pair.First.Event.Id == pair.Second.Id
            && pair.First.Event.Type == pair.Second.Type
            && pair.First.Event.Mapped == pair.Second.Mapped
            && pair.First.Event.Payload == pair.Second.Payload);

    private static async Task<IReadOnlyList<StoredEvent>> ReadDeliveryEventsAsync(
        DbConnection connection, DbTransaction? transaction, long deliverySequence, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {SelectColumns} FROM events WHERE delivery_seq = @delivery_seq ORDER BY seq";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@delivery_seq";
        parameter.DbType = DbType.Int64;
        parameter.Value = deliverySequence;
        command.Parameters.Add(parameter);
        var items = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(ReadEvent(reader));
        }

        return items;
    }
}
