namespace Throughline.Web.Projection;

/// <summary>Registers the timeline's updater: the projection in force (see <see cref="ModelReload.ModelInForce"/>) is kept up to date with the store.</summary>
internal static class TimelineRegistration
{
    public static IServiceCollection AddTimeline(this IServiceCollection services)
    {
        services.AddHostedService<TimelineUpdater>();
        return services;
    }
}
