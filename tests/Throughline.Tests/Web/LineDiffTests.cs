using Throughline.Web.ModelApi;

namespace Throughline.Tests.Web;

public sealed class LineDiffTests
{
    [Fact]
    public void Unified_OneLineChanged_HunkWithThreeLinesOfContext()
    {
        var before = string.Join("\n", Enumerable.Range(1, 10).Select(i => $"line {i}")) + "\n";
        var after = before.Replace("line 5\n", "line five\n", StringComparison.Ordinal);

        var diff = LineDiff.Unified(before, after, "version 1", "version 2");

        Assert.Equal(
            "--- version 1\n+++ version 2\n@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+line five\n line 6\n line 7\n line 8\n",
            diff.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Unified_LinesAddedAndRemovedFarApart_TwoHunks()
    {
        var before = string.Join("\n", Enumerable.Range(1, 20).Select(i => $"line {i}"));
        var after = "line 0\n" + before.Replace("line 19\n", "", StringComparison.Ordinal);

        var diff = LineDiff.Unified(before, after, "a", "b").Replace("\r\n", "\n", StringComparison.Ordinal);

        Assert.Equal(2, diff.Split('\n').Count(l => l.StartsWith("@@", StringComparison.Ordinal)));
        Assert.Contains("\n+line 0\n", diff, StringComparison.Ordinal);
        Assert.Contains("\n-line 19\n", diff, StringComparison.Ordinal);
    }

    [Fact]
    public void Unified_SameText_Empty()
    {
        Assert.Equal("", LineDiff.Unified("a\nb\n", "a\nb\n", "a", "b"));
    }
}
