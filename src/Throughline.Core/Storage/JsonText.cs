using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Throughline.Storage;

/// <summary>What is wrong with a JSON text.</summary>
public enum JsonTextFault
{
    /// <summary>Not JSON at all, or nested deeper than <see cref="JsonText.MaxDepth"/>.</summary>
    Syntax,

    /// <summary>JSON, but a string or a property name is not Unicode text: invalid UTF-8 bytes, or a <c>\u</c> escape of a lone surrogate.</summary>
    Unicode,

    /// <summary>JSON, but an object names the same property twice.</summary>
    DuplicateName,
}

/// <summary>The first problem found in a JSON text.</summary>
/// <param name="Fault">What kind of problem.</param>
/// <param name="Path">Where: property names joined by dots, array positions in brackets (<c>subject.content.labels[2]</c>); empty for the text as a whole.</param>
/// <param name="Reason">What is wrong, for a person.</param>
public sealed record JsonTextProblem(JsonTextFault Fault, string Path, string Reason)
{
    /// <summary>The problem as one line: the path, then the reason.</summary>
    public override string ToString() => Path.Length > 0 ? $"{Path}: {Reason}" : Reason;
}

/// <summary>Which JSON texts every reader of the store can read: the rule intake checks at the door and readers of stored rows check again.</summary>
/// <remarks>
/// <para>Readable means: JSON (RFC 8259) nested at most <see cref="MaxDepth"/> levels, every string and property name Unicode
/// text. <see cref="System.Text.Json"/> parses a <c>\uD800</c> escape without complaint and throws only when the string is
/// read, so a payload that parses can still break every reader that looks at the wrong field; this check reads every
/// string once to be sure. Optionally (intake's strict reading) no object may name a property twice.</para>
/// <para>One forward pass with <see cref="Utf8JsonReader"/>; memory stays flat except for property names of objects
/// with many properties, and time linear in the text.</para>
/// </remarks>
public static class JsonText
{
    /// <summary>Deepest nesting accepted: CDEvents need far less, and the limit bounds every parser's work.</summary>
    public const int MaxDepth = 64;

    private static readonly JsonReaderOptions Options = new() { MaxDepth = MaxDepth };

    /// <summary>Objects with more properties than this are checked for repeats with a hash set instead of by comparison.</summary>
    private const int FewNames = 16;

    /// <summary>Longest piece of a sent value a message repeats, so that an answer stays sized to the question whatever was sent.</summary>
    public const int MaxQuoted = 80;

    /// <summary><paramref name="value"/> as a message repeats it: whole when short, else its start and its length.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length <= MaxQuoted ? value : $"{value[..MaxQuoted]}... ({value.Length} characters)";
    }

    /// <summary>Checks a JSON text held as a .NET string (a stored payload): null when every reader can read it.</summary>
    public static JsonTextProblem? Check(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            // Encoding a .NET string gives valid UTF-8 (a lone surrogate char becomes U+FFFD): only escapes need decoding.
            var length = Encoding.UTF8.GetBytes(text, rented);
            return Check(rented.AsSpan(0, length), refuseDuplicateNames: false, knownUtf8: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Checks UTF-8 JSON: null when every reader can read it (and, with <paramref name="refuseDuplicateNames"/>, no object repeats a name).</summary>
    /// <param name="utf8">The text, without a byte order mark.</param>
    /// <param name="refuseDuplicateNames">Also report an object that names a property twice.</param>
    public static JsonTextProblem? Check(ReadOnlySpan<byte> utf8, bool refuseDuplicateNames) => Check(utf8, refuseDuplicateNames, knownUtf8: false);

    private static JsonTextProblem? Check(ReadOnlySpan<byte> utf8, bool refuseDuplicateNames, bool knownUtf8) =>
        !refuseDuplicateNames && Readable(utf8, knownUtf8) ? null : Walk(utf8, refuseDuplicateNames, knownUtf8);

    /// <summary>The quick pass, for texts that are almost always fine: true when readable; finding where a problem is takes <see cref="Walk"/>.</summary>
    private static bool Readable(ReadOnlySpan<byte> utf8, bool knownUtf8)
    {
        var reader = new Utf8JsonReader(utf8, Options);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName
                    && (reader.ValueIsEscaped || !knownUtf8) && Undecodable(ref reader, knownUtf8) is not null)
                {
                    return false;
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return true;
    }

    /// <summary>The pass that keeps track of where it is: the first problem with its path, or null.</summary>
    private static JsonTextProblem? Walk(ReadOnlySpan<byte> utf8, bool refuseDuplicateNames, bool knownUtf8)
    {
        var reader = new Utf8JsonReader(utf8, Options);
        var frames = new List<Frame>();
        var names = new List<Name>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        Advance(frames);
                        frames.Add(new Frame { IsArray = reader.TokenType == JsonTokenType.StartArray, FirstName = names.Count, Index = -1 });
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        names.RemoveRange(frames[^1].FirstName, names.Count - frames[^1].FirstName);
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var name = new Name((int)reader.TokenStartIndex, reader.ValueSpan.Length, reader.ValueIsEscaped);
                        CollectionsMarshal.AsSpan(frames)[^1].Current = name;
                        if (Undecodable(ref reader, knownUtf8) is { } nameFault)
                        {
                            return new(JsonTextFault.Unicode, PathOf(utf8, frames, withLast: false), $"a property name {nameFault}");
                        }

                        if (refuseDuplicateNames && Repeats(utf8, frames, names, name))
                        {
                            return new(JsonTextFault.DuplicateName, PathOf(utf8, frames, withLast: true),
                                $"the key '{Quote(NameText(utf8, name))}' appears twice in this object (each key may appear once: which one counts would be undefined)");
                        }

                        names.Add(name);
                        break;
                    default:
                        Advance(frames);
                        if (reader.TokenType == JsonTokenType.String && Undecodable(ref reader, knownUtf8) is { } valueFault)
                        {
                            return new(JsonTextFault.Unicode, PathOf(utf8, frames, withLast: true), $"the string {valueFault}");
                        }

                        break;
                }
            }
        }
        catch (JsonException exception)
        {
            return new(JsonTextFault.Syntax, "", $"not valid JSON: {exception.Message}");
        }

        return null;
    }

    /// <summary>Why the current string token is not Unicode text, or null when it is.</summary>
    private static string? Undecodable(ref Utf8JsonReader reader, bool knownUtf8)
    {
        if (!knownUtf8 && !System.Text.Unicode.Utf8.IsValid(reader.ValueSpan))
        {
            return "is not valid UTF-8";
        }

        if (!reader.ValueIsEscaped)
        {
            return null;
        }

        try
        {
            reader.GetString();
            return null;
        }
        catch (InvalidOperationException)
        {
            return "holds a \\u escape of a lone surrogate, which is not Unicode text " +
                "(a high surrogate \\uD800-\\uDBFF must be followed by a low one \\uDC00-\\uDFFF)";
        }
    }

    /// <summary>A value or a nested container starts: inside an array, it is the next item.</summary>
    private static void Advance(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray)
        {
            CollectionsMarshal.AsSpan(frames)[^1].Index++;
        }
    }

    private static bool Repeats(ReadOnlySpan<byte> utf8, List<Frame> frames, List<Name> names, Name name)
    {
        var frame = frames[^1];
        var count = names.Count - frame.FirstName;
        if (count < FewNames)
        {
            for (var i = frame.FirstName; i < names.Count; i++)
            {
                if (Same(utf8, names[i], name))
                {
                    return true;
                }
            }

            return false;
        }

        if (frame.Many is null)
        {
            var many = new HashSet<string>(StringComparer.Ordinal);
            for (var i = frame.FirstName; i < names.Count; i++)
            {
                many.Add(NameText(utf8, names[i]));
            }

            CollectionsMarshal.AsSpan(frames)[^1].Many = frame.Many = many;
        }

        return !frame.Many.Add(NameText(utf8, name));
    }

    private static bool Same(ReadOnlySpan<byte> utf8, Name first, Name second) =>
        first.Escaped || second.Escaped
            ? NameText(utf8, first) == NameText(utf8, second)
            : RawName(utf8, first).SequenceEqual(RawName(utf8, second));

    /// <summary>The name as written, between its quotes (escapes not decoded).</summary>
    private static ReadOnlySpan<byte> RawName(ReadOnlySpan<byte> utf8, Name name) => utf8.Slice(name.Start + 1, name.Length);

    /// <summary>The name decoded; as written when it does not decode.</summary>
    private static string NameText(ReadOnlySpan<byte> utf8, Name name)
    {
        var raw = RawName(utf8, name);
        if (!name.Escaped)
        {
            return Encoding.UTF8.GetString(raw);
        }

        var quoted = utf8.Slice(name.Start, name.Length + 2);
        var reader = new Utf8JsonReader(quoted);
        try
        {
            return reader.Read() ? reader.GetString() ?? "" : Encoding.UTF8.GetString(raw);
        }
        catch (InvalidOperationException)
        {
            return Encoding.UTF8.GetString(raw);
        }
    }

    private static string PathOf(ReadOnlySpan<byte> utf8, List<Frame> frames, bool withLast)
    {
        var path = new StringBuilder();
        for (var i = 0; i < frames.Count; i++)
        {
            var frame = frames[i];
            var last = i == frames.Count - 1;
            if (frame.IsArray)
            {
                path.Append('[').Append(frame.Index).Append(']');
            }
            else if (frame.Current is { } name && (withLast || !last))
            {
                path.Append(path.Length > 0 ? "." : "").Append(Quote(NameText(utf8, name)));
            }
        }

        return path.ToString();
    }

    /// <summary>A property name's place in the text: where its opening quote is, how long it is between the quotes.</summary>
    private readonly record struct Name(int Start, int Length, bool Escaped);

    /// <summary>An open object or array: for an array the index of its current item, for an object its current property
    /// and where its names start in the list of names (and a set of them once there are many).</summary>
    private struct Frame
    {
        public bool IsArray;
        public int FirstName;
        public int Index;
        public Name? Current;
        public HashSet<string>? Many;
    }
}
