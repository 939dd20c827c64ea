using System.Text.RegularExpressions;

namespace Throughline.Web;

/// <summary>Takes the parts of a URL that commonly carry credentials out of it before it is shown or logged.</summary>
/// <remarks>
/// The one rule for secrets in URLs: user information (<c>user:password@</c>) and every query value become
/// <see cref="Redacted"/>, whatever the parameter's name (<c>?token=</c> for Jenkins, Jira and <c>/sign-in</c>, but a tool
/// may call it anything). The model API applies it to the URLs it shows, <see cref="LogRedaction"/> to every log line.
/// </remarks>
internal static partial class UrlRedaction
{
    public const string Redacted = "redacted";

    /// <summary>
    /// The URL with its user information (<c>user:password@</c>) and every query value replaced by <see cref="Redacted"/>;
    /// scheme, host, path (placeholders such as <c>{service}</c> included, unescaped) and query names are kept as written.
    /// </summary>
    public static string Redact(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return RedactText(url);
    }

    /// <summary>
    /// <paramref name="text"/> (a log line, an exception's message) with every URL in it redacted as <see cref="Redact"/>
    /// does: user information after <c>://</c>, and each value after <c>?name=</c> or <c>&amp;name=</c> up to the next
    /// <c>&amp;</c>, <c>#</c>, white space or quote.
    /// </summary>
    public static string RedactText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains('?', StringComparison.Ordinal) || text.Contains('@', StringComparison.Ordinal)
            ? QueryValue().Replace(UserInformation().Replace(text, Redacted + "@"), Redacted)
            : text;
    }

    /// <summary>What stands between <c>scheme://</c> and the last <c>@</c> of the authority.</summary>
    [GeneratedRegex(@"(?<=://)[^/?#\s]*@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInformation();

    /// <summary>A query value: after <c>?name=</c> or <c>&amp;name=</c>, up to <c>&amp;</c>, <c>#</c>, white space, a quote or an angle bracket.</summary>
    [GeneratedRegex(@"(?<=[?&][^?&=#\s""'<>]+=)[^&#\s""'<>]*", RegexOptions.CultureInvariant)]
    private static partial Regex QueryValue();
}
