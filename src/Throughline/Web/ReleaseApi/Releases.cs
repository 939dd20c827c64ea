using Throughline.Health;
using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Web.ReleaseApi;

/// <summary>What the release endpoints, pages and the watcher share: finding a deployment, its verdict, its page.</summary>
internal static class Releases
{
    /// <summary>The deployment with <paramref name="id"/> (and <paramref name="source"/>, when given); null when there is none.</summary>
    public static Deployment? Find(TimelineSnapshot snapshot, string id, string? source) =>
        snapshot.Deployments.FirstOrDefault(d => d.Id == id && (string.IsNullOrWhiteSpace(source) || d.Source == source));

    /// <summary>The model's first production environment, or <c>production</c> without a model.</summary>
    public static string? DefaultProduction(OperatingModel? model) =>
        model is null ? "production" : model.ProductionEnvironments.FirstOrDefault()?.Id;

    /// <summary>The verdict of <paramref name="deployment"/> at <paramref name="now"/>.</summary>
    public static Verdict? VerdictOf(TimelineSnapshot snapshot, Deployment deployment, OperatingModel? model, DateTimeOffset now) =>
        ReleaseVerdicts.Of(deployment, [.. snapshot.Incidents.Where(i => i.DeploymentKey == deployment.Key)], model, now);

    /// <summary>The deployment's page.</summary>
    public static string PageOf(Deployment deployment) =>
        $"/deployments/{Uri.EscapeDataString(deployment.Id)}?source={Uri.EscapeDataString(deployment.Source)}";

    /// <summary>What the verdict waits for (<see cref="RollbackHolders.Pending"/>).</summary>
    public static string? Pending(Verdict verdict, OperatingModel? model) => RollbackHolders.Pending(verdict, model);
}
