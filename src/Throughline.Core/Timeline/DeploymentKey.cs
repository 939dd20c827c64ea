namespace Throughline.Timeline;

/// <summary>What identifies a deployment: its event's source and id, together.</summary>
/// <remarks>
/// An id alone is not enough: two tools, or two instances of one (two Argo CD installations each naming a deployment after
/// its application), may send the same id. Everything that refers to a deployment (an incident's attribution, a change's
/// delivery, the metrics, the board and the pages) compares this pair, never the id alone.
/// </remarks>
/// <param name="Source">The deployment event's <c>context.source</c>.</param>
/// <param name="Id">The deployment event's <c>context.id</c>.</param>
public readonly record struct DeploymentKey(string Source, string Id);
