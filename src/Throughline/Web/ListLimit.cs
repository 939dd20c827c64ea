using System.Globalization;

namespace Throughline.Web;

/// <summary>The one rule for a list's <c>limit=</c> (changes, events, the audit log): a whole number from 1 to <see cref="Max"/>.</summary>
/// <remarks>Beyond it the answer is a 400 naming the limit (docs/reliability.md, "Question limits"), never a longer list.</remarks>
internal static class ListLimit
{
    /// <summary>The most items one page of a list holds.</summary>
    public const int Max = 1000;

    /// <summary>The limit asked for, <paramref name="fallback"/> when none was, or null when it is not a whole number from 1 to <see cref="Max"/>.</summary>
    public static int? Read(string? text, int fallback) =>
        text is null ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= Max ? count
        : null;

    /// <summary>Why <paramref name="text"/> is not a limit, for a 400.</summary>
    public static string Problem(string? text) => $"'limit' is '{text}', not a whole number from 1 to {Max}";
}
