using Throughline.Metrics;

namespace Throughline.Tests.Metrics;

public sealed class UsualAgeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static (DateTimeOffset, DateTimeOffset?) Stay(DateTimeOffset moment, double ageThen, double? leftAfter) =>
        (moment.AddHours(-ageThen), leftAfter is { } after ? moment.AddHours(after) : null);

    [Fact]
    public void Of_TheEightyFifthPercentileOfAgesAtTheSameTimeOfEarlierWeeks()
    {
        var weekAgo = Now.AddDays(-7);
        var stays = Enumerable.Range(1, 10).Select(age => Stay(weekAgo, age, leftAfter: 1)).ToList();

        var usual = UsualAge.Of(stays, Now);

        Assert.Equal(8.65, usual!.Value, 9); // PERCENTILE_CONT of 1..10 h at 0.85: rank 7.65 → 8 + 0.65
    }

    [Fact]
    public void Of_AStayThereAtSeveralMoments_CountsAtEach_AndOnesGoneOrNotYetThereDoNot()
    {
        var stays = new List<(DateTimeOffset, DateTimeOffset?)>
        {
            (Now.AddDays(-15), null),                        // there at 2, 1 weeks ago (ages 24 h and 192 h)
            (Now.AddDays(-7).AddHours(1), null),             // entered an hour after the moment a week ago: only now
            (Now.AddDays(-8), Now.AddDays(-7)),              // left exactly at the moment: not there
        };
        stays.AddRange(Enumerable.Range(1, 8).Select(age => Stay(Now.AddDays(-28), age, leftAfter: 2)));

        var ages = UsualAge.Moments(Now).Count;
        var usual = UsualAge.Of(stays, Now);

        Assert.Equal(4, ages);
        Assert.NotNull(usual); // 8 + 2 = 10 ages
        Assert.Equal(Enumerable.Range(1, 8).Select(a => (double)a).Append(24).Append(192).Order().ToArray() is var sorted ? Percentile.Of(sorted, 0.85) : null, usual);
    }

    [Fact]
    public void Of_FewerThanTenAges_NoJudgement()
    {
        var stays = Enumerable.Range(1, 9).Select(age => Stay(Now.AddDays(-7), age, leftAfter: 1));

        Assert.Null(UsualAge.Of(stays, Now));
    }
}
