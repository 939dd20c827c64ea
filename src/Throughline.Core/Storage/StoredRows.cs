using System.Data.Common;

namespace Throughline.Storage;

/// <summary>A stored event that cannot be read as an event: where it is and why.</summary>
/// <param name="Sequence">Its position in the store.</param>
/// <param name="Reason">What is wrong with it, naming the column (and the field of the payload) at fault.</param>
public sealed record UnreadableEvent(long Sequence, string Reason)
{
    /// <summary>The row as one line: <c>event 12: payload: ...</c>.</summary>
    public override string ToString() => $"event {Sequence}: {Reason}";
}

/// <summary>Reads a stored event row whatever bytes it holds: the one rule every reader of stored events follows.</summary>
/// <remarks>
/// <para>Intake stores only events that pass its checks, but a store can hold rows it never wrote: written by hand or by
/// another program, restored from a damaged backup, or stored by an older Throughline with looser checks. Such a row must
/// not break every reader that meets it, forever. So a row is read column by column; a column that cannot be read, a
/// payload or envelope that is not JSON every reader can read (<see cref="JsonText"/>), marks the row
/// <see cref="StoredEvent.Unreadable"/> with the reason, and the row is still returned with what could be read.</para>
/// <para>Every reader then does the same with it: reports it (<see cref="UnreadableEvent"/>) and skips it. The HTTP API
/// lists it apart from the events, the timeline counts it and leaves it out, <c>rebuild</c> and <c>report</c> print it.
/// <c>GET /api/events/{n}/raw</c> still gives its payload as stored.</para>
/// </remarks>
public static class StoredRows
{
    private static readonly long MinMicroseconds = SqlEventStore.ToMicroseconds(DateTimeOffset.MinValue);
    private static readonly long MaxMicroseconds = SqlEventStore.ToMicroseconds(DateTimeOffset.MaxValue);

    /// <summary>The columns <see cref="ReadEvent"/> reads, in order.</summary>
    internal const string EventColumns =
        "seq, source, event_id, type, subject_id, occurred_at_us, received_at_us, spec_version, mapped, origin, payload, envelope, delivery_seq";

    /// <summary>Reads the current row of <paramref name="reader"/> (columns as <see cref="EventColumns"/>); never throws for what the row holds.</summary>
    internal static StoredEvent ReadEvent(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        StoredEvent stored;
        try
        {
            var draft = new EventDraft(
                reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), Time(reader.GetInt64(5)),
                reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetBoolean(8), reader.GetString(9), reader.GetString(10),
                reader.IsDBNull(11) ? null : reader.GetString(11));
            stored = new StoredEvent(reader.GetInt64(0), Time(reader.GetInt64(6)), draft, reader.IsDBNull(12) ? null : reader.GetInt64(12));
        }
        catch (Exception exception) when (IsUnreadableColumn(exception))
        {
            return ReadColumnByColumn(reader);
        }

        return Check(stored.Event) is { } problem ? stored with { Unreadable = problem } : stored;
    }

    /// <summary>The row read again one column at a time, to name every column that cannot be read; those read as empty.</summary>
    private static StoredEvent ReadColumnByColumn(DbDataReader reader)
    {
        var problems = new List<string>();
        T Column<T>(int ordinal, Func<int, T> read, T fallback)
        {
            try
            {
                return read(ordinal);
            }
            catch (Exception exception) when (IsUnreadableColumn(exception))
            {
                problems.Add($"{reader.GetName(ordinal)}: cannot be read ({exception.Message})");
                return fallback;
            }
        }

        string? Text(int ordinal) => Column(ordinal, o => reader.IsDBNull(o) ? null : reader.GetString(o), null);
        DateTimeOffset At(int ordinal) => Column(ordinal, o => Time(reader.GetInt64(o)), DateTimeOffset.UnixEpoch);

        var draft = new EventDraft(
            Text(1) ?? "", Text(2) ?? "", Text(3) ?? "", Text(4), At(5), Text(7), Column(8, reader.GetBoolean, false), Text(9) ?? "", Text(10) ?? "", Text(11));
        var stored = new StoredEvent(reader.GetInt64(0), At(6), draft, Column(12, o => reader.IsDBNull(o) ? (long?)null : reader.GetInt64(o), null));
        return stored with { Unreadable = string.Join("; ", problems) };
    }

    private static bool IsUnreadableColumn(Exception exception) =>
        exception is InvalidCastException or FormatException or OverflowException or ArgumentException or InvalidOperationException;

    /// <summary>The time at <paramref name="microseconds"/> since the Unix epoch; a number outside the years 1 to 9999 throws
    /// where the plain conversion would overflow into a wrong time.</summary>
    private static DateTimeOffset Time(long microseconds) =>
        microseconds >= MinMicroseconds && microseconds <= MaxMicroseconds
            ? SqlEventStore.FromMicroseconds(microseconds)
            : throw new OverflowException($"{microseconds} microseconds since 1970 is outside the years 1 to 9999");

    /// <summary>Why <paramref name="draft"/>'s payload or envelope cannot be read by every reader, or null when both can.</summary>
    public static string? Check(EventDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (JsonText.Check(draft.Payload) is { } payload)
        {
            return $"payload: {payload}";
        }

        return draft.Envelope is not null && JsonText.Check(draft.Envelope) is { } envelope ? $"envelope: {envelope}" : null;
    }
}
