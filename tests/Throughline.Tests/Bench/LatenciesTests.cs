using Throughline.Bench;

namespace Throughline.Tests.Bench;

public sealed class LatenciesTests
{
    [Fact]
    public void Of_OneToHundred_NearestRankPercentiles()
    {
        var latencies = Latencies.Of(Enumerable.Range(1, 100).Select(i => (double)(101 - i)));

        Assert.Equal(new Latencies(100, 50, 90, 99, 100), latencies);
    }

    [Fact]
    public void Of_FewerThanHundredValues_P99IsTheMaximum()
    {
        var latencies = Latencies.Of([3, 1, 2]);

        Assert.Equal(new Latencies(3, 2, 3, 3, 3), latencies);
    }

    [Fact]
    public void Of_NoValues_Null()
    {
        var latencies = Latencies.Of([]);

        Assert.Null(latencies);
    }

    [Fact]
    public void Percentile_OneValue_ThatValueAtEveryRank()
    {
        double[] sorted = [7];

        Assert.Equal((7.0, 7.0), (Latencies.Percentile(sorted, 1), Latencies.Percentile(sorted, 100)));
    }
}
