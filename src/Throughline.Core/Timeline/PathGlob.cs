using System.Text.RegularExpressions;

namespace Throughline.Timeline;

/// <summary>Matches file paths against the model's <c>paths</c> globs: <c>**</c> any depth, <c>*</c> within a segment, <c>?</c> one character.</summary>
internal static class PathGlob
{
    private static readonly Dictionary<string, Regex> Cache = [];
    private static readonly Lock CacheLock = new();

    /// <summary>True when <paramref name="path"/> (relative to the repository root, '/' separated) matches <paramref name="glob"/>.</summary>
    public static bool Matches(string glob, string path)
    {
        ArgumentNullException.ThrowIfNull(glob);
        ArgumentNullException.ThrowIfNull(path);
        Regex regex;
        lock (CacheLock)
        {
            if (!Cache.TryGetValue(glob, out regex!))
            {
                var pattern = "^" + Regex.Escape(glob.TrimStart('/'))
                    .Replace(@"/\*\*", "(/.*)?", StringComparison.Ordinal)
                    .Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal)
                    .Replace(@"\*\*", ".*", StringComparison.Ordinal)
                    .Replace(@"\*", "[^/]*", StringComparison.Ordinal)
                    .Replace(@"\?", "[^/]", StringComparison.Ordinal) + "$";
                regex = new Regex(pattern, RegexOptions.CultureInvariant);
                Cache[glob] = regex;
            }
        }

        return regex.IsMatch(path.TrimStart('/'));
    }
}
