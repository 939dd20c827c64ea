using System.Globalization;
using Throughline.Timeline;

namespace Throughline.Diagnostics;

/// <summary>An incident's cause: its labels, else keywords from its title.</summary>
public static partial class IncidentCauses
{
    /// <summary>The cause of an incident whose tool gives no label and whose title has no informative word.</summary>
    public const string NoCause = "(no cause given)";

    /// <summary>How many keywords of a title name its cause.</summary>
    public const int KeywordsPerCause = 2;

    /// <summary>Words that say nothing about a cause: English's small words and the ones every alert title repeats.</summary>
    private static readonly HashSet<string> StopWords = new([
        "a", "an", "the", "and", "or", "but", "not", "no", "of", "in", "on", "at", "to", "for", "from", "with", "by", "via", "per", "as",
        "into", "onto", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "it", "its", "this", "that", "these",
        "those", "than", "then", "after", "before", "during", "while", "over", "under", "above", "below", "up", "down", "out",
        "alert", "alerts", "incident", "incidents", "firing", "triggered", "resolved", "critical", "warning", "urgent",
    ], StringComparer.Ordinal);

    /// <summary>
    /// The cause of <paramref name="incident"/>: its labels when its tool gives some (<see cref="LabelsCause"/>), else the
    /// <see cref="KeywordsPerCause"/> informative words of its title that the most titles of its service's incidents share.
    /// </summary>
    /// <param name="incident">The incident.</param>
    /// <param name="titles">Per service (<see cref="NoService"/> for none), in how many titles of the window's incidents given no label each
    /// word appears (<see cref="TitleFrequencies"/>).</param>
    /// <remarks>Ties between words are broken by their place in the title, and the words chosen are written in the title's order.</remarks>
    public static string CauseOf(IncidentRecord incident, IReadOnlyDictionary<string, Dictionary<string, int>> titles)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(titles);
        if (LabelsCause(incident.Labels) is { } labelled)
        {
            return labelled;
        }

        var words = Keywords(incident);
        if (words.Count == 0)
        {
            return NoCause;
        }

        var frequency = titles.GetValueOrDefault(incident.Service ?? NoService);
        var chosen = words
            .Select((word, place) => (Word: word, Place: place, Titles: frequency?.GetValueOrDefault(word) ?? 0))
            .OrderByDescending(w => w.Titles).ThenBy(w => w.Place)
            .Take(KeywordsPerCause)
            .OrderBy(w => w.Place);
        return string.Join(' ', chosen.Select(w => w.Word));
    }

    /// <summary>
    /// Labels as a cause: each trimmed, its white space made one space and lower-cased; the ones that link a change or an artifact
    /// (<c>change:ID</c>, <c>artifact:ID</c>) left out, the rest each once, in ordinal order, joined by <c>", "</c>. Null when none is left.
    /// </summary>
    public static string? LabelsCause(IReadOnlyList<string>? labels)
    {
        var normalised = (labels ?? [])
            .Where(l => FactLinks.Label(l) is null)
            .Select(l => string.Join(' ', l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant())
            .Where(l => l.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        return normalised.Count == 0 ? null : string.Join(", ", normalised);
    }

    /// <summary>Per service, in how many titles of <paramref name="incidents"/> given no label each informative word appears.</summary>
    public static IReadOnlyDictionary<string, Dictionary<string, int>> TitleFrequencies(IEnumerable<IncidentRecord> incidents)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        var frequencies = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var incident in incidents.Where(i => LabelsCause(i.Labels) is null))
        {
            var words = frequencies.TryGetValue(incident.Service ?? NoService, out var known) ? known : frequencies[incident.Service ?? NoService] = new(StringComparer.Ordinal);
            foreach (var word in Keywords(incident))
            {
                words[word] = words.GetValueOrDefault(word) + 1;
            }
        }

        return frequencies;
    }

    /// <summary>
    /// The informative words of an incident's title, each once, in order: the title split at every character that is neither a letter
    /// nor a digit and lower-cased; left out are stop words, words of one character, the words of the incident's own service and
    /// environment (the group names them already), and ids: a word with a digit is kept only when it has more letters than digits and
    /// is not hexadecimal (<c>5xx</c> stays; <c>42</c>, <c>2s</c>, <c>100ms</c>, <c>7f9c2d1e</c> go).
    /// </summary>
    private static List<string> Keywords(IncidentRecord incident)
    {
        var named = Words(incident.Service).Concat(Words(incident.Environment)).ToHashSet(StringComparer.Ordinal);
        return [.. Words(incident.Description)
            .Where(w => w.Length > 1 && !StopWords.Contains(w) && !named.Contains(w) && !IsId(w))
            .Distinct(StringComparer.Ordinal)];
    }

    private static IEnumerable<string> Words(string? text)
    {
        if (text is null)
        {
            yield break;
        }

        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                yield return text[start..i].ToLower(CultureInfo.InvariantCulture);
                start = -1;
            }
        }
    }

    private static bool IsId(string word)
    {
        var digits = word.Count(char.IsDigit);
        return digits > 0 && (digits >= word.Length - digits || word.All(char.IsAsciiHexDigit));
    }
}
