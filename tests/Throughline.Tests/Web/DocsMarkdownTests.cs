using Throughline.Onboarding;
using Throughline.Web.DocsPages;

namespace Throughline.Tests.Web;

/// <summary>An onboarding docs page's Markdown as the UI renders it: routes for links between pages, Mermaid's blocks, nothing raw.</summary>
public sealed class DocsMarkdownTests
{
    [Fact]
    public void ToHtml_RelativePageLinks_BecomeDocsRoutes()
    {
        var page = new DocPage("services/checkout.md", "Checkout", "# Checkout\n\n[All](../index.md) · [Web](../teams/web.md#who) · [Cart](cart.md) · [Site](https://example.com/a.md) · [Top](#top)\n");

        var html = DocsMarkdown.ToHtml(page);

        Assert.Contains("<a href=\"/docs\">All</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/docs/teams/web#who\">Web</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/docs/services/cart\">Cart</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://example.com/a.md\">Site</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#top\">Top</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_MermaidBlock_PreOfClassMermaidWithEscapedSource_OtherCodeAsUsual()
    {
        var page = new DocPage("index.md", "Index", "# Index\n\n```mermaid\nflowchart LR\n  a[\"<b>review</b> & merge\"] --> b\n```\n\n```yaml\nteams: []\n```\n");

        var html = DocsMarkdown.ToHtml(page);

        Assert.Contains("<pre class=\"mermaid\">flowchart LR\n  a[&quot;&lt;b&gt;review&lt;/b&gt; &amp; merge&quot;] --&gt; b\n</pre>", html, StringComparison.Ordinal);
        Assert.Contains("<pre><code class=\"language-yaml\">teams: []\n</code></pre>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_TitleHeading_LeftToThePageFrame()
    {
        var html = DocsMarkdown.ToHtml(new DocPage("teams/web.md", "Web", "# Web\n\n## Services\n\nText.\n"));

        Assert.DoesNotContain("<h1", html, StringComparison.Ordinal);
        Assert.Contains("<h2", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_RawHtmlAndScriptLinks_WrittenAsTextOrDropped()
    {
        var html = DocsMarkdown.ToHtml(new DocPage("index.md", "Index", "# Index\n\n<script>alert(1)</script>\n\nA <b>team</b> and [a link](javascript:alert(1)).\n"));

        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", html, StringComparison.Ordinal);
        Assert.True(html.Contains("and a link.", StringComparison.Ordinal), html);
    }

    [Fact]
    public void ToHtml_PipeTable_Rendered()
    {
        var html = DocsMarkdown.ToHtml(new DocPage("index.md", "Index", "# Index\n\n| stage | owner |\n|---|---|\n| review | web |\n"));

        Assert.Contains("<table>", html, StringComparison.Ordinal);
        Assert.Contains("<td>review</td>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("index.md", "/docs")]
    [InlineData("services/checkout.md", "/docs/services/checkout")]
    [InlineData("teams/web.md", "/docs/teams/web")]
    public void RouteOf_PagePath_TheUiAddress(string path, string route) => Assert.Equal(route, DocsMarkdown.RouteOf(path));

    [Theory]
    [InlineData(null, "index.md")]
    [InlineData("", "index.md")]
    [InlineData("index", "index.md")]
    [InlineData("services/checkout", "services/checkout.md")]
    [InlineData("services/checkout.md", "services/checkout.md")]
    [InlineData("teams/web/", "teams/web.md")]
    public void PagePathOf_RoutePath_ThePageAskedFor(string? path, string page) => Assert.Equal(page, DocsMarkdown.PagePathOf(path));
}
