using System.Text;

namespace Throughline.Intake;

/// <summary>The limits on what an event may hold in the fields the store keeps in columns: checked by intake before anything is stored, the same for every engine.</summary>
/// <remarks>
/// <para>Ids, sources, types, subject ids and spec versions become columns of the store. Each engine has its own limits
/// there, and they differ: SQLite stores a NUL character and any length, PostgreSQL refuses a NUL in text and an index entry
/// (source and id together) above about 2.7 KB. One request of a batch of 500 that broke such a limit would answer the whole
/// batch with a 500 on one engine only, and a sender would retry it forever. So intake applies limits below every engine's,
/// the same everywhere, and refuses what breaks them with a 400 naming the item and the field.</para>
/// <para>Lengths are counted in UTF-8 bytes, as the engines count them. Control characters (U+0000–U+001F, U+007F–U+009F:
/// NUL, line breaks, tabs) are refused in these fields; they are printable names, and a NUL cannot be stored by
/// PostgreSQL. Everywhere else in an event (the payload) any Unicode text is kept as sent.</para>
/// </remarks>
public static class InputLimits
{
    /// <summary>Longest <c>context.id</c>, in UTF-8 bytes.</summary>
    public const int MaxIdBytes = 1024;

    /// <summary>Longest <c>context.source</c>, in UTF-8 bytes.</summary>
    public const int MaxSourceBytes = 1024;

    /// <summary>Longest <c>context.type</c>, in UTF-8 bytes.</summary>
    public const int MaxTypeBytes = 256;

    /// <summary>Longest <c>subject.id</c>, in UTF-8 bytes.</summary>
    public const int MaxSubjectIdBytes = 1024;

    /// <summary>Longest spec version (<c>context.specversion</c> or <c>context.version</c>), in UTF-8 bytes.</summary>
    public const int MaxSpecVersionBytes = 64;

    /// <summary>Longest webhook delivery id kept as the tool sent it, in UTF-8 bytes: with <c>/unmapped</c> or <c>/N</c> after it,
    /// the id of each event translated from it stays within <see cref="MaxIdBytes"/>. A longer one is replaced by the hash of the body.</summary>
    public const int MaxDeliveryIdBytes = 1000;

    /// <summary>Why <paramref name="value"/> may not be stored in a field limited to <paramref name="maxBytes"/>, or null when it may.</summary>
    public static string? Check(string value, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(value);
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsControl(value[i]))
            {
                return $"holds the control character U+{(int)value[i]:X4} at position {i} (ids, sources, types and subject ids must be printable text)";
            }
        }

        var bytes = Encoding.UTF8.GetByteCount(value);
        return bytes > maxBytes ? $"is {bytes} bytes long in UTF-8; at most {maxBytes} are accepted" : null;
    }
}
