using Throughline.Metrics;
using Throughline.Timeline;

namespace Throughline.Web.Pages;

/// <summary>How every page writes durations, rates and query text: one place, so the pages agree.</summary>
public static class Display
{
    /// <summary>A duration: minutes below an hour, hours below three days, else days; "no data" when unknown (<see cref="Readable.Hours"/>).</summary>
    public static string Hours(double? hours) => Readable.Hours(hours);

    /// <summary>A rate as a percentage; "no data" when undefined (<see cref="Readable.Percent"/>).</summary>
    public static string Percent(double? rate) => Readable.Percent(rate);

    /// <summary>
    /// An artifact id as people read it: percent-escapes decoded (a package URL's <c>sha256%3Aabc</c> shows as
    /// <c>sha256:abc</c>); null when there is none. Ids that are not valid escapes are shown as they are.
    /// </summary>
    public static string? Artifact(string? id)
    {
        if (id is null)
        {
            return null;
        }

        try
        {
            return Uri.UnescapeDataString(id);
        }
        catch (UriFormatException)
        {
            return id;
        }
    }

    /// <summary>The page of a deployment: its id in the path and its source in the query, since two sources may reuse an id.</summary>
    public static string DeploymentLink(DeploymentKey deployment) =>
        $"/deployments/{Uri.EscapeDataString(deployment.Id)}?source={Uri.EscapeDataString(deployment.Source)}";

    /// <summary>A query parameter, or null when it is missing or blank.</summary>
    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
