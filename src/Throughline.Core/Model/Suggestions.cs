namespace Throughline.Model;

/// <summary>"Did you mean" hints for misspelt keys, ids and names, by optimal string alignment distance.</summary>
/// <remarks>
/// A hint compares the value with every candidate, so a model with thousands of misspelt references to thousands of ids
/// would cost their product. <see cref="Memo"/> bounds that: each distinct value is compared once, and one memo compares
/// at most <see cref="MaxComparisons"/> candidates in all; the values met after that are still reported, without a
/// suggestion.
/// </remarks>
internal static class Suggestions
{
    /// <summary>Candidates compared at most for one <see cref="Memo"/> (about a second's work on a slow machine).</summary>
    public const long MaxComparisons = 2_000_000;

    private const int MaxListed = 12;

    /// <summary>The closest candidate within two edits (one for very short words), ignoring case; null when none is close.</summary>
    public static string? Closest(string input, IEnumerable<string> candidates) => Closest(input, candidates, long.MaxValue, out _);

    /// <summary>The parenthesised end of a message: <c>(expected one of: a, b; did you mean 'a'?)</c>.</summary>
    public static string Hint(string input, IReadOnlyCollection<string> candidates, string? expected = null) =>
        Hint(candidates, expected, Closest(input, candidates));

    /// <summary>Edits (insert, delete, substitute, swap two neighbours) to turn one string into the other.</summary>
    public static int Distance(string a, string b) => Distance(a, b, int.MaxValue);

    /// <summary>As <see cref="Closest(string, IEnumerable{string})"/>, looking at <paramref name="budget"/> candidates at most (the best of those).</summary>
    private static string? Closest(string input, IEnumerable<string> candidates, long budget, out long compared)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        compared = 0;
        foreach (var candidate in candidates)
        {
            if (compared++ >= budget)
            {
                break;
            }

            // Skipping far lengths first keeps a huge value from costing length × length.
            if (Math.Abs(input.Length - candidate.Length) > 2)
            {
                continue;
            }

            var limit = Math.Min(2, Math.Max(1, candidate.Length / 3));
            var distance = Distance(input, candidate, Math.Min(limit, bestDistance - 1));
            if (distance <= limit && distance < bestDistance && distance < candidate.Length)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    private static string Hint(IReadOnlyCollection<string> candidates, string? expected, string? closest)
    {
        expected ??= candidates.Count == 0
            ? "none is defined"
            : "one of: " + string.Join(", ", candidates.Take(MaxListed)) + (candidates.Count > MaxListed ? ", ..." : "");
        return closest is null ? $"(expected {expected})" : $"(expected {expected}; did you mean '{closest}'?)";
    }

    /// <summary>
    /// The distance ignoring case, or a number above <paramref name="bound"/> as soon as it is certain to exceed it, so a
    /// hopeless candidate costs a few rows of the table, not all of it.
    /// </summary>
    private static int Distance(string a, string b, int bound)
    {
        // Three rows of the optimal string alignment table, taking turns: two back (for swaps), one back, the one filled.
        var width = b.Length + 1;
        var rows = width <= 256 ? stackalloc int[3 * width] : new int[3 * width];
        var (before, previous, current) = (0, width, 2 * width);
        for (var j = 0; j < width; j++)
        {
            rows[previous + j] = j;
        }

        var previousMinimum = 0;
        for (var i = 1; i <= a.Length; i++)
        {
            rows[current] = i;
            var rowMinimum = i;
            var ai = char.ToLowerInvariant(a[i - 1]);
            for (var j = 1; j < width; j++)
            {
                var bj = char.ToLowerInvariant(b[j - 1]);
                var cell = Math.Min(Math.Min(rows[previous + j] + 1, rows[current + j - 1] + 1), rows[previous + j - 1] + (ai == bj ? 0 : 1));
                if (i > 1 && j > 1 && ai == char.ToLowerInvariant(b[j - 2]) && char.ToLowerInvariant(a[i - 2]) == bj)
                {
                    cell = Math.Min(cell, rows[before + j - 2] + 1);
                }

                rows[current + j] = cell;
                rowMinimum = Math.Min(rowMinimum, cell);
            }

            // Every cell of a row is at least the smaller of the last row's minimum and the one before's plus one (a swap),
            // so once this row and the last are both past the bound, every later row is too.
            if (rowMinimum > bound && previousMinimum >= bound)
            {
                return rowMinimum;
            }

            previousMinimum = rowMinimum;
            (before, previous, current) = (previous, current, before);
        }

        return rows[previous + width - 1];
    }

    /// <summary>Hints for many values against one set of candidates (every unknown team named in a model), with the work bounded.</summary>
    /// <remarks>Each distinct value is compared once; after <see cref="MaxComparisons"/> candidates in all, values get no suggestion.</remarks>
    internal sealed class Memo(IReadOnlyCollection<string> candidates)
    {
        private readonly Dictionary<string, string?> _closest = new(StringComparer.Ordinal);
        private long _compared;

        /// <summary>As <see cref="Suggestions.Hint(string, IReadOnlyCollection{string}, string?)"/>, within the memo's budget.</summary>
        public string Hint(string input, string? expected = null)
        {
            if (!_closest.TryGetValue(input, out var closest))
            {
                var compared = 0L;
                closest = _compared >= MaxComparisons ? null : Closest(input, candidates, MaxComparisons - _compared, out compared);
                _compared += compared;
                _closest[input] = closest;
            }

            return Suggestions.Hint(candidates, expected, closest);
        }
    }
}
