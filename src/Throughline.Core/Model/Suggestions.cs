namespace Throughline.Model;

/// <summary>"Did you mean" hints for misspelt keys, ids and names, by optimal string alignment distance.</summary>
internal static class Suggestions
{
    private const int MaxListed = 12;

    /// <summary>The closest candidate within two edits (one for very short words), ignoring case; null when none is close.</summary>
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            // Skipping far lengths first keeps a huge value from costing length × length.
            if (Math.Abs(input.Length - candidate.Length) > 2)
            {
                continue;
            }

            var distance = Distance(input.ToLowerInvariant(), candidate.ToLowerInvariant());
            var limit = Math.Min(2, Math.Max(1, candidate.Length / 3));
            if (distance <= limit && distance < bestDistance && distance < candidate.Length)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>The parenthesised end of a message: <c>(expected one of: a, b; did you mean 'a'?)</c>.</summary>
    public static string Hint(string input, IReadOnlyCollection<string> candidates, string? expected = null)
    {
        expected ??= candidates.Count == 0
            ? "none is defined"
            : "one of: " + string.Join(", ", candidates.Take(MaxListed)) + (candidates.Count > MaxListed ? ", ..." : "");
        var closest = Closest(input, candidates);
        return closest is null ? $"(expected {expected})" : $"(expected {expected}; did you mean '{closest}'?)";
    }

    /// <summary>Edits (insert, delete, substitute, swap two neighbours) to turn one string into the other.</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
