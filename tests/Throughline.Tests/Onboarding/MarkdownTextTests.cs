using Throughline.Onboarding;

namespace Throughline.Tests.Onboarding;

public sealed class MarkdownTextTests
{
    [Theory]
    [InlineData("6.5 h", "6.5 h")] // a number is not a list item
    [InlineData("2026-11-27 17:56", "2026-11-27 17:56")]
    [InlineData("deploy-production", "deploy-production")]
    [InlineData("1. first", "1\\. first")] // would start a numbered list
    [InlineData("- not a list", "\\- not a list")]
    [InlineData("# not a heading", "\\# not a heading")]
    [InlineData("a | b", "a \\| b")] // would end a table cell
    [InlineData("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>")]
    [InlineData("**bold** _it_ `code` [link](x) ![img](y) ~~s~~ &amp;", "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\[link\\](x) \\!\\[img\\](y) \\~\\~s\\~\\~ \\&amp;")]
    [InlineData("two\nlines", "two lines")]
    public void Text_EscapesWhatWouldBecomeMarkup_AndNothingElse(string text, string expected) =>
        Assert.Equal(expected, Markdown.Text(text));

    [Fact]
    public void Label_QuotesAndWritesEntitiesForWhatEndsALabel() =>
        Assert.Equal("\"Deploy #quot;prod#quot;<br/>#lt;b#gt; #35;1\"", Markdown.Label("Deploy \"prod\"", "<b> #1"));
}
