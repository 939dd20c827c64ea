namespace Throughline.Web;

/// <summary>The security headers on every answer: pages, API answers, problems, 404s and static assets alike.</summary>
/// <remarks>
/// The Content-Security-Policy allows nothing inline: no script or style element, no <c>style</c> attribute, no event
/// handler attribute, no <c>javascript:</c> URL. Pages style themselves with classes from <c>/assets/css/site.css</c>
/// and give a bar its width with the <c>width</c> attribute of an <c>svg</c> element (docs/ui.md). The headers are
/// added when the answer starts, so a handler that clears the headers before writing (an error page) does not drop
/// them. The referrer is never sent: a page's address may carry a token, and a link must not leak it.
/// One exception, narrow: an endpoint marked <see cref="DrawsDiagrams"/> (the onboarding docs pages) may carry inline styles,
/// because Mermaid draws each diagram as an SVG holding a <c>style</c> element and <c>style</c> attributes, in the page's own
/// document; refused, the diagrams are black boxes and Chromium logs each refusal as an error. Scripts stay <c>'self'</c>.
/// </remarks>
internal static class SecurityHeaders
{
    /// <summary>The endpoint metadata that marks a page whose diagrams Mermaid draws (<see cref="DrawsDiagrams"/>).</summary>
    internal sealed class DiagramStyles;

    /// <summary>The endpoint's answers may carry inline styles (<c>style-src 'self' 'unsafe-inline'</c>), for the SVGs Mermaid draws; nothing else is relaxed.</summary>
    public static TBuilder DrawsDiagrams<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new DiagramStyles());

    /// <summary>The policy; <paramref name="formActionOrigins"/> are origins a form may also submit to (a sign-in provider).</summary>
    /// <exception cref="ArgumentException">An origin is not an absolute http or https address.</exception>
    public static string ContentSecurityPolicy(params IEnumerable<string> formActionOrigins) => Policy(false, formActionOrigins);

    /// <summary>The policy of a page marked <see cref="DrawsDiagrams"/>: the same, with inline styles allowed.</summary>
    /// <exception cref="ArgumentException">An origin is not an absolute http or https address.</exception>
    public static string DiagramPagePolicy(params IEnumerable<string> formActionOrigins) => Policy(true, formActionOrigins);

    private static string Policy(bool inlineStyles, IEnumerable<string> formActionOrigins)
    {
        ArgumentNullException.ThrowIfNull(formActionOrigins);
        var formTargets = formActionOrigins.Select(Origin).Prepend("'self'").Distinct(StringComparer.Ordinal);
        return string.Join("; ",
            "default-src 'self'",
            "script-src 'self'",
            inlineStyles ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
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
        var diagramPolicy = DiagramPagePolicy(formActionOrigins);
        app.Use((context, next) =>
        {
            var response = context.Response;
            response.OnStarting(() =>
            {
                var headers = response.Headers;
                headers.ContentSecurityPolicy = context.GetEndpoint()?.Metadata.GetMetadata<DiagramStyles>() is null ? policy : diagramPolicy;
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
