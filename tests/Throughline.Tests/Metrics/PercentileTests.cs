using Throughline.Metrics;

namespace Throughline.Tests.Metrics;

public sealed class PercentileTests
{
    private static readonly double[] Fractions = [0, 0.1, 0.5, 0.75, 0.9, 0.99, 1];

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 10)]
    [InlineData(7, 3)]
    [InlineData(100, 1000)]
    [InlineData(1000, 5)]
    [InlineData(20_000, 200)]
    public void OfUnsorted_AnyOrderWithRepeats_EqualsPercentilesOfTheSortedValues(int count, int distinct)
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var random = new Random(seed);
            var values = Enumerable.Range(0, count).Select(_ => random.Next(distinct) / 4.0).ToArray();
            var sorted = values.Order().ToArray();

            var selected = Percentile.OfUnsorted(values, Fractions);

            Assert.Equal(Fractions.Select(f => Percentile.Of(sorted, f)), selected);
            Assert.Equal(sorted, values.Order());
        }
    }

    [Fact]
    public void OfUnsorted_SortedReversedAndAllEqual_EqualsPercentilesOfTheSortedValues()
    {
        double[][] shapes = [[.. Enumerable.Range(0, 999).Select(i => (double)i)], [.. Enumerable.Range(0, 999).Select(i => (double)(999 - i))], [.. Enumerable.Repeat(2.5, 50)]];
        foreach (var values in shapes)
        {
            var sorted = values.Order().ToArray();
            Assert.Equal(Fractions.Select(f => Percentile.Of(sorted, f)), Percentile.OfUnsorted(values, Fractions));
        }
    }

    [Fact]
    public void OfUnsorted_NoValues_Nulls() =>
        Assert.Equal([null, null], Percentile.OfUnsorted([], 0.5, 0.9));
}
