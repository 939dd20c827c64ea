using System.Text.RegularExpressions;
using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Throughline.Onboarding;

namespace Throughline.Web.DocsPages;

/// <summary>An onboarding docs page's Markdown as the UI shows it: HTML, links to other pages pointing at <c>/docs/...</c>, diagrams left for Mermaid.</summary>
/// <remarks>
/// The pipeline is CommonMark with one extension, GFM pipe tables (what GitHub and GitLab render too), and raw HTML disabled:
/// a name from the model that looks like markup is written as text. A relative link ending in <c>.md</c> becomes the page's
/// route (<c>../teams/platform.md</c> from <c>services/checkout.md</c> is <c>/docs/teams/platform</c>, <c>index.md</c> is
/// <c>/docs</c>); a link with a scheme other than http, https or mailto is written as its text. A <c>mermaid</c> fenced block becomes
/// <c>&lt;pre class="mermaid"&gt;</c> holding its escaped source, which <c>wwwroot/js/docs.js</c> has Mermaid draw. The page's
/// level-1 heading is left out: the page frame writes the title as the one <c>h1</c>.
/// </remarks>
internal static partial class DocsMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().DisableHtml().Build();

    /// <summary>The UI's address of a page: <c>index.md</c> is <c>/docs</c>, <c>services/checkout.md</c> is <c>/docs/services/checkout</c>.</summary>
    public static string RouteOf(string pagePath)
    {
        ArgumentNullException.ThrowIfNull(pagePath);
        var route = pagePath.EndsWith(".md", StringComparison.Ordinal) ? pagePath[..^3] : pagePath;
        return route == "index" ? "/docs" : "/docs/" + string.Join('/', route.Split('/').Select(Uri.EscapeDataString));
    }

    /// <summary>The page a route's path (what follows <c>/docs/</c>, null for the index) asks for: <c>services/checkout</c> is <c>services/checkout.md</c>.</summary>
    public static string PagePathOf(string? path)
    {
        var trimmed = Uri.UnescapeDataString(path ?? "").Trim('/');
        if (trimmed.EndsWith(".md", StringComparison.Ordinal))
        {
            trimmed = trimmed[..^3];
        }

        return (trimmed.Length == 0 ? "index" : trimmed) + ".md";
    }

    /// <summary>The page's body as HTML, without its level-1 heading.</summary>
    public static string ToHtml(DocPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var document = Markdown.Parse(page.Markdown, Pipeline);
        if (document.OfType<HeadingBlock>().FirstOrDefault(h => h.Level == 1) is { } title)
        {
            document.Remove(title);
        }

        foreach (var link in document.Descendants<LinkInline>().Where(l => !l.IsImage).ToList())
        {
            if (Rewrite(page.Path, link.Url) is { } url)
            {
                link.Url = url;
            }
            else
            {
                link.ReplaceBy(new LiteralInline(string.Concat(link.Descendants<LiteralInline>().Select(l => l.Content.ToString()))), copyChildren: false);
            }
        }

        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.ObjectRenderers.ReplaceOrAdd<CodeBlockRenderer>(new DiagramBlockRenderer());
        renderer.Render(document);
        return writer.ToString();
    }

    /// <summary>A link's address as the UI uses it, null for none; <paramref name="pagePath"/> is the page holding it.</summary>
    private static string? Rewrite(string pagePath, string? url)
    {
        if (string.IsNullOrEmpty(url) || url.StartsWith('#') || url.StartsWith('/'))
        {
            return url;
        }

        if (Scheme().Match(url) is { Success: true } scheme)
        {
            return scheme.Groups[1].Value.ToLowerInvariant() is "http" or "https" or "mailto" ? url : null;
        }

        var hash = url.IndexOf('#', StringComparison.Ordinal);
        var (target, fragment) = hash < 0 ? (url, "") : (url[..hash], url[hash..]);
        if (!target.EndsWith(".md", StringComparison.Ordinal))
        {
            return url;
        }

        // Resolved against the page's folder as a file system would; ".." above the docs' root stays at the root.
        var resolved = new Uri(new Uri("https://docs.invalid/" + pagePath), target).AbsolutePath;
        return RouteOf(Uri.UnescapeDataString(resolved.TrimStart('/'))) + fragment;
    }

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]*):")]
    private static partial Regex Scheme();

    /// <summary>Code blocks as Markdig writes them, except a <c>mermaid</c> fenced block: its escaped source in <c>&lt;pre class="mermaid"&gt;</c>.</summary>
    private sealed class DiagramBlockRenderer : CodeBlockRenderer
    {
        protected override void Write(HtmlRenderer renderer, CodeBlock obj)
        {
            if (obj is FencedCodeBlock { Info: "mermaid" })
            {
                renderer.EnsureLine();
                renderer.Write("<pre class=\"mermaid\">");
                renderer.WriteLeafRawLines(obj, true, true);
                renderer.WriteLine("</pre>");
                return;
            }

            base.Write(renderer, obj);
        }
    }
}
