namespace Throughline.Timeline;

/// <summary>Which change a fact joins, through the values <see cref="FactLinks"/> gives and nothing else.</summary>
internal sealed partial class TimelineBuilder
{
    /// <summary>The change an artifact or run names: explicitly, else through its chain, else through its commit.</summary>
    private string? ResolveChange(FactLinks links) =>
        links.Change ?? Lookup(_changeByChain, links.Chain) ?? Lookup(_changeBySha, links.Sha);

    /// <summary>
    /// The change a pipeline run, test run or ticket belongs to, if any: the one it names or reaches through its chain or
    /// commit, else the one its artifact was packaged from, else the first its labels name (a <c>change:</c> label names
    /// its change even when no such change is known; an <c>artifact:</c> label names one only through a known artifact).
    /// </summary>
    private ChangeBuilder? LinkedChange(Fact fact)
    {
        var links = new FactLinks(fact, model);
        var id = ResolveChange(links) ?? Lookup(_changeByArtifact, links.Artifact);
        if (id is null)
        {
            foreach (var label in links.Labels)
            {
                id = label.Kind == LinkKind.Change ? label.Value : Lookup(_changeByArtifact, label.Value);
                if (id is not null)
                {
                    break;
                }
            }
        }

        return id is not null && _changes.TryGetValue(id, out var change) ? change : null;
    }

    /// <summary>The change a deployment ships: the one its artifact was packaged from, else the one merged as its commit.</summary>
    private ChangeBuilder? ArtifactChange(Fact deployment)
    {
        var links = new FactLinks(deployment, model);
        var id = Lookup(_changeByArtifact, links.Artifact) ?? Lookup(_changeBySha, links.Sha);
        return id is not null && _changes.TryGetValue(id, out var change) ? change : null;
    }

    private static string? Lookup(Dictionary<string, string> changeBy, string? key) =>
        key is not null && changeBy.TryGetValue(key, out var id) ? id : null;
}
