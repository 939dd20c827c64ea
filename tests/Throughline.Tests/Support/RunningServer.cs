using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Throughline.Access;
using Throughline.Storage;
using Throughline.Timeline;
using Throughline.Web;
using Throughline.Web.Auth;
using Throughline.Web.ModelReload;

namespace Throughline.Tests.Support;

/// <summary>The real web app on a real loopback socket, as <c>throughline serve</c> runs it.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningServer(WebApplication app, Uri address, string adminToken)
    {
        _app = app;
        Address = address;
        AdminToken = adminToken;
        Client = ClientWith(adminToken);
    }

    public Uri Address { get; }

    /// <summary>Signed in with <see cref="AdminToken"/>: it may do everything.</summary>
    public HttpClient Client { get; }

    /// <summary>An admin token made when the server started, as <c>serve</c>'s first start does.</summary>
    public string AdminToken { get; }

    /// <summary>A client of this server sending <paramref name="token"/> (none when null), for tests of access control.</summary>
    public HttpClient ClientWith(string? token)
    {
        var client = new HttpClient { BaseAddress = Address };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Makes a token in the server's database, as <c>throughline token create</c> does.</summary>
    public async Task<string> CreateTokenAsync(Role role, IReadOnlyList<string>? sources = null, TimeSpan? lifetime = null, string name = "test")
    {
        var issued = await ApiTokens.CreateAsync(
            Services.GetRequiredService<IEventStore>(), role, sources ?? [], name, "test", DateTimeOffset.UtcNow, lifetime, onlyIfFirst: false,
            TestContext.Current.CancellationToken);
        return issued!.Secret;
    }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the server and, unless <paramref name="awaitTimeline"/> is false, waits until its timeline holds every
    /// stored event (until then the endpoints derived from it answer 503, as a restarted server's do).</summary>
    public static Task<RunningServer> StartAsync(
        string database, Action<WebApplicationBuilder>? configure = null, Throughline.Model.OperatingModel? model = null,
        IReadOnlyList<Throughline.Model.ModelProblem>? modelWarnings = null, AccessSettings? access = null, bool awaitTimeline = true) =>
        StartAsync(new ServeSettings(database, "http://127.0.0.1:0", model, modelWarnings, Access: access), configure, awaitTimeline);

    private static async Task<RunningServer> StartAsync(ServeSettings settings, Action<WebApplicationBuilder>? configure, bool awaitTimeline = true)
    {
        var app = await ThroughlineApp.CreateAsync(settings, builder =>
        {
            builder.Logging.ClearProviders();
            configure?.Invoke(builder);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var admin = await ApiTokens.CreateAsync(
            app.Services.GetRequiredService<IEventStore>(), Role.Admin, [], "test admin", "test", DateTimeOffset.UtcNow, null, onlyIfFirst: false,
            TestContext.Current.CancellationToken);
        if (awaitTimeline)
        {
            await app.Services.GetRequiredService<TimelineProjection>().WaitUntilLoadedAsync(TestContext.Current.CancellationToken)
                .WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        }

        return new RunningServer(app, new Uri(address), admin!.Secret);
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
