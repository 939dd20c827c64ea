using Throughline.Storage;
using Throughline.Timeline;

namespace Throughline.Web.ModelReload;

/// <summary>Registers the model in force, the reloader, and the watcher of the model file.</summary>
internal static class ModelReloadRegistration
{
    public static IServiceCollection AddModelReload(this IServiceCollection services, ServeSettings settings)
    {
        var source = settings.ModelSource ?? new ModelSource(null, null, ModelSource.OptionsFor(readSecrets: true, requireSecrets: true));
        services.AddSingleton(source);
        services.AddSingleton(provider =>
        {
            var (store, time) = (provider.GetRequiredService<IEventStore>(), provider.GetRequiredService<TimeProvider>());
            TimelineProjection Project(Model.OperatingModel? model) => new(store, model, time, settings.CachedFacts);
            var yaml = settings.Model is null ? null : source.Yaml;
            var initial = new ModelState(
                settings.Model, settings.ModelWarnings ?? [], Project(settings.Model), yaml, yaml is null ? null : ModelSource.Hash(yaml),
                source.Path is { } path ? $"file {path}" : null);
            return new ModelInForce(initial, Project);
        });

        // Resolved per request: an endpoint that asks for the projection gets the one in force, and reads its model from it.
        services.AddTransient(provider => provider.GetRequiredService<ModelInForce>().Current.Projection);
        services.AddSingleton<ModelReloader>();
        services.AddHostedService<ModelFileWatcher>();
        services.AddHostedService<ModelVersionSync>();
        return services;
    }
}
