using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Throughline.Intake.Hooks;

/// <summary>Reads the timestamps tools put in their webhooks, whatever the format, as one instant.</summary>
/// <remarks>
/// <para>Text: RFC 3339 / ISO 8601 with <c>Z</c> or an offset (<c>+02:00</c> or <c>+0200</c>), a space instead of
/// <c>T</c>, a zone written <c>UTC</c> (<c>2013-12-03 17:23:34 UTC</c>), and Go's <c>time.Time</c> text
/// (<c>2024-03-05 07:33:04 +0000 UTC</c>). A time without a zone is refused: guessing one would shift events.</para>
/// <para>Numbers (or digit-only text) are Unix epoch times whose unit is told by magnitude: below 10^11 seconds
/// (fractions allowed), below 10^14 milliseconds, below 10^17 microseconds, else nanoseconds. Precision beyond
/// 100 ns is truncated.</para>
/// <para>Go's zero time (<c>0001-01-01T00:00:00Z</c>, which Alertmanager and Argo CD send for "not yet") and epoch 0
/// read as absent.</para>
/// </remarks>
public static partial class HookTime
{
    private const double SecondsBelow = 1e11;
    private const double MillisecondsBelow = 1e14;
    private const double MicrosecondsBelow = 1e17;

    /// <summary>Parses a JSON string or number; false when it is missing, null, zero time or unreadable.</summary>
    public static bool TryParse(JsonElement? value, out DateTimeOffset time)
    {
        time = default;
        return value switch
        {
            { ValueKind: JsonValueKind.String } text => TryParse(text.GetString(), out time),
            { ValueKind: JsonValueKind.Number } number => number.TryGetDecimal(out var epoch) && TryFromEpoch(epoch, out time),
            _ => false,
        };
    }

    /// <summary>Parses text in any of the accepted forms; false when it is empty, zero time or unreadable.</summary>
    public static bool TryParse(string? text, out DateTimeOffset time)
    {
        time = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var epoch))
        {
            return TryFromEpoch(epoch, out time);
        }

        var match = DateTimeText().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var zone = match.Groups["zone"].Value;
        var offset = zone is "Z" or "z" or "UTC" ? TimeSpan.Zero : ParseOffset(zone);
        if (!DateTime.TryParseExact(match.Groups["date"].Value + "T" + match.Groups["time"].Value, "yyyy-MM-dd'T'HH:mm:ss",
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        var fraction = match.Groups["fraction"].Value;
        var ticks = fraction.Length == 0 ? 0 : long.Parse(fraction[..Math.Min(7, fraction.Length)].PadRight(7, '0'), CultureInfo.InvariantCulture);
        time = new DateTimeOffset(local.AddTicks(ticks), offset);
        if (time.UtcDateTime.Year <= 1)
        {
            time = default;
            return false;
        }

        return true;
    }

    /// <summary>The instant of a Unix epoch number in seconds, milliseconds, microseconds or nanoseconds (told by magnitude).</summary>
    public static bool TryFromEpoch(decimal epoch, out DateTimeOffset time)
    {
        time = default;
        var magnitude = Math.Abs((double)epoch);
        if (epoch <= 0)
        {
            return false;
        }

        decimal ticks = magnitude < SecondsBelow ? epoch * TimeSpan.TicksPerSecond
            : magnitude < MillisecondsBelow ? epoch * TimeSpan.TicksPerMillisecond
            : magnitude < MicrosecondsBelow ? epoch * 10
            : epoch / 100;
        var total = decimal.Truncate(ticks) + DateTime.UnixEpoch.Ticks;
        if (total > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        time = new DateTimeOffset((long)total, TimeSpan.Zero);
        return true;
    }

    /// <summary>The instant as RFC 3339 UTC text with seven fraction digits, the form written into generated CDEvents.</summary>
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static TimeSpan ParseOffset(string zone)
    {
        var sign = zone[0] == '-' ? -1 : 1;
        var digits = zone[1..].Replace(":", "", StringComparison.Ordinal);
        var hours = int.Parse(digits[..2], CultureInfo.InvariantCulture);
        var minutes = int.Parse(digits[2..], CultureInfo.InvariantCulture);
        return sign * new TimeSpan(hours, minutes, 0);
    }

    [GeneratedRegex(@"^(?<date>\d{4}-\d{2}-\d{2})[Tt ](?<time>\d{2}:\d{2}:\d{2})(?:\.(?<fraction>\d+))?\s*(?<zone>[Zz]|UTC|[+-]\d{2}:?\d{2})(?:\s+[A-Z]{2,5})?$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimeText();
}
