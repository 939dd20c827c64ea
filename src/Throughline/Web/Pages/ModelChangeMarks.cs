using Throughline.Metrics;
using Throughline.Storage;

namespace Throughline.Web.Pages;

/// <summary>Where the metrics charts mark a change of the operating model: the slice each later version took effect in.</summary>
internal static class ModelChangeMarks
{
    /// <summary>One mark: the index of the chart's slice, and what it says.</summary>
    public sealed record Mark(int Index, string Label);

    /// <summary>A mark for each version after the first whose time falls in a slice of <paramref name="series"/> (From inclusive, To exclusive).</summary>
    public static IReadOnlyList<Mark> Of(IReadOnlyList<ModelVersion> versions, IReadOnlyList<DoraPoint> series) =>
    [
        .. versions.Skip(1)
            .Select(v => (Version: v, Index: IndexOf(series, v.EffectiveAt)))
            .Where(m => m.Index >= 0)
            .Select(m => new Mark(m.Index, $"model v{m.Version.Number}")),
    ];

    private static int IndexOf(IReadOnlyList<DoraPoint> series, DateTimeOffset at)
    {
        for (var i = 0; i < series.Count; i++)
        {
            if (series[i].From <= at && at < series[i].To)
            {
                return i;
            }
        }

        return -1;
    }
}
