using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Throughline.Model.Yaml;

/// <summary>
/// One pass over the parser events that refuses hostile documents before anything is built:
/// too many nodes once aliases are expanded ("billion laughs"), too deep, more than one document,
/// unknown aliases, syntax errors, and text no store or reader can keep: a NUL character (PostgreSQL
/// refuses it in the model history), or an escape that is not a character (<c>"\udc00"</c>).
/// </summary>
/// <remarks>
/// Each anchor remembers the size and height of its subtree, so an alias costs what its expansion would,
/// without expanding it. Memory and time stay linear in the size of the text.
/// </remarks>
internal static class YamlGuard
{
    public static ModelProblem? Check(string text, string file, ModelLoadOptions options)
    {
        var anchors = new Dictionary<string, (long Nodes, int Height)>(StringComparer.Ordinal);
        var stack = new Stack<Frame>();
        long total = 0;
        var documents = 0;
        if (text.IndexOf('\0', StringComparison.Ordinal) is var nul and >= 0)
        {
            var line = text.AsSpan(0, nul).Count('\n') + 1;
            return new ModelProblem(file, line, nul - text.LastIndexOf('\n', Math.Max(0, nul - 1)), ProblemSeverity.Error,
                "a NUL character (expected text: an operating model holds none, and a PostgreSQL store could not keep it)");
        }

        var parser = new Parser(new StringReader(text));
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                long nodes;
                int height;
                switch (current)
                {
                    case DocumentStart:
                        if (++documents > 1)
                        {
                            return Problem(file, current.Start, "a second YAML document (expected one document per file)");
                        }

                        continue;
                    case MappingStart or SequenceStart:
                        var node = (NodeEvent)current;
                        if (stack.Count + 1 > options.MaxDepth)
                        {
                            return Problem(file, current.Start,
                                $"nesting deeper than {options.MaxDepth} levels (expected a flatter document)");
                        }

                        stack.Push(new Frame(node.Anchor.IsEmpty ? null : node.Anchor.Value));
                        total++;
                        if (total > options.MaxNodes)
                        {
                            return TooManyNodes(file, current.Start, options);
                        }

                        continue;
                    case MappingEnd or SequenceEnd:
                        var frame = stack.Pop();
                        nodes = frame.Nodes;
                        height = frame.Height;
                        if (frame.Anchor is not null)
                        {
                            anchors[frame.Anchor] = (nodes, height);
                        }

                        break;
                    case Scalar scalar:
                        if (NotText(scalar.Value) is { } notText)
                        {
                            return Problem(file, current.Start, notText);
                        }

                        nodes = 1;
                        height = 0;
                        total++;
                        if (!scalar.Anchor.IsEmpty)
                        {
                            anchors[scalar.Anchor.Value] = (1, 0);
                        }

                        break;
                    case AnchorAlias alias:
                        if (!anchors.TryGetValue(alias.Value.Value, out var anchored))
                        {
                            return Problem(file, current.Start,
                                $"alias '*{alias.Value.Value}' refers to no anchor defined before it (expected '&{alias.Value.Value}' earlier in the file)");
                        }

                        (nodes, height) = anchored;
                        total += nodes;
                        if (stack.Count + height > options.MaxDepth)
                        {
                            return Problem(file, current.Start,
                                $"nesting deeper than {options.MaxDepth} levels once alias '*{alias.Value.Value}' is expanded (expected a flatter document)");
                        }

                        break;
                    default:
                        continue;
                }

                if (total > options.MaxNodes)
                {
                    return TooManyNodes(file, current.Start, options);
                }

                if (stack.Count > 0)
                {
                    var parent = stack.Peek();
                    parent.Nodes += nodes;
                    parent.Height = Math.Max(parent.Height, height + 1);
                }
            }
        }
        catch (YamlException exception)
        {
            return Problem(file, exception.Start, YamlErrors.Describe(exception));
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's scanner throws these, not a YamlException, on some unclosed flow collections ("a: [" then more keys)
            // and on an escape of a low surrogate followed by a high one.
            return Problem(file, parser.Current?.End ?? Mark.Empty,
                "not valid YAML after this point (expected every '[' and '{' closed, and escapes that are characters)");
        }

        return documents == 0 ? new ModelProblem(file, 1, 1, ProblemSeverity.Error, "the file is empty (expected an operating model, starting with 'version: 1')") : null;
    }

    /// <summary>Why a scalar's value cannot be kept (it holds a NUL, from a <c>"\0"</c> escape), or null. YamlDotNet itself
    /// refuses an escape of a lone surrogate.</summary>
    private static string? NotText(string value) =>
        value.Contains('\0', StringComparison.Ordinal) ? "the value holds a NUL character (expected text without one)" : null;

    private static ModelProblem TooManyNodes(string file, Mark mark, ModelLoadOptions options) =>
        Problem(file, mark, $"more than {options.MaxNodes} nodes once aliases are expanded (expected a smaller document; is this an alias bomb?)");

    private static ModelProblem Problem(string file, Mark mark, string message) =>
        new(file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column), ProblemSeverity.Error, message);

    private sealed class Frame(string? anchor)
    {
        public string? Anchor { get; } = anchor;

        public long Nodes { get; set; } = 1;

        public int Height { get; set; } = 1;
    }
}
