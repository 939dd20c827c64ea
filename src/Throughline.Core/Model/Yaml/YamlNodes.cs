namespace Throughline.Model.Yaml;

/// <summary>A node of a parsed YAML document that remembers where it starts (1-based line and column).</summary>
/// <remarks>
/// A small tree of our own instead of YamlDotNet's representation model, so that duplicate keys can be
/// reported instead of thrown and merge keys keep the positions of the text they come from.
/// </remarks>
internal abstract class YamlNode(int line, int column)
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    /// <summary>What the node is, for messages: "text", "a list" or "a mapping".</summary>
    public abstract string Describe();
}

internal sealed class YamlScalar(string value, bool isPlain, int line, int column) : YamlNode(line, column)
{
    public string Value { get; } = value;

    /// <summary>False for quoted and block scalars, whose text starts after the opening quote or indicator.</summary>
    public bool IsPlain { get; } = isPlain;

    /// <summary>A plain empty value, <c>~</c> or <c>null</c>: YAML's null.</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Describe() => IsNull ? "empty" : $"'{Value}'";
}

internal sealed class YamlSequence(int line, int column) : YamlNode(line, column)
{
    public List<YamlNode> Items { get; } = [];

    public override string Describe() => "a list";
}

internal sealed class YamlMapping(int line, int column) : YamlNode(line, column)
{
    public List<KeyValuePair<YamlScalar, YamlNode>> Entries { get; } = [];

    public YamlNode? Get(string key)
    {
        foreach (var (k, value) in Entries)
        {
            if (k.Value == key)
            {
                return value;
            }
        }

        return null;
    }

    public YamlScalar? GetKey(string key) => Entries.FirstOrDefault(e => e.Key.Value == key).Key;

    public override string Describe() => "a mapping";
}
