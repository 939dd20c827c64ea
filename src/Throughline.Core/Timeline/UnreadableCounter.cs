using Throughline.Storage;

namespace Throughline.Timeline;

/// <summary>The stored rows the timeline skipped because they cannot be read (<see cref="StoredRows"/>): how many, and the first ones.</summary>
/// <param name="Count">How many rows were skipped.</param>
/// <param name="Events">The first <see cref="UnreadableCounter.Kept"/> of them by sequence, each with its reason.</param>
public sealed record UnreadableReport(long Count, IReadOnlyList<UnreadableEvent> Events)
{
    /// <summary>No row skipped.</summary>
    public static UnreadableReport None { get; } = new(0, []);
}

/// <summary>Counts the rows skipped as unreadable and keeps the first few with their reasons; publishes a copy for readers.</summary>
/// <remarks>One writer counts; readers take <see cref="Published"/> at any time and never wait. Memory is bounded by
/// <see cref="Kept"/> whatever the store holds.</remarks>
internal sealed class UnreadableCounter
{
    /// <summary>How many unreadable rows are kept with their reasons; the rest are only counted.</summary>
    public const int Kept = 100;

    private readonly SortedList<long, UnreadableEvent> _first = [];
    private long _count;
    private volatile UnreadableReport _published = UnreadableReport.None;

    /// <summary>The report as of the last <see cref="Publish"/>.</summary>
    public UnreadableReport Published => _published;

    /// <summary>Counts one unreadable row.</summary>
    public void Count(StoredEvent stored)
    {
        _count++;
        _first[stored.Sequence] = new UnreadableEvent(stored.Sequence, stored.Unreadable!);
        if (_first.Count > Kept)
        {
            _first.RemoveAt(_first.Count - 1);
        }
    }

    /// <summary>Publishes a copy of the report, when it changed.</summary>
    public void Publish()
    {
        if (_published.Count != _count)
        {
            _published = new UnreadableReport(_count, [.. _first.Values]);
        }
    }
}
