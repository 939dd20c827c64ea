using Throughline.Timeline;

namespace Throughline.Tests.Timeline;

public sealed partial class TimelineBuilderTests
{
    private const string Change = "acme/checkout#1";

    [Fact]
    public void Title_OnlyADescriptionKnown_IsTheDescription()
    {
        var snapshot = Build(Facts.Created(Change, 1) with { Description = "Faster checkout" }, Facts.Merged(Change, 2));

        Assert.Equal("Faster checkout", snapshot.Changes[Change].Title);
    }

    [Fact]
    public void Title_ExplicitTitleOfALaterEvent_WinsOverAnEarlierDescription()
    {
        var snapshot = Build(Facts.Created(Change, 1) with { Description = "wip" }, Facts.Merged(Change, 2) with { Title = "Faster checkout" });

        Assert.Equal("Faster checkout", snapshot.Changes[Change].Title);
    }

    [Fact]
    public void Title_SeveralExplicitTitles_TheEarliestEventsWins()
    {
        var snapshot = Build(Facts.Merged(Change, 2) with { Title = "renamed" }, Facts.Created(Change, 1) with { Title = "Faster checkout" });

        Assert.Equal("Faster checkout", snapshot.Changes[Change].Title);
    }
}
