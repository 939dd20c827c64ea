using Throughline.Storage;

namespace Throughline.Timeline;

/// <summary>Counts the events stored but not interpreted, by source and type, and publishes a copy for readers.</summary>
/// <remarks>One writer counts; readers take <see cref="Published"/> at any time and never wait.</remarks>
internal sealed class UnmappedCounter
{
    private readonly Dictionary<(string Source, string Type), int> _counts = [];
    private volatile IReadOnlyDictionary<(string Source, string Type), int> _published = new Dictionary<(string Source, string Type), int>();

    /// <summary>The counts as of the last <see cref="Publish"/>.</summary>
    public IReadOnlyDictionary<(string Source, string Type), int> Published => _published;

    /// <summary>Counts one event.</summary>
    public void Count(EventDraft unmapped)
    {
        var key = (unmapped.Source, unmapped.Type);
        _counts[key] = _counts.GetValueOrDefault(key) + 1;
    }

    /// <summary>Publishes a copy of the counts, when they changed.</summary>
    public void Publish()
    {
        if (_published.Count != _counts.Count || _counts.Any(c => _published.GetValueOrDefault(c.Key) != c.Value))
        {
            _published = new Dictionary<(string Source, string Type), int>(_counts);
        }
    }
}
