using Throughline.Model;
using Throughline.Storage;

namespace Throughline.Timeline;

/// <summary>Keeps the timeline of everything in the store up to date: tails the store and rebuilds the snapshot when facts arrive.</summary>
/// <remarks>
/// <para>The snapshot is always <see cref="TimelineBuilder.Build"/> of every fact read so far, so it equals what
/// <c>throughline rebuild</c> computes from the same events. Several nodes sharing a PostgreSQL database each
/// keep their own projection and reach the same state.</para>
/// <para>PostgreSQL hands out sequence numbers before commit: a gap in the numbers is waited for up to
/// <see cref="GapPatience"/> before it is taken as a rolled-back insert and passed over.</para>
/// <para>Thread safe: one caller at a time may catch up; readers take <see cref="Current"/> at any time.</para>
/// </remarks>
public sealed class TimelineProjection(IEventStore store, OperatingModel? model, TimeProvider time)
{
    /// <summary>How long a gap in sequence numbers is waited for.</summary>
    public static readonly TimeSpan GapPatience = TimeSpan.FromSeconds(10);

    private const int PageSize = 10_000;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<Fact> _facts = [];
    private readonly SortedDictionary<long, bool> _seenAboveWatermark = [];
    private DateTimeOffset? _gapSince;
    private volatile TimelineSnapshot _current = TimelineSnapshot.Empty;

    /// <summary>The operating model the timeline is mapped onto, if any.</summary>
    public OperatingModel? Model => model;

    /// <summary>The latest snapshot.</summary>
    public TimelineSnapshot Current => _current;

    /// <summary>Every stored event up to this sequence number has been read.</summary>
    public long Watermark { get; private set; }

    /// <summary>Events read so far (facts and events the timeline does not use).</summary>
    public long EventsRead { get; private set; }

    /// <summary>When the snapshot was last rebuilt.</summary>
    public DateTimeOffset? UpdatedAt { get; private set; }

    /// <summary>Reads what was stored since the last call and rebuilds the snapshot if anything arrived.</summary>
    /// <returns>True when the snapshot changed.</returns>
    public async Task<bool> CatchUpAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var added = false;
            while (true)
            {
                var page = await store.ReadAfterAsync(Watermark, PageSize, cancellationToken);
                var fresh = 0;
                foreach (var stored in page)
                {
                    if (!_seenAboveWatermark.TryAdd(stored.Sequence, true))
                    {
                        continue;
                    }

                    fresh++;
                    EventsRead++;
                    if (FactReader.Read(stored) is { } fact)
                    {
                        _facts.Add(fact);
                        added = true;
                    }
                }

                AdvanceWatermark();
                if (page.Count < PageSize || fresh == 0)
                {
                    break;
                }
            }

            if (added || UpdatedAt is null)
            {
                _current = TimelineBuilder.Build(_facts, model);
                UpdatedAt = time.GetUtcNow();
            }

            return added;
        }
        finally
        {
            _gate.Release();
        }
    }

    private void AdvanceWatermark()
    {
        while (_seenAboveWatermark.Count > 0)
        {
            var lowest = _seenAboveWatermark.First().Key;
            if (lowest == Watermark + 1)
            {
                _seenAboveWatermark.Remove(lowest);
                Watermark = lowest;
                _gapSince = null;
                continue;
            }

            // A gap: an insert not yet committed, or one rolled back. Wait for it a while, then pass over it.
            _gapSince ??= time.GetUtcNow();
            if (time.GetUtcNow() - _gapSince < GapPatience)
            {
                return;
            }

            Watermark = lowest - 1;
            _gapSince = null;
        }
    }
}
