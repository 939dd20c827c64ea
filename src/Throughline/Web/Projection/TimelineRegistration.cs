namespace Throughline.Web.Projection;

/// <summary>Registers the timeline's updater (the projection in force, see <see cref="ModelReload.ModelInForce"/>, is kept up to date
/// with the store) and <see cref="TimelineReadiness"/>, which says when what is derived from it may be answered.</summary>
internal static class TimelineRegistration
{
    public static IServiceCollection AddTimeline(this IServiceCollection services)
    {
        services.AddHostedService<TimelineUpdater>();
        services.AddSingleton<TimelineReadiness>();
        return services;
    }
}
