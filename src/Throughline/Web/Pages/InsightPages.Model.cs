using Microsoft.AspNetCore.Http.HttpResults;
using Throughline.Storage;
using Throughline.Web.ModelApi;
using Throughline.Web.ModelReload;

namespace Throughline.Web.Pages;

/// <summary>The model page: the model in force, a refused newer one, and the versions with what changed between the last two.</summary>
public static partial class InsightPages
{
    private static async Task<RazorComponentResult<ModelPage>> ModelPageResultAsync(
        ModelInForce models, IEventStore store, CancellationToken cancellationToken)
    {
        var current = models.Current;
        var versions = await store.ListModelVersionsAsync(cancellationToken);
        string? diff = null;
        if (versions.Count >= 2
            && await store.FindModelVersionAsync(versions[^2].Number, cancellationToken) is { } before
            && await store.FindModelVersionAsync(versions[^1].Number, cancellationToken) is { } after)
        {
            diff = LineDiff.Unified(before.Yaml, after.Yaml, $"version {before.Version.Number}", $"version {after.Version.Number}");
        }

        return new(new Dictionary<string, object?>
        {
            [nameof(ModelPage.Model)] = current.Model,
            [nameof(ModelPage.Warnings)] = current.Warnings,
            [nameof(ModelPage.Refused)] = models.Refused,
            [nameof(ModelPage.Versions)] = versions,
            [nameof(ModelPage.Diff)] = diff,
        });
    }
}
