namespace Throughline.Web.ModelApi;

/// <summary>Takes the parts of a URL that commonly carry credentials out of it before it is shown.</summary>
internal static class UrlRedaction
{
    public const string Redacted = "redacted";

    /// <summary>
    /// The URL with its user information (<c>user:password@</c>) and every query value replaced by <see cref="Redacted"/>;
    /// scheme, host, path (placeholders such as <c>{service}</c> included, unescaped) and query names are kept as written.
    /// </summary>
    public static string Redact(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var text = url;
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            var authority = scheme + 3;
            var authorityEnd = text.IndexOfAny(['/', '?', '#'], authority);
            authorityEnd = authorityEnd < 0 ? text.Length : authorityEnd;
            var at = text.LastIndexOf('@', authorityEnd - 1, authorityEnd - authority);
            if (at >= 0)
            {
                text = string.Concat(text.AsSpan(0, authority), Redacted, text.AsSpan(at));
            }
        }

        var query = text.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return text;
        }

        var fragment = text.IndexOf('#', query);
        var end = fragment < 0 ? text.Length : fragment;
        var parameters = text[(query + 1)..end].Split('&').Select(p => p.IndexOf('=', StringComparison.Ordinal) is var equals and >= 0 ? p[..(equals + 1)] + Redacted : p);
        return text[..(query + 1)] + string.Join('&', parameters) + text[end..];
    }
}
