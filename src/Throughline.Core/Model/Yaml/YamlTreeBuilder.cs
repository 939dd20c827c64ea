using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Throughline.Model.Yaml;

/// <summary>Builds a <see cref="YamlNode"/> tree from parser events, resolving aliases and merge keys (<c>&lt;&lt;</c>).</summary>
/// <remarks>
/// Run only after <see cref="YamlGuard"/> accepted the text: aliases share the anchored node, so the tree is as
/// large as the text, and the guard has already bounded what a walk over it may cost.
/// </remarks>
internal sealed class YamlTreeBuilder(string file, List<ModelProblem> problems)
{
    private const string MergeKey = "<<";
    private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);

    public YamlNode? Build(string text)
    {
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (!parser.TryConsume<DocumentStart>(out _))
            {
                return null;
            }

            return ReadNode(parser);
        }
        catch (YamlException exception)
        {
            problems.Add(new ModelProblem(file, (int)exception.Start.Line, (int)exception.Start.Column, ProblemSeverity.Error, YamlErrors.Describe(exception)));
            return null;
        }
    }

    private YamlNode ReadNode(IParser parser)
    {
        var current = parser.Current!;
        var line = (int)current.Start.Line;
        var column = (int)current.Start.Column;
        parser.MoveNext();
        YamlNode node;
        switch (current)
        {
            case AnchorAlias alias:
                return _anchors[alias.Value.Value];
            case Scalar scalar:
                node = new YamlScalar(scalar.Value, scalar.Style == ScalarStyle.Plain, line, column);
                break;
            case SequenceStart:
                var sequence = new YamlSequence(line, column);
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    sequence.Items.Add(ReadNode(parser));
                }

                node = sequence;
                break;
            case MappingStart:
                node = ReadMapping(parser, line, column);
                break;
            default:
                throw new InvalidOperationException($"Unexpected YAML event {current} at {current.Start}.");
        }

        var anchor = ((NodeEvent)current).Anchor;
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = node;
        }

        return node;
    }

    private YamlMapping ReadMapping(IParser parser, int line, int column)
    {
        var mapping = new YamlMapping(line, column);
        var merged = new List<YamlNode>();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var keyNode = ReadNode(parser);
            var value = ReadNode(parser);
            if (keyNode is not YamlScalar key)
            {
                Error(keyNode, $"a key that is {keyNode.Describe()} (expected a plain text key)");
                continue;
            }

            if (key.IsPlain && key.Value == MergeKey)
            {
                merged.Add(value);
                continue;
            }

            var first = mapping.GetKey(key.Value);
            if (first is not null)
            {
                Error(key, $"duplicate key '{key.Value}' (expected each key once; first at line {first.Line})");
                continue;
            }

            mapping.Entries.Add(new(key, value));
        }

        foreach (var source in merged)
        {
            Merge(mapping, source);
        }

        return mapping;
    }

    /// <summary>Adds the entries of a merged mapping (or list of mappings) that the mapping does not set itself.</summary>
    private void Merge(YamlMapping target, YamlNode source)
    {
        var sources = source is YamlSequence list ? list.Items : [source];
        foreach (var item in sources)
        {
            if (item is not YamlMapping from)
            {
                Error(item, $"merge key '<<' given {item.Describe()} (expected a mapping, an alias to one, or a list of them)");
                continue;
            }

            foreach (var entry in from.Entries)
            {
                if (target.GetKey(entry.Key.Value) is null)
                {
                    target.Entries.Add(entry);
                }
            }
        }
    }

    private void Error(YamlNode node, string message) =>
        problems.Add(new ModelProblem(file, node.Line, node.Column, ProblemSeverity.Error, message));
}
