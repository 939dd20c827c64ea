using Throughline.Storage;
using Throughline.Timeline;

namespace Throughline.Web.Projection;

/// <summary>Registers the timeline: one projection per server, kept up to date with the store by <see cref="TimelineUpdater"/>.</summary>
internal static class TimelineRegistration
{
    public static IServiceCollection AddTimeline(this IServiceCollection services, Model.OperatingModel? model, int? cachedFacts = null)
    {
        services.AddSingleton(provider => new TimelineProjection(provider.GetRequiredService<IEventStore>(), model, provider.GetRequiredService<TimeProvider>(), cachedFacts));
        services.AddHostedService<TimelineUpdater>();
        return services;
    }
}
