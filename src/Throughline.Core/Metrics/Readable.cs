using System.Globalization;

namespace Throughline.Metrics;

/// <summary>How durations and rates are written for people, by every page and by <c>report</c>: one style everywhere.</summary>
public static class Readable
{
    /// <summary>A duration: minutes below an hour, hours below three days (72 h), else days; <paramref name="none"/> when unknown.</summary>
    public static string Hours(double? hours, string none = "no data") => hours switch
    {
        null => none,
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{hours * 60:0} min"),
        < 72 => string.Create(CultureInfo.InvariantCulture, $"{hours:0.#} h"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{hours / 24:0.#} days"),
    };

    /// <summary>A rate as a percentage; <paramref name="none"/> when undefined.</summary>
    public static string Percent(double? rate, string none = "no data") =>
        rate is { } r ? string.Create(CultureInfo.InvariantCulture, $"{r * 100:0.#} %") : none;
}
