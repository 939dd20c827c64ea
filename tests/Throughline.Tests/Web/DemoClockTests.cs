using Microsoft.Extensions.Time.Testing;
using Throughline.Web.Demo;

namespace Throughline.Tests.Web;

public sealed class DemoClockTests
{
    private static readonly DateTimeOffset RealStart = new(2026, 12, 2, 1, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LiveFrom = RealStart.AddHours(-16);

    [Fact]
    public void Now_StandsAtTheHistorysEndUntilTheFeedStarts_ThenRunsAtSpeed_ThenIsRealTime()
    {
        var real = new FakeTimeProvider(RealStart);
        var clock = new DemoClock(LiveFrom, speed: 180, real);

        var beforeStart = clock.GetUtcNow();
        real.Advance(TimeSpan.FromSeconds(30));
        clock.Start();
        real.Advance(TimeSpan.FromSeconds(10));
        var replaying = clock.GetUtcNow();
        real.Advance(TimeSpan.FromMinutes(10));
        var caughtUp = clock.GetUtcNow();

        Assert.Equal(LiveFrom, beforeStart);
        Assert.Equal(LiveFrom.AddMinutes(30), replaying);
        Assert.Equal(real.GetUtcNow(), caughtUp);
    }
}
