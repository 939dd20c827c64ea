namespace Throughline.Onboarding;

/// <summary>One generated page of the onboarding docs: where it goes, its title and its Markdown (CommonMark, Mermaid in fenced blocks).</summary>
/// <param name="Path">Its path under the docs' root, with <c>/</c> and the <c>.md</c> extension: <c>index.md</c>, <c>services/checkout.md</c>, <c>teams/platform.md</c>.</param>
/// <param name="Title">Its title (the text of its one level-1 heading).</param>
/// <param name="Markdown">Its text. Links to other pages are relative to this page's folder and end in <c>.md</c> (<c>../teams/platform.md</c>); diagrams are
/// fenced code blocks of language <c>mermaid</c>.</param>
public sealed record DocPage(string Path, string Title, string Markdown);
