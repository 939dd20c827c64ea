using System.Text.RegularExpressions;

namespace Throughline.Model;

/// <summary>
/// Which events a flow stage starts or ends on, written <c>subject.predicate key=value ...</c>,
/// for example <c>service.deployed environment=production</c>.
/// </summary>
/// <param name="Subject">What the event is about (<c>change</c>, <c>service</c>): lowercase letters.</param>
/// <param name="Predicate">What happened to it (<c>merged</c>, <c>deployed</c>): lowercase letters.</param>
/// <param name="Filters">Event fields that must equal the given values, compared exactly; empty matches every such event.</param>
public sealed partial record EventMatcher(string Subject, string Predicate, IReadOnlyDictionary<string, string> Filters)
{
    /// <summary>Parses matcher text, or says which token is wrong.</summary>
    /// <param name="text">The text, tokens separated by spaces.</param>
    /// <param name="matcher">The matcher, when the text parses.</param>
    /// <param name="error">What is wrong, in the form <c>WHAT (expected ...)</c>, when it does not.</param>
    /// <param name="errorOffset">The 0-based offset in <paramref name="text"/> of the bad token.</param>
    /// <returns>True when the text parses.</returns>
    public static bool TryParse(string text, out EventMatcher? matcher, out string? error, out int errorOffset)
    {
        ArgumentNullException.ThrowIfNull(text);
        matcher = null;
        error = null;
        errorOffset = 0;
        var tokens = Token().Matches(text);
        if (tokens.Count == 0)
        {
            error = "empty event matcher (expected subject.predicate, for example change.merged)";
            return false;
        }

        var head = EventName().Match(tokens[0].Value);
        if (!head.Success)
        {
            error = $"invalid event '{tokens[0].Value}' (expected subject.predicate in lowercase letters, for example service.deployed)";
            errorOffset = tokens[0].Index;
            return false;
        }

        var filters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var token in tokens.Skip(1))
        {
            var filter = Filter().Match(token.Value);
            if (!filter.Success)
            {
                error = $"invalid filter '{token.Value}' (expected key=value, for example environment=production)";
                errorOffset = token.Index;
                return false;
            }

            if (!filters.TryAdd(filter.Groups[1].Value, filter.Groups[2].Value))
            {
                error = $"filter '{filter.Groups[1].Value}' given twice (expected each key once)";
                errorOffset = token.Index;
                return false;
            }
        }

        matcher = new EventMatcher(head.Groups[1].Value, head.Groups[2].Value, filters);
        return true;
    }

    /// <summary>The matcher as written in the file.</summary>
    public override string ToString() =>
        string.Join(' ', Filters.Select(f => $"{f.Key}={f.Value}").Prepend($"{Subject}.{Predicate}"));

    [GeneratedRegex(@"\S+")]
    private static partial Regex Token();

    [GeneratedRegex(@"^([a-z]+)\.([a-z]+)$")]
    private static partial Regex EventName();

    [GeneratedRegex(@"^([a-z][a-z0-9_.-]*)=(\S+)$")]
    private static partial Regex Filter();
}
