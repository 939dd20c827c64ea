using Throughline.Model;

namespace Throughline.Tests.Model;

public sealed class EventMatcherTests
{
    [Fact]
    public void TryParse_SubjectPredicateAndFilters_ReadsEachPart()
    {
        var parsed = EventMatcher.TryParse("service.deployed environment=production  region=eu-1", out var matcher, out var error, out _);

        Assert.True(parsed);
        Assert.Null(error);
        Assert.Equal(("service", "deployed"), (matcher!.Subject, matcher.Predicate));
        Assert.Equal(new Dictionary<string, string> { ["environment"] = "production", ["region"] = "eu-1" }, matcher.Filters);
        Assert.Equal("service.deployed environment=production region=eu-1", matcher.ToString());
    }

    [Theory]
    [InlineData("", 0, "empty event matcher")]
    [InlineData("merged", 0, "invalid event 'merged'")]
    [InlineData("change.merged branch", 14, "invalid filter 'branch'")]
    [InlineData("change.merged a=1 a=2", 18, "filter 'a' given twice")]
    public void TryParse_BadToken_SaysWhichAndWhere(string text, int offset, string message)
    {
        var parsed = EventMatcher.TryParse(text, out var matcher, out var error, out var errorOffset);

        Assert.False(parsed);
        Assert.Null(matcher);
        Assert.Equal(offset, errorOffset);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
    }
}
