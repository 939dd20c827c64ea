using Throughline.Health;

namespace Throughline.Web.ReleaseApi;

/// <summary>Registers the release watcher (one per process), the outgoing calls it makes, the Prometheus client and the rollback desk.</summary>
internal static class ReleaseRegistration
{
    public static IServiceCollection AddReleaseHealth(this IServiceCollection services)
    {
        services.AddSingleton(provider => new OutgoingCall(provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(_ => new PrometheusClient(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }));
        services.AddSingleton<ReleaseWatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<ReleaseWatcher>());
        services.AddTransient<RollbackDesk>();
        return services;
    }
}
