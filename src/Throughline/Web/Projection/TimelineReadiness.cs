using Throughline.Timeline;
using Throughline.Web.ModelReload;

namespace Throughline.Web.Projection;

/// <summary>How far the timeline has loaded: events read of the events the store held when loading began.</summary>
/// <param name="EventsRead">Events read so far.</param>
/// <param name="EventsStored">Events stored when loading began; null while they are being counted.</param>
internal sealed record TimelineLoading(long EventsRead, long? EventsStored)
{
    /// <summary>In words: <c>12,000 of 100,000 events read</c>.</summary>
    public string Progress => EventsStored is { } stored
        ? $"{Math.Min(EventsRead, stored):N0} of {stored:N0} events read"
        : $"{EventsRead:N0} events read, counting the events stored";
}

/// <summary>Decides whether what is derived from the timeline may be answered: the one place that says "derived state complete".</summary>
/// <remarks>
/// A figure derived from the timeline (a metric, the board, a change, a page, a Prometheus gauge) is whole only once the
/// timeline in force holds every event stored when the server started, that is once its first catch-up has finished
/// (<see cref="TimelineProjection.Loaded"/>). Before that it would be a partial number shown as whole: after a restart on a
/// large store the timeline reads for seconds, and the DORA metrics would say 0 deployments. Endpoints do not ask the
/// projection themselves: they are marked with <see cref="DerivedEndpoints.DerivedFromTimeline{TBuilder}"/>, which asks here,
/// and <c>/healthz</c> asks here whether the server is ready. A model reload swaps in a timeline that has already loaded.
/// </remarks>
internal sealed class TimelineReadiness(ModelInForce models)
{
    /// <summary>When a client is told to ask again (<c>Retry-After</c>) while the timeline loads.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>How far the timeline in force has loaded, or null once it holds everything stored.</summary>
    public TimelineLoading? Loading() => LoadingOf(models.Current.Projection);

    /// <summary>How far <paramref name="projection"/> (the one a request bound) has loaded, or null once it holds everything stored.</summary>
    public static TimelineLoading? LoadingOf(TimelineProjection projection)
    {
        ArgumentNullException.ThrowIfNull(projection);
        return projection.Loaded ? null : new TimelineLoading(projection.EventsRead, projection.EventsToLoad);
    }
}
