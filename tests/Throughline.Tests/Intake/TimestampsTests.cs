using System.Text.Json;
using Throughline.Intake;

namespace Throughline.Tests.Intake;

public sealed class TimestampsTests
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
    [InlineData("  2013-12-03T17:23:34Z \n")]
    [InlineData("1386091414")]
    [InlineData("1386091414000")]
    [InlineData("1386091414000000")]
    [InlineData("1386091414000000000")]
    public void TryParse_EveryTextFormat_SameInstant(string text)
    {
        var parsed = Timestamps.TryParse(text, out var time);

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

        var parsed = Timestamps.TryParse(document.RootElement, out var time);

        Assert.True(parsed);
        Assert.Equal(Instant, time);
    }

    [Theory]
    [InlineData("2013-12-03T17:23:34")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("0001-06-01T00:00:00Z")]
    [InlineData("yesterday")]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-5")]
    public void TryParse_NoZoneZeroTimeOrNonsense_False(string text)
    {
        var parsed = Timestamps.TryParse(text, out _);

        Assert.False(parsed);
    }

    [Fact]
    public void TryFromEpoch_Nanoseconds_KeepsHundredNanosecondPrecision()
    {
        var parsed = Timestamps.TryFromEpoch(1420452374669001603m, out var time);

        Assert.True(parsed);
        Assert.Equal("2015-01-05T10:06:14.6690016Z", Timestamps.Format(time));
    }

    [Theory]
    [InlineData("2013-12-03T17:23:34Z", "2013-12-03T17:23:34.0000000+00:00")]
    [InlineData("2013-12-03t17:23:34z", "2013-12-03T17:23:34.0000000+00:00")]
    [InlineData("2013-12-03 19:23:34+02:00", "2013-12-03T19:23:34.0000000+02:00")]
    [InlineData("2013-12-03T12:23:34.123456789-05:00", "2013-12-03T12:23:34.1234567-05:00")]
    [InlineData("2013-12-03T17:23:34Z\n", "2013-12-03T17:23:34.0000000+00:00")]
    public void TryParseRfc3339_Rfc3339_InstantWithItsOffset(string text, string expected)
    {
        var parsed = Timestamps.TryParseRfc3339(text, out var time);

        Assert.True(parsed, text);
        Assert.Equal(expected, time.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("2013-12-03 17:23:34 UTC")]
    [InlineData("2013-12-03T17:23:34+0000")]
    [InlineData("2013-12-03 17:23:34 +0000 UTC")]
    [InlineData("2013-12-03T17:23:34 Z")]
    [InlineData(" 2013-12-03T17:23:34Z")]
    [InlineData("1386091414")]
    [InlineData("2013-12-03T17:23:34")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParseRfc3339_FormsOnlyToolsWrite_False(string? text)
    {
        var parsed = Timestamps.TryParseRfc3339(text, out _);

        Assert.False(parsed);
    }

    [Fact]
    public void ZeroTime_Rfc3339AnInstantToolTextAbsent()
    {
        // Where the two former parsers disagreed, each caller keeps its own reading: a CDEvent may say year 1 (it is a
        // valid RFC 3339 instant), while Alertmanager and Argo CD send Go's zero time for "not yet".
        var inCdEvent = Timestamps.TryParseRfc3339("0001-01-01T00:00:00Z", out var instant);
        var inWebhook = Timestamps.TryParse("0001-01-01T00:00:00Z", out _);

        Assert.True(inCdEvent);
        Assert.Equal(DateTimeOffset.MinValue, instant);
        Assert.False(inWebhook);
    }

    [Fact]
    public void OffsetMinutesOverflow_ToolTextCarriesRfc3339Refuses()
    {
        var inWebhook = Timestamps.TryParse("2013-12-03T19:23:34+01:60", out var carried);
        var inCdEvent = Timestamps.TryParseRfc3339("2013-12-03T19:23:34+01:60", out _);

        Assert.True(inWebhook);
        Assert.Equal((Instant, TimeSpan.FromHours(2)), (carried, carried.Offset));
        Assert.False(inCdEvent);
    }

    [Theory]
    [InlineData("2013-12-03T17:23:34+15:00")]
    [InlineData("2013-12-03T17:23:34+14:01")]
    [InlineData("0001-01-01T00:30:00+01:00")]
    [InlineData("9999-12-31T23:59:59.9999999-01:00")]
    [InlineData("2013-12-03T17:23:34.\u0663Z")]
    public void OutOfRange_BothFalseNeverThrow(string text)
    {
        // The webhook reader used to throw on these (a translation failure); they now read as absent.
        var inWebhook = Timestamps.TryParse(text, out _);
        var inCdEvent = Timestamps.TryParseRfc3339(text, out _);

        Assert.False(inWebhook);
        Assert.False(inCdEvent);
    }

    [Fact]
    public void Format_AnyOffset_UtcWithSevenFractionDigits()
    {
        var text = Timestamps.Format(DateTimeOffset.Parse("2026-03-20T15:27:05.315+01:00", System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal("2026-03-20T14:27:05.3150000Z", text);
    }
}
