using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Throughline.Diagnostics;
using Throughline.Metrics;
using Throughline.Model;
using Throughline.Onboarding;
using Throughline.Simulation;
using Throughline.Storage;
using Throughline.Tests.Support;
using Throughline.Timeline;
using CommonMark = Markdig.Markdown;

namespace Throughline.Tests.Onboarding;

/// <summary>
/// The onboarding docs as other tools read them (issue 20): every page of a simulated organisation parsed as CommonMark by Markdig,
/// one level-1 heading carrying its title, no raw HTML, every fenced block closed, and every relative link resolving to another page.
/// </summary>
public sealed class OnboardingDocsFormatTests
{
    private static readonly SimulationOptions Month = new() { Seed = 3, Days = 30 };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Write_SimulatedOrganisation_EveryPageIsCommonMarkAndEveryRelativeLinkResolves()
    {
        var pages = await WriteAsync(Month);

        var model = Simulated.Model(Month);
        Assert.Equal(1 + model.Services.Count + model.Teams.Count, pages.Count);
        Assert.All(model.Services, s => Assert.Contains(pages, p => p.Path == $"services/{s.Id}.md"));
        Assert.All(model.Teams, t => Assert.Contains(pages, p => p.Path == $"teams/{t.Id}.md"));
        AssertWellFormed(pages);
    }

    [Fact]
    public void Write_NamesCarryingMarkdownHtmlAndQuotes_StillWellFormed()
    {
        var text = Throughline.Tests.Diagnostics.History.ModelText
            .Replace("organization: Test", "organization: \"Acme <b>bold</b>\"", StringComparison.Ordinal)
            .Replace("teams: [{id: web}", "teams: [{id: web, name: \"Web ] [x](../index.md) *team* `code`\"}", StringComparison.Ordinal)
            .Replace("{id: checkout, owner: web", "{id: checkout, name: \"Check \\\"out\\\" <script>\", owner: web", StringComparison.Ordinal)
            .Replace("{id: review, owner", "{id: review, name: \"Code \\\"review\\\" [x]\", owner", StringComparison.Ordinal);
        var model = OperatingModelLoader.LoadText(text, "hostile.yaml").Model!;
        var snapshot = TimelineBuilder.Build([], model);
        var now = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var diagnosis = Diagnoses.Compute(snapshot, model, new MetricsQuery(now.AddDays(-30), now), [], new Dictionary<string, int>(), new WhatIfOptions { Trials = 10 });

        var pages = OnboardingDocs.Write(snapshot, model, diagnosis, now);

        AssertWellFormed(pages);
        Assert.Contains(pages, p => p.Title == "Web ] [x](../index.md) *team* `code`");
        Assert.DoesNotContain(pages.SelectMany(p => CommonMark.Parse(p.Markdown).Descendants<FencedCodeBlock>()).Where(b => b.Info == "mermaid"),
            block => block.Lines.ToString().Contains("\"Code \"review", StringComparison.Ordinal));
    }

    /// <summary>
    /// Each page parsed as CommonMark: paths unique, the index first, one level-1 heading reading as the title, no raw HTML, every
    /// fenced block closed, no link syntax left as text, and every relative link a page of the set.
    /// </summary>
    private static void AssertWellFormed(IReadOnlyList<DocPage> pages)
    {
        Assert.Equal("index.md", pages[0].Path);
        var paths = pages.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(pages.Count, paths.Count);
        foreach (var page in pages)
        {
            var document = CommonMark.Parse(page.Markdown);
            var titles = document.Descendants<HeadingBlock>().Where(h => h.Level == 1).ToList();
            Assert.True(titles.Count == 1, $"{page.Path} has {titles.Count} level-1 headings");
            Assert.Equal(page.Title, Text(titles[0].Inline));
            Assert.True(document.Descendants<HtmlBlock>().Concat<MarkdownObject>(document.Descendants<HtmlInline>()).ToList() is [], $"{page.Path} holds raw HTML");
            Assert.All(document.Descendants<FencedCodeBlock>(), block => Assert.True(block.ClosingFencedCharCount > 0, $"{page.Path}: a fenced block at line {block.Line + 1} is never closed"));
            // Link syntax Markdig did not read as a link (a space in the address, an unbalanced bracket) is left as text; an escaped "\](" is meant.
            Assert.DoesNotContain(document.Descendants<LiteralInline>(), literal => literal.Content.ToString().IndexOf("](", literal.IsFirstCharacterEscaped ? 1 : 0, StringComparison.Ordinal) >= 0);
            foreach (var link in document.Descendants<LinkInline>())
            {
                var url = link.Url ?? "";
                if (url.StartsWith("https://", StringComparison.Ordinal) || url.StartsWith("http://", StringComparison.Ordinal) || url.StartsWith('#'))
                {
                    continue;
                }

                var target = Resolve(page.Path, url.Split('#')[0]);
                Assert.True(paths.Contains(target), $"{page.Path} links {url}, which is {target}: no such page");
            }
        }
    }

    [Fact]
    public async Task Write_SimulatedOrganisation_EveryServicePageHasADiagramAndIsLinkedFromTheIndex()
    {
        var pages = await WriteAsync(Month);

        var index = CommonMark.Parse(pages[0].Markdown);
        var linked = index.Descendants<LinkInline>().Select(l => Resolve("index.md", l.Url ?? "")).ToHashSet(StringComparer.Ordinal);
        Assert.All(pages.Skip(1), page => Assert.Contains(page.Path, linked));
        Assert.All(pages.Where(p => p.Path.StartsWith("services/", StringComparison.Ordinal)), page =>
            Assert.Contains(CommonMark.Parse(page.Markdown).Descendants<FencedCodeBlock>(), block => block.Info == "mermaid"));
    }

    /// <summary>A relative link's target from <paramref name="from"/>, as a file system resolves it, as a page path (<c>teams/qa.md</c>).</summary>
    private static string Resolve(string from, string url) =>
        Uri.UnescapeDataString(new Uri(new Uri("https://docs.invalid/" + from), url).AbsolutePath.TrimStart('/'));

    /// <summary>A heading's text as a reader sees it: its literals and code spans, without the emphasis marks.</summary>
    private static string Text(ContainerInline? inline) =>
        string.Concat(inline?.Descendants<LeafInline>().Select(l => l switch { LiteralInline literal => literal.Content.ToString(), CodeInline code => code.Content, _ => "" }) ?? []);

    /// <summary>The pages for the whole simulated history, with the diagnosis of its last 30 days as the server would compute it.</summary>
    private static async Task<IReadOnlyList<DocPage>> WriteAsync(SimulationOptions options)
    {
        var drafts = await Simulated.EventsAsync(options, Cancel);
        var stored = drafts.DistinctBy(d => (d.Source, d.Id)).Select((d, i) => new StoredEvent(i + 1, options.Start, d)).ToList();
        var model = Simulated.Model(options);
        var snapshot = TimelineBuilder.Build(stored.Select(s => FactReader.Read(s)).OfType<Fact>(), model);
        var observed = stored.Select(s => new ObservedEvent(s.Sequence, s.Event.Source, s.Event.Origin, s.Event.Type, s.Event.Timestamp, s.Event.Mapped)).ToList();
        var now = options.Start.AddDays(options.Days);
        var diagnosis = Diagnoses.Compute(snapshot, model, new MetricsQuery(now.AddDays(-30), now), observed, new Dictionary<string, int>(), new WhatIfOptions { Trials = 100 });
        return OnboardingDocs.Write(snapshot, model, diagnosis, now);
    }
}
