using System.Text;

namespace Throughline.Web.ModelApi;

/// <summary>A unified line diff of two texts (the format of <c>diff -u</c>), from the longest common subsequence of lines.</summary>
/// <remarks>Common leading and trailing lines are set aside first, so a small edit to a large model costs little. When the
/// lines that differ are too many to compare pairwise (over <see cref="MaxCells"/> pairs), they are shown as all removed, then all added.</remarks>
internal static class LineDiff
{
    private const int Context = 3;
    private const long MaxCells = 4_000_000;

    public static string Unified(string before, string after, string beforeName, string afterName)
    {
        var (a, b) = (Lines(before), Lines(after));
        var edits = Edits(a, b);
        if (edits.All(e => e.Kind == ' '))
        {
            return "";
        }

        var text = new StringBuilder().Append("--- ").AppendLine(beforeName).Append("+++ ").AppendLine(afterName);
        var changes = Enumerable.Range(0, edits.Count).Where(i => edits[i].Kind != ' ').ToList();
        var first = 0;
        while (first < changes.Count)
        {
            // A hunk takes every change less than twice the context away from the one before.
            var last = first;
            while (last + 1 < changes.Count && changes[last + 1] - changes[last] <= 2 * Context)
            {
                last++;
            }

            var (from, to) = (Math.Max(0, changes[first] - Context), Math.Min(edits.Count, changes[last] + Context + 1));
            var hunk = edits.GetRange(from, to - from);
            text.Append("@@ -").Append(edits[from].Old + 1).Append(',').Append(hunk.Count(e => e.Kind != '+'))
                .Append(" +").Append(edits[from].New + 1).Append(',').Append(hunk.Count(e => e.Kind != '-')).AppendLine(" @@");
            foreach (var edit in hunk)
            {
                text.Append(edit.Kind).AppendLine(edit.Line);
            }

            first = last + 1;
        }

        return text.ToString();
    }

    private static string[] Lines(string text) =>
        text.Length == 0 ? [] : text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');

    /// <summary>Each line once: kept (' '), removed ('-') or added ('+'), with its index in the old and new text.</summary>
    private static List<Edit> Edits(string[] a, string[] b)
    {
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)])
        {
            suffix++;
        }

        var edits = new List<Edit>(a.Length + b.Length);
        edits.AddRange(Enumerable.Range(0, prefix).Select(i => new Edit(' ', a[i], i, i)));
        var (n, m) = (a.Length - prefix - suffix, b.Length - prefix - suffix);
        if ((long)n * m > MaxCells)
        {
            edits.AddRange(Enumerable.Range(prefix, n).Select(i => new Edit('-', a[i], i, prefix)));
            edits.AddRange(Enumerable.Range(prefix, m).Select(j => new Edit('+', b[j], prefix + n, j)));
        }
        else
        {
            var common = new int[n + 1, m + 1];
            for (var i = n - 1; i >= 0; i--)
            {
                for (var j = m - 1; j >= 0; j--)
                {
                    common[i, j] = a[prefix + i] == b[prefix + j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
                }
            }

            var (x, y) = (0, 0);
            while (x < n || y < m)
            {
                if (x < n && y < m && a[prefix + x] == b[prefix + y])
                {
                    edits.Add(new Edit(' ', a[prefix + x], prefix + x++, prefix + y++));
                }
                else if (x < n && (y == m || common[x + 1, y] >= common[x, y + 1]))
                {
                    // Removals before additions, as diff -u writes them.
                    edits.Add(new Edit('-', a[prefix + x], prefix + x++, prefix + y));
                }
                else
                {
                    edits.Add(new Edit('+', b[prefix + y], prefix + x, prefix + y++));
                }
            }
        }

        edits.AddRange(Enumerable.Range(0, suffix).Select(k => new Edit(' ', a[a.Length - suffix + k], a.Length - suffix + k, b.Length - suffix + k)));
        return edits;
    }

    private sealed record Edit(char Kind, string Line, int Old, int New);
}
