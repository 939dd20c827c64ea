namespace Throughline.Bench.Http;

/// <summary>Reads a JSON-lines file as raw lines: no parsing, the server checks them.</summary>
internal static class JsonLines
{
    /// <summary>The first <paramref name="limit"/> non-blank lines of <paramref name="path"/>, without their line ends.</summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> Read(string path, int limit)
    {
        ReadOnlyMemory<byte> text = File.ReadAllBytes(path);
        var lines = new List<ReadOnlyMemory<byte>>();
        while (!text.IsEmpty && lines.Count < limit)
        {
            var end = text.Span.IndexOf((byte)'\n');
            var line = end < 0 ? text : text[..end];
            text = end < 0 ? ReadOnlyMemory<byte>.Empty : text[(end + 1)..];
            var trimmed = line.Span.TrimEnd((byte)'\r');
            if (!trimmed.Trim(" \t"u8).IsEmpty)
            {
                lines.Add(line[..trimmed.Length]);
            }
        }

        return lines;
    }
}
