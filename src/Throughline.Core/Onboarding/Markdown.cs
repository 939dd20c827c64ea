using System.Globalization;
using System.Text;

namespace Throughline.Onboarding;

/// <summary>Writes CommonMark a page at a time: text from the model and the tools escaped, so no name or title can change the page's structure.</summary>
internal sealed class Markdown
{
    private readonly StringBuilder _text = new();

    /// <summary>A line of Markdown (already escaped where it holds text from elsewhere).</summary>
    public Markdown Line(FormattableString line)
    {
        _text.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return this;
    }

    /// <summary>An empty line: ends a paragraph, a list or a table.</summary>
    public Markdown Blank()
    {
        _text.Append('\n');
        return this;
    }

    /// <summary>A table: a header row and one row per item, every cell escaped.</summary>
    public Markdown Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        _text.Append("| ").AppendJoin(" | ", header).Append(" |\n|").AppendJoin("|", header.Select(_ => "---")).Append("|\n");
        foreach (var row in rows)
        {
            _text.Append("| ").AppendJoin(" | ", row).Append(" |\n");
        }

        return Blank();
    }

    /// <summary>A fenced block of Mermaid source.</summary>
    public Markdown Mermaid(IEnumerable<string> lines)
    {
        _text.Append("```mermaid\n");
        foreach (var line in lines)
        {
            _text.Append(line).Append('\n');
        }

        _text.Append("```\n");
        return Blank();
    }

    public override string ToString() => _text.ToString();

    /// <summary>
    /// Text from elsewhere as literal inline Markdown: the characters that start inline markup anywhere (emphasis, code, links, raw
    /// HTML, entities, table cells, strikethrough) are backslash-escaped, and so is a first character that would start a block (a
    /// list item, a heading, a quote, a numbered item) where the text begins a line.
    /// </summary>
    public static string Text(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var escaped = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\r' or '\n')
            {
                escaped.Append(' ');
                continue;
            }

            var opensBlock = (i == 0 && c is '-' or '+' or '#' or '=' or '>')
                || (c is '.' or ')' && i > 0 && (i + 1 == text.Length || text[i + 1] == ' ') && text[..i].All(char.IsAsciiDigit));
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '|' or '&' or '~' or '!' || opensBlock)
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>A link to another page, relative to the current page's folder.</summary>
    public static string Link(string text, string target) => $"[{Text(text)}]({target})";

    /// <summary>A Mermaid node label of one or more lines: quoted, the characters that end or break a label written as entities.</summary>
    public static string Label(params string[] lines) =>
        "\"" + string.Join("<br/>", lines.Select(l => l
            .Replace("#", "#35;", StringComparison.Ordinal).Replace("\"", "#quot;", StringComparison.Ordinal)
            .Replace("<", "#lt;", StringComparison.Ordinal).Replace(">", "#gt;", StringComparison.Ordinal))) + "\"";
}
