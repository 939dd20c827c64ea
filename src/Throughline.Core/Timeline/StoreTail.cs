using System.Runtime.CompilerServices;
using Throughline.Storage;

namespace Throughline.Timeline;

/// <summary>Reads what was stored since the last read, in pages, and looks again for the sequence numbers it skipped until
/// the store says no writer could still store them.</summary>
/// <remarks>
/// PostgreSQL hands out sequence numbers before commit (and spends them on duplicates and rolled-back inserts): reading goes
/// on past a gap, noting which writers had begun when it was seen (<see cref="IEventStore.WritersAsync"/>). The number is
/// looked up again at every catch-up, and let go only once every one of those writers has ended and it is still missing, so
/// an insert is never skipped however long its transaction stays open. On SQLite, writers take turns: a gap is final at once.
/// Not thread safe: one reader at a time.
/// </remarks>
internal sealed class StoreTail(IEventStore store)
{
    /// <summary>How many events one read asks for.</summary>
    public const int PageSize = 10_000;

    /// <summary>Each skipped number, with the store's <see cref="StoreWriters.Begun"/> when it was seen (null until asked).</summary>
    private readonly Dictionary<long, long?> _gaps = [];
    private long _highest;

    /// <summary>Every stored event up to this sequence number has been handed out, or let go as never to be stored.</summary>
    public long Watermark => _gaps.Count == 0 ? _highest : _gaps.Keys.Min() - 1;

    /// <summary>The events stored after the highest one read so far, page by page, noting the numbers skipped.</summary>
    public async IAsyncEnumerable<IReadOnlyList<StoredEvent>> PagesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await store.ReadAfterAsync(_highest, PageSize, cancellationToken);
            foreach (var stored in page)
            {
                for (var missing = _highest + 1; missing < stored.Sequence; missing++)
                {
                    _gaps[missing] = null;
                }

                _highest = stored.Sequence;
            }

            yield return page;
            if (page.Count < PageSize)
            {
                yield break;
            }
        }
    }

    /// <summary>The skipped numbers that have been stored since; those no writer could still store are let go.</summary>
    public async Task<IReadOnlyList<StoredEvent>> FilledGapsAsync(CancellationToken cancellationToken)
    {
        if (_gaps.Count == 0)
        {
            return [];
        }

        // Asked before the lookup below: a writer that had ended by now has committed (the lookup sees it) or never will.
        var writers = await store.WritersAsync(cancellationToken);
        var final = new List<long>();
        foreach (var (sequence, begun) in _gaps.ToList())
        {
            // A gap first seen now: a writer holding it had begun before this look (its number was handed out before a later one was read).
            var mark = begun ?? writers.Begun;
            _gaps[sequence] = mark;
            if (writers.Ended >= mark)
            {
                final.Add(sequence);
            }
        }

        var filled = new List<StoredEvent>();
        foreach (var stored in await store.ReadSequencesAsync(_gaps.Keys, cancellationToken))
        {
            if (_gaps.Remove(stored.Sequence))
            {
                filled.Add(stored);
            }
        }

        foreach (var sequence in final)
        {
            _gaps.Remove(sequence);
        }

        return filled;
    }
}
