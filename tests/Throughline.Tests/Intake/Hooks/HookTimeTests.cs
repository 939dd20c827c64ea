using System.Text.Json;
using Throughline.Intake.Hooks;

namespace Throughline.Tests.Intake.Hooks;

public sealed class HookTimeTests
{
    private static readonly DateTimeOffset Instant = new(2013, 12, 3, 17, 23, 34, TimeSpan.Zero);

    [Theory]
    [InlineData("2013-12-03T17:23:34Z")]
    [InlineData("2013-12-03T17:23:34.000Z")]
    [InlineData("2013-12-03T19:23:34+02:00")]
    [InlineData("2013-12-03T12:23:34-05:00")]
    [InlineData("2013-12-03T17:23:34.000+0000")]
    [InlineData("2013-12-03 17:23:34 UTC")]
    [InlineData("2013-12-03 19:23:34 +0200")]
    [InlineData("2013-12-03 17:23:34 +0000 UTC")]
    [InlineData("1386091414")]
    [InlineData("1386091414000")]
    [InlineData("1386091414000000")]
    [InlineData("1386091414000000000")]
    public void TryParse_EveryTextFormat_SameInstant(string text)
    {
        var parsed = HookTime.TryParse(text, out var time);

        Assert.True(parsed, text);
        Assert.Equal(Instant, time);
    }

    [Theory]
    [InlineData("1386091414")]
    [InlineData("1386091414000")]
    [InlineData("1386091414000000000")]
    [InlineData("1386091414.0")]
    public void TryParse_JsonNumbersInSecondsMillisecondsNanoseconds_SameInstant(string number)
    {
        using var document = JsonDocument.Parse(number);

        var parsed = HookTime.TryParse(document.RootElement, out var time);

        Assert.True(parsed);
        Assert.Equal(Instant, time);
    }

    [Theory]
    [InlineData("2013-12-03T17:23:34")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("yesterday")]
    [InlineData("")]
    [InlineData("0")]
    public void TryParse_NoZoneZeroTimeOrNonsense_False(string text)
    {
        var parsed = HookTime.TryParse(text, out _);

        Assert.False(parsed);
    }

    [Fact]
    public void TryFromEpoch_Nanoseconds_KeepsHundredNanosecondPrecision()
    {
        var parsed = HookTime.TryFromEpoch(1420452374669001603m, out var time);

        Assert.True(parsed);
        Assert.Equal("2015-01-05T10:06:14.6690016Z", HookTime.Format(time));
    }
}
