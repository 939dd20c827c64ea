using Throughline.Metrics;
using Throughline.Storage;
using Throughline.Web.Pages;

namespace Throughline.Tests.Web;

public sealed class ModelChangeMarksTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 16, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Of_VersionsInAndOutsideTheSeries_MarksLaterVersionsInTheirSlice()
    {
        IReadOnlyList<DoraPoint> days = [.. Enumerable.Range(0, 3).Select(i => new DoraPoint(Monday.AddDays(i), Monday.AddDays(i + 1), null!))];
        IReadOnlyList<ModelVersion> versions =
        [
            new(1, "a", Monday.AddHours(1), "file m.yaml"),
            new(2, "b", Monday.AddDays(1), "api"),
            new(3, "c", Monday.AddDays(2).AddHours(23), "signal"),
            new(4, "d", Monday.AddDays(3), "api"),
        ];

        var marks = ModelChangeMarks.Of(versions, days);

        Assert.Equal([new ModelChangeMarks.Mark(1, "model v2"), new ModelChangeMarks.Mark(2, "model v3")], marks);
    }
}
