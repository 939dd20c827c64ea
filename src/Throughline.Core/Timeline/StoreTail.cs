using System.Runtime.CompilerServices;
using Throughline.Storage;

namespace Throughline.Timeline;

/// <summary>Reads what was stored since the last read, in pages, and waits a while for the sequence numbers it skipped.</summary>
/// <remarks>
/// PostgreSQL hands out sequence numbers before commit (and spends them on duplicates it then skips): reading goes on past
/// a gap, and each missing number is looked up again for up to <c>patience</c> after it was noticed, in case its insert
/// commits late; after that it is taken as never stored. Not thread safe: one reader at a time.
/// </remarks>
internal sealed class StoreTail(IEventStore store, TimeProvider time, TimeSpan patience)
{
    /// <summary>How many events one read asks for.</summary>
    public const int PageSize = 10_000;

    private readonly Dictionary<long, DateTimeOffset> _gaps = [];
    private long _highest;

    /// <summary>Every stored event up to this sequence number has been handed out, or let go as never stored.</summary>
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
                    _gaps[missing] = time.GetUtcNow();
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

    /// <summary>The skipped numbers that have been stored since; those still missing after the patience are let go.</summary>
    public async Task<IReadOnlyList<StoredEvent>> FilledGapsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var expired in _gaps.Where(g => now - g.Value >= patience).Select(g => g.Key).ToList())
        {
            _gaps.Remove(expired);
        }

        if (_gaps.Count == 0)
        {
            return [];
        }

        var filled = new List<StoredEvent>();
        foreach (var stored in await store.ReadSequencesAsync(_gaps.Keys, cancellationToken))
        {
            if (_gaps.Remove(stored.Sequence))
            {
                filled.Add(stored);
            }
        }

        return filled;
    }
}
