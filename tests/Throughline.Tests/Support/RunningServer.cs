using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Throughline.Web;
using Throughline.Web.ModelReload;

namespace Throughline.Tests.Support;

/// <summary>The real web app on a real loopback socket, as <c>throughline serve</c> runs it.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<RunningServer> StartAsync(
        string database, Action<WebApplicationBuilder>? configure = null, Throughline.Model.OperatingModel? model = null,
        IReadOnlyList<Throughline.Model.ModelProblem>? modelWarnings = null) =>
        StartAsync(new ServeSettings(database, "http://127.0.0.1:0", model, modelWarnings), configure);

    private static async Task<RunningServer> StartAsync(ServeSettings settings, Action<WebApplicationBuilder>? configure)
    {
        var app = await ThroughlineApp.CreateAsync(settings, builder =>
        {
            builder.Logging.ClearProviders();
            configure?.Invoke(builder);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningServer(app, new Uri(address));
    }

    /// <summary>Serves with a model file, watched and reloaded as <c>serve --model</c> does (secrets not looked up).</summary>
    public static async Task<RunningServer> StartWithModelFileAsync(string database, string modelPath, Action<WebApplicationBuilder>? configure = null)
    {
        var options = ModelSource.OptionsFor(readSecrets: false, requireSecrets: false);
        var reading = ModelSource.ReadFile(modelPath, options);
        Assert.True(reading.Result.IsValid, string.Join("\n", reading.Result.Problems));
        var source = new ModelSource(modelPath, reading.Yaml, options);
        return await StartAsync(new ServeSettings(database, "http://127.0.0.1:0", reading.Result.Model, reading.Result.Problems, ModelSource: source), configure);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
