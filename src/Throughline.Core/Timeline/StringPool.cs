namespace Throughline.Timeline;

/// <summary>Keeps one copy of each distinct string, so a million facts naming the same few sources, repositories and changes share them.</summary>
/// <remarks>Not thread safe: one reader fills it.</remarks>
internal sealed class StringPool
{
    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);

    /// <summary>The pooled copy of <paramref name="value"/> (null stays null).</summary>
    public string? Get(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (_strings.TryGetValue(value, out var pooled))
        {
            return pooled;
        }

        _strings.Add(value);
        return value;
    }
}
