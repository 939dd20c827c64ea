using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Throughline.Intake;

/// <summary>What a timestamp means, wherever one arrives: in a CDEvent, in a tool's webhook, or written back out.</summary>
/// <remarks>
/// <para>One grammar, read at two strictnesses. <see cref="TryParseRfc3339"/> is what CDEvents require
/// (<c>context.timestamp</c>, and the commit times the timeline reads): <c>yyyy-MM-ddTHH:mm:ss[.fraction]</c> then <c>Z</c>
/// or <c>±hh:mm</c>, with <c>T</c> or a space, either case of <c>T</c> and <c>Z</c>, nothing before or after (a single
/// final line feed aside), an offset's minutes 00–59. Every such instant is accepted, year 1 included.</para>
/// <para><see cref="TryParse(string?, out DateTimeOffset)"/> reads whatever tools write: the above, surrounded by white
/// space, with white space before the zone, a zone written <c>UTC</c> or <c>±hhmm</c> (<c>2013-12-03 17:23:34 UTC</c>),
/// Go's <c>time.Time</c> text (<c>2024-03-05 07:33:04 +0000 UTC</c>), an offset whose minutes carry into its hours
/// (<c>+01:60</c> is <c>+02:00</c>), and Unix epoch numbers whose unit is told by magnitude: below 10^11 seconds
/// (fractions allowed), below 10^14 milliseconds, below 10^17 microseconds, else nanoseconds. Go's zero time
/// (<c>0001-01-01T00:00:00Z</c>, which Alertmanager and Argo CD send for "not yet"), any other time in year 1 UTC, and
/// epoch 0 or below read as absent.</para>
/// <para>Both: a time without a zone is refused (guessing one would shift events); precision beyond 100 ns is truncated;
/// offsets beyond ±14 h and instants outside years 1–9999 UTC (year 1 or 9999 pushed out by its offset) are refused,
/// never thrown, and so is a time computed from a tool's (a start plus a duration, <see cref="Plus"/>).</para>
/// </remarks>
internal static partial class Timestamps
{
    private const double SecondsBelow = 1e11;
    private const double MillisecondsBelow = 1e14;
    private const double MicrosecondsBelow = 1e17;
    private static readonly TimeSpan LargestOffset = TimeSpan.FromHours(14);

    /// <summary>Parses an RFC 3339 timestamp as CDEvents require it; false when it is anything else.</summary>
    public static bool TryParseRfc3339(string? text, out DateTimeOffset time)
    {
        time = default;
        var match = text is null ? Match.Empty : DateTimeText().Match(text);
        return match.Success && IsRfc3339(match) && TryBuild(match, rfc3339: true, out time);
    }

    /// <summary>Parses a tool's JSON string or number; false when it is missing, null, zero time or unreadable.</summary>
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

    /// <summary>Parses a tool's text in any of the accepted forms; false when it is empty, zero time or unreadable.</summary>
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
        if (!match.Success || !TryBuild(match, rfc3339: false, out time) || time.UtcDateTime.Year <= 1)
        {
            time = default;
            return false;
        }

        return true;
    }

    /// <summary>The instant of a count of nanoseconds since the Unix epoch (OpenTelemetry's <c>fixed64</c> times); 0, which OTLP sends for "not set", reads as absent.</summary>
    public static bool TryFromUnixNanoseconds(ulong nanoseconds, out DateTimeOffset time)
    {
        // Every ulong of nanoseconds (up to the year 2554) is a DateTimeOffset: only 0 is refused.
        time = nanoseconds == 0 ? default : DateTimeOffset.UnixEpoch.AddTicks((long)(nanoseconds / 100));
        return nanoseconds != 0;
    }

    /// <summary>The instant of a Unix epoch number in seconds, milliseconds, microseconds or nanoseconds (told by magnitude).</summary>
    public static bool TryFromEpoch(decimal epoch, out DateTimeOffset time)
    {
        time = default;
        if (epoch <= 0)
        {
            return false;
        }

        var magnitude = (double)epoch;
        var ticks = magnitude < SecondsBelow ? epoch * TimeSpan.TicksPerSecond
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

    /// <summary>
    /// The instant <paramref name="milliseconds"/> after <paramref name="time"/> (a tool's start plus a duration), in UTC;
    /// null when it falls outside years 1–9999, read as absent like any other time out of range, never thrown.
    /// </summary>
    public static DateTimeOffset? Plus(DateTimeOffset time, long milliseconds)
    {
        var ticks = time.UtcTicks + ((decimal)milliseconds * TimeSpan.TicksPerMillisecond);
        return ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks ? null : new DateTimeOffset((long)ticks, TimeSpan.Zero);
    }

    /// <summary>The instant as RFC 3339 UTC text with seven fraction digits, the form written into generated CDEvents.</summary>
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>True when the match has none of the forms only tools write.</summary>
    private static bool IsRfc3339(Match match) =>
        match.Groups["gap"].Length == 0 && !match.Groups["name"].Success && match.Groups["zone"].Value is "Z" or "z" or { Length: 6 };

    private static bool TryBuild(Match match, bool rfc3339, out DateTimeOffset time)
    {
        time = default;
        if (!DateTime.TryParseExact(match.Groups["date"].Value + "T" + match.Groups["time"].Value, "yyyy-MM-dd'T'HH:mm:ss",
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        var zone = match.Groups["zone"].Value;
        var offset = TimeSpan.Zero;
        if (zone is not ("Z" or "z" or "UTC"))
        {
            var digits = zone[1..].Replace(":", "", StringComparison.Ordinal);
            var minutes = int.Parse(digits[2..], CultureInfo.InvariantCulture);
            if (rfc3339 && minutes >= 60)
            {
                return false;
            }

            offset = (zone[0] == '-' ? -1 : 1) * new TimeSpan(int.Parse(digits[..2], CultureInfo.InvariantCulture), minutes, 0);
        }

        var fraction = match.Groups["fraction"].Value;
        var ticks = fraction.Length == 0 ? 0 : long.Parse(fraction[..Math.Min(7, fraction.Length)].PadRight(7, '0'), CultureInfo.InvariantCulture);
        var utc = local.Ticks + ticks - offset.Ticks;
        if (offset.Duration() > LargestOffset || utc < DateTime.MinValue.Ticks || utc > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        time = new DateTimeOffset(local.AddTicks(ticks), offset);
        return true;
    }

    [GeneratedRegex(@"^(?<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ](?<time>[0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.(?<fraction>[0-9]+))?(?<gap>\s*)(?<zone>[Zz]|UTC|[+-][0-9]{2}:?[0-9]{2})(?<name>\s+[A-Z]{2,5})?$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimeText();
}
