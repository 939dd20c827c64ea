using System.Text.RegularExpressions;
using Throughline.Model.Yaml;

namespace Throughline.Model;

/// <summary>
/// Checks a flow stage's matchers against the event vocabulary (<see cref="EventVocabulary"/>), and its <c>tool</c>
/// against the events the tool's kind can send (<see cref="ModelLoadOptions.ToolKindEvents"/>).
/// </summary>
/// <remarks>
/// A subject, predicate or filter key the vocabulary lacks is an error at its token: such a matcher would never match,
/// and the stage would silently stay empty. A tool that cannot send the event is only a warning, because stages count
/// every tool's events.
/// </remarks>
internal sealed partial class ModelReader
{
    private readonly Dictionary<string, string> _toolKindById = new(StringComparer.Ordinal);

    /// <summary>True when every part of <paramref name="matcher"/> is in the vocabulary; else reports each part that is not.</summary>
    private bool CheckVocabulary(YamlScalar node, EventMatcher matcher, string key, string context)
    {
        var tokens = MatcherToken().Matches(node.Value);
        var kind = $"{matcher.Subject}.{matcher.Predicate}";
        var where = $"in '{key}' of {context}";
        if (!EventVocabulary.IsSubject(matcher.Subject))
        {
            var subjects = "a CDEvents subject: " + string.Join(", ", EventVocabulary.SubjectNames);
            Add(node, ProblemSeverity.Error,
                $"unknown event subject '{matcher.Subject}' {where} {Suggestions.Hint(kind, EventVocabulary.Kinds, subjects)}", TextOffset(node, tokens[0].Index));
            return false;
        }

        var ok = true;
        var kinds = EventVocabulary.PredicatesOf(matcher.Subject).Select(p => $"{matcher.Subject}.{p}").ToList();
        if (!kinds.Contains(kind))
        {
            Add(node, ProblemSeverity.Error, $"unknown event '{kind}' {where} {Suggestions.Hint(kind, kinds)}",
                TextOffset(node, tokens[0].Index + matcher.Subject.Length + 1));
            ok = false;
        }

        var filters = EventVocabulary.FiltersOf(matcher.Subject);
        foreach (var token in tokens.Skip(1))
        {
            var filter = token.Value[..token.Value.IndexOf('=', StringComparison.Ordinal)];
            if (!filters.Contains(filter))
            {
                Add(node, ProblemSeverity.Error,
                    $"unknown filter '{filter}' for {matcher.Subject} events {where} {Suggestions.Hint(filter, filters)}", TextOffset(node, token.Index));
                ok = false;
            }
        }

        return ok;
    }

    /// <summary>Warns when the stage's tool has a kind that can never send the event <paramref name="matcher"/> names.</summary>
    private void CheckToolSends(YamlScalar? tool, EventMatcher matcher, string key, string context)
    {
        if (tool is null || options.ToolKindEvents is not { } events || !_toolKindById.TryGetValue(tool.Value, out var kind)
            || !events.TryGetValue(kind, out var sends) || sends is null)
        {
            return;
        }

        var kindName = $"{matcher.Subject}.{matcher.Predicate}";
        // As the timeline matches (TimelineBuilder.Stages, Matches): service.deployed also matches service.upgraded.
        if (sends.Contains(kindName) || (kindName == "service.deployed" && sends.Contains("service.upgraded")))
        {
            return;
        }

        Add(tool, ProblemSeverity.Warning,
            $"tool '{tool.Value}' of {context} is of kind '{kind}', which never sends {kindName} events, so its '{key}' cannot come from it " +
            "(expected a tool whose kind sends them, such as a 'cdevents' tool)", 0);
    }

    [GeneratedRegex(@"\S+")]
    private static partial Regex MatcherToken();
}
