using System.Globalization;
using System.Text.RegularExpressions;

namespace Throughline.Model;

/// <summary>Durations as the model and the command line write them: a positive whole number and a unit, <c>90s</c>, <c>30m</c>, <c>24h</c>, <c>90d</c>.</summary>
public static partial class Durations
{
    /// <summary>What a valid duration looks like, for error messages.</summary>
    public const string Expected = "a positive whole number and a unit s, m, h or d, such as 90s, 30m, 24h or 2d";

    /// <summary>Reads <paramref name="text"/>; null when it is not a duration.</summary>
    public static TimeSpan? Parse(string text)
    {
        var match = Pattern().Match(text);
        var amount = match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        if (amount == 0)
        {
            return null;
        }

        return match.Groups[2].Value switch
        {
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            _ => TimeSpan.FromDays(amount),
        };
    }

    /// <summary>Writes <paramref name="duration"/> as the model would: the largest unit that divides it (<c>30m</c>, <c>90s</c>).</summary>
    public static string Format(TimeSpan duration) =>
        duration.Ticks % TimeSpan.TicksPerDay == 0 ? $"{duration.Ticks / TimeSpan.TicksPerDay}d"
        : duration.Ticks % TimeSpan.TicksPerHour == 0 ? $"{duration.Ticks / TimeSpan.TicksPerHour}h"
        : duration.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{duration.Ticks / TimeSpan.TicksPerMinute}m"
        : $"{(long)duration.TotalSeconds}s";

    [GeneratedRegex(@"^(\d{1,6})([smhd])$")]
    private static partial Regex Pattern();
}
