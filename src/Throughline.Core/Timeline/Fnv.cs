namespace Throughline.Timeline;

/// <summary>The 64-bit FNV-1a hash over UTF-16 code units: the same in every process, unlike <see cref="string.GetHashCode()"/>.</summary>
internal static class Fnv
{
    /// <summary>The hash of nothing.</summary>
    public const ulong Empty = 14695981039346656037;

    private const ulong Prime = 1099511628211;

    /// <summary><paramref name="hash"/> continued over <paramref name="text"/>.</summary>
    public static ulong Add(ulong hash, string text)
    {
        foreach (var c in text)
        {
            hash = (hash ^ c) * Prime;
        }

        return hash;
    }

    /// <summary><paramref name="hash"/> continued over <paramref name="text"/> with each code unit in invariant upper case: texts that differ only in case hash alike.</summary>
    public static ulong AddIgnoringCase(ulong hash, string text)
    {
        foreach (var c in text)
        {
            hash = (hash ^ char.ToUpperInvariant(c)) * Prime;
        }

        return hash;
    }

    /// <summary><paramref name="hash"/> continued over one code unit, used to separate texts (so "ab","c" differs from "a","bc").</summary>
    public static ulong Add(ulong hash, char mark) => (hash ^ mark) * Prime;
}
