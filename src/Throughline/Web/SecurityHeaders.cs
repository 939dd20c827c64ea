namespace Throughline.Web;

/// <summary>The security headers on every answer: pages, API answers, problems, 404s and static assets alike.</summary>
/// <remarks>
/// The Content-Security-Policy allows nothing inline: no script or style element, no <c>style</c> attribute, no event
/// handler attribute, no <c>javascript:</c> URL. Pages style themselves with classes from <c>/assets/css/site.css</c>
/// and give a bar its width with the <c>width</c> attribute of an <c>svg</c> element (docs/ui.md). The headers are
/// added when the answer starts, so a handler that clears the headers before writing (an error page) does not drop
/// them. The referrer is never sent: a page's address may carry a token, and a link must not leak it.
/// </remarks>
internal static class SecurityHeaders
{
    /// <summary>The policy; <paramref name="formActionOrigins"/> are origins a form may also submit to (a sign-in provider).</summary>
    /// <exception cref="ArgumentException">An origin is not an absolute http or https address.</exception>
    public static string ContentSecurityPolicy(params IEnumerable<string> formActionOrigins)
    {
        ArgumentNullException.ThrowIfNull(formActionOrigins);
        var formTargets = formActionOrigins.Select(Origin).Prepend("'self'").Distinct(StringComparer.Ordinal);
        return string.Join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            $"form-action {string.Join(' ', formTargets)}");
    }

    /// <summary>Adds the headers to every answer; <paramref name="formActionOrigins"/> as in <see cref="ContentSecurityPolicy"/>.</summary>
    public static void UseSecurityHeaders(this WebApplication app, params IEnumerable<string> formActionOrigins)
    {
        var policy = ContentSecurityPolicy(formActionOrigins);
        app.Use((context, next) =>
        {
            var response = context.Response;
            response.OnStarting(() =>
            {
                var headers = response.Headers;
                headers.ContentSecurityPolicy = policy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.XFrameOptions = "DENY";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                return Task.CompletedTask;
            });
            return next(context);
        });
    }

    /// <summary>The origin of an address (scheme, host and port): a path, user name or query never reaches the header.</summary>
    private static string Origin(string address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped)
            : throw new ArgumentException($"'{address}' is not an absolute http or https address, so it cannot be a form target.", nameof(address));
}
