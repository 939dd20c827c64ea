using Throughline.Storage;
using Throughline.Timeline;

namespace Throughline.Diagnostics;

/// <summary>
/// Every stored event's source, arrival path, type, time, whether it was mapped, who it says acted and which service it names,
/// held in columns (about 40 bytes an event) and caught up from the store up to a sequence number the caller names (the
/// timeline's watermark, so that the diagnostics read the same events the timeline did).
/// </summary>
/// <remarks>
/// The actor and the service are the timeline's reading of the event (<see cref="FactReader"/>): one rule for both. A row
/// that cannot be read is left out, as the timeline leaves it out. Thread safe: one catch-up at a time; <see cref="View"/> returns the events held at that moment, unchanged by later catch-ups
/// (they only append).
/// </remarks>
public sealed class ObservedEventLog
{
    /// <summary>How many events one read from the store brings.</summary>
    public const int PageSize = 50_000;

    private readonly SemaphoreSlim _catchingUp = new(1, 1);
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<string> _strings = [];
    private volatile Columns _columns = new(1024);
    private volatile int _count;

    /// <summary>The highest sequence number read so far (every event up to it is held).</summary>
    public long Through { get; private set; }

    /// <summary>How many events are held.</summary>
    public int Count => _count;

    /// <summary>Reads the events stored after <see cref="Through"/> up to <paramref name="throughSequence"/>.</summary>
    /// <param name="store">The event store.</param>
    /// <param name="throughSequence">The last sequence number to read (the timeline's watermark).</param>
    /// <param name="cancellationToken">Stops between pages; what was read stays.</param>
    /// <returns>How many events were added.</returns>
    public async Task<int> CatchUpAsync(IEventStore store, long throughSequence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await _catchingUp.WaitAsync(cancellationToken);
        try
        {
            var added = 0;
            while (Through < throughSequence)
            {
                var page = await store.ReadAfterAsync(Through, PageSize, cancellationToken);
                foreach (var stored in page.TakeWhile(e => e.Sequence <= throughSequence).Where(e => e.Unreadable is null))
                {
                    var fact = FactReader.Read(stored);
                    Append(new ObservedEvent(
                        stored.Sequence, stored.Event.Source, stored.Event.Origin, stored.Event.Type, stored.Event.Timestamp, stored.Event.Mapped, fact?.Actor, fact?.Service));
                    added++;
                }

                // Every number up to throughSequence is settled (it is the timeline's watermark): a page that ends short, or
                // goes past it, reached it; a number never used (a rolled-back insert) is passed over.
                Through = page.Count < PageSize || page[^1].Sequence >= throughSequence ? throughSequence : page[^1].Sequence;
            }

            return added;
        }
        finally
        {
            _catchingUp.Release();
        }
    }

    /// <summary>The events held now, oldest first; later catch-ups do not change it.</summary>
    public IReadOnlyList<ObservedEvent> View()
    {
        // In this order: an event counted had its strings interned and its columns written (and copied on growth) before.
        var count = _count;
        var columns = _columns;
        string[] strings;
        lock (_strings)
        {
            strings = [.. _strings];
        }

        return new Held(columns, count, strings);
    }

    private void Append(ObservedEvent observed)
    {
        var columns = _columns;
        var at = _count;
        if (at == columns.Capacity)
        {
            columns = columns.Grown();
            _columns = columns;
        }

        columns.Sequences[at] = observed.Sequence;
        columns.Sources[at] = Intern(observed.Source);
        columns.Origins[at] = Intern(observed.Origin);
        columns.Types[at] = Intern(observed.Type);
        columns.Ticks[at] = observed.Time.UtcTicks;
        columns.Mapped[at] = observed.Mapped;
        columns.Actors[at] = observed.Actor is null ? -1 : Intern(observed.Actor);
        columns.Services[at] = observed.Service is null ? -1 : Intern(observed.Service);
        _count = at + 1;
    }

    private int Intern(string text)
    {
        if (!_index.TryGetValue(text, out var id))
        {
            lock (_strings)
            {
                id = _strings.Count;
                _strings.Add(text);
            }

            _index[text] = id;
        }

        return id;
    }

    private sealed class Columns(int capacity)
    {
        public int Capacity { get; } = capacity;
        public long[] Sequences { get; } = new long[capacity];
        public int[] Sources { get; } = new int[capacity];
        public int[] Origins { get; } = new int[capacity];
        public int[] Types { get; } = new int[capacity];
        public long[] Ticks { get; } = new long[capacity];
        public bool[] Mapped { get; } = new bool[capacity];
        public int[] Actors { get; } = new int[capacity];
        public int[] Services { get; } = new int[capacity];

        public Columns Grown()
        {
            var grown = new Columns(Capacity * 2);
            Array.Copy(Sequences, grown.Sequences, Capacity);
            Array.Copy(Sources, grown.Sources, Capacity);
            Array.Copy(Origins, grown.Origins, Capacity);
            Array.Copy(Types, grown.Types, Capacity);
            Array.Copy(Ticks, grown.Ticks, Capacity);
            Array.Copy(Mapped, grown.Mapped, Capacity);
            Array.Copy(Actors, grown.Actors, Capacity);
            Array.Copy(Services, grown.Services, Capacity);
            return grown;
        }
    }

    /// <summary>A fixed number of held events, each made into an <see cref="ObservedEvent"/> when asked for.</summary>
    private sealed class Held(Columns columns, int count, string[] strings) : IReadOnlyList<ObservedEvent>
    {
        public int Count => count;

        public ObservedEvent this[int index]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)count, nameof(index));
                return new ObservedEvent(
                    columns.Sequences[index], strings[columns.Sources[index]], strings[columns.Origins[index]], strings[columns.Types[index]],
                    new DateTimeOffset(columns.Ticks[index], TimeSpan.Zero), columns.Mapped[index],
                    columns.Actors[index] is >= 0 and var actor ? strings[actor] : null, columns.Services[index] is >= 0 and var service ? strings[service] : null);
            }
        }

        public IEnumerator<ObservedEvent> GetEnumerator()
        {
            for (var i = 0; i < count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
