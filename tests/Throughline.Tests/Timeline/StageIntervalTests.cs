using Throughline.Timeline;

namespace Throughline.Tests.Timeline;

public sealed class StageIntervalTests
{
    private static readonly DateTimeOffset T = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(2));

    [Fact]
    public void Done_HoursFollowFromTheTimes()
    {
        var started = new StageInterval("review", "Review", "storefront", StageStatus.Done, T, T.AddHours(1.5), T.AddHours(4), false, null);
        var endOnly = new StageInterval("deploy", null, null, StageStatus.Done, T, null, T.AddHours(2), false, null);
        var endedBeforeReady = new StageInterval("qa", null, null, StageStatus.Done, T, null, T.AddHours(-1), false, null);

        Assert.Equal(1.5, started.WaitingHours);
        Assert.Equal(2.5, started.WorkingHours);
        Assert.Equal(2.0, endOnly.WaitingHours);
        Assert.Equal(0.0, endOnly.WorkingHours);
        Assert.Equal(0.0, endedBeforeReady.WaitingHours);
        Assert.Equal(T.Offset, started.StartedAt!.Value.Offset);
    }

    [Fact]
    public void NotDone_NoHoursAndNoTimesInvented()
    {
        var waiting = new StageInterval("review", null, null, StageStatus.Waiting, T, null, null, false, null);

        Assert.Null(waiting.WaitingHours);
        Assert.Null(waiting.WorkingHours);
        Assert.Null(waiting.StartedAt);
        Assert.Null(waiting.EndedAt);
        Assert.Equal(T, waiting.ReadyAt);
    }

    [Fact]
    public void TimeAtTheEarliestInstant_IsKnownNotMissing()
    {
        // The compact form stores times without nullable wrappers: the earliest instant must still read back as itself.
        var earliest = new StageInterval("review", null, null, StageStatus.Done, DateTimeOffset.MinValue, DateTimeOffset.MinValue, T, false, null);

        Assert.Equal(DateTimeOffset.MinValue, earliest.ReadyAt);
        Assert.Equal(DateTimeOffset.MinValue, earliest.StartedAt);
        Assert.Equal(0.0, earliest.WaitingHours);
    }

    [Fact]
    public void Done_WithoutAnEnd_Refused()
    {
        Assert.Throws<ArgumentException>(() => new StageInterval("review", null, null, StageStatus.Done, T, null, null, false, null));
    }
}
