using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Throughline.Simulation;
using Throughline.Storage;

namespace Throughline.Web.Demo;

/// <summary>What the demo's stand-in tools need.</summary>
/// <param name="Simulator">The simulation, told of each rollback so that it does not deploy on top as if nothing happened.</param>
/// <param name="Clock">The demo's clock: a rollback's event carries its time; the wait before it runs on real time.</param>
/// <param name="Secret">The key rollback calls are signed with: the value of the model's <c>${THROUGHLINE_DEMO_ROLLBACK_SECRET}</c>.</param>
/// <param name="Console">Where the demo says what the tools received (its stderr).</param>
internal sealed record DemoToolsSettings(HistorySimulator Simulator, TimeProvider Clock, string Secret, TextWriter Console)
{
    /// <summary>How long Argo CD takes to roll back once it has accepted the call.</summary>
    public TimeSpan RollbackTime { get; init; } = TimeSpan.FromSeconds(2.5);

    /// <summary>How many notifications and rollback calls <see cref="DemoToolsInbox"/> keeps.</summary>
    public int Kept { get; init; } = 100;
}

/// <summary>
/// The organisation's chat and Argo CD, as far as the demo needs them: a small HTTP server on 127.0.0.1, on a port of its
/// own that is known before the model is written, taking Throughline's release notifications (<c>POST /notify</c>) and
/// rollback calls (<c>POST /rollback/{service}</c>, see <see cref="DemoRollbacks"/>).
/// </summary>
/// <remarks>Each call it takes is one line on the demo's console and an entry in <see cref="Received"/>.</remarks>
internal sealed class DemoTools : IAsyncDisposable
{
    private const int MaxBodyBytes = 1 << 20;
    private readonly WebApplication _app;
    private readonly DemoRollbacks _rollbacks;
    private bool _disposed;

    private DemoTools(WebApplication app, DemoRollbacks rollbacks, DemoToolsInbox received, Uri address)
    {
        _app = app;
        _rollbacks = rollbacks;
        Received = received;
        Address = address;
    }

    /// <summary>The base URL the tools listen on (<c>http://127.0.0.1:PORT</c>).</summary>
    public Uri Address { get; }

    /// <summary>What the tools received, for the console and for tests.</summary>
    public DemoToolsInbox Received { get; }

    /// <summary>Starts the tools on a free port of 127.0.0.1.</summary>
    public static async Task<DemoTools> StartAsync(DemoToolsSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(DemoTools).FullName,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
        });
        var app = builder.Build();
        var received = new DemoToolsInbox(settings.Kept);
        var rollbacks = new DemoRollbacks(settings, received);
        app.MapPost("/notify", (HttpRequest request, CancellationToken token) => NotifyAsync(settings, received, request, token));
        app.MapPost("/rollback/{service}", (string service, HttpRequest request, CancellationToken token) => rollbacks.ReceiveAsync(service, request, token));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DemoTools(app, rollbacks, received, new Uri(address));
    }

    /// <summary>Gives the tools the store that rollbacks' events go to; until then a rollback call is answered 503.</summary>
    public void Connect(IEventStore store) => _rollbacks.Connect(store);

    /// <summary>Stops listening, then stops the rollbacks still under way (their events are not stored).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _app.StopAsync(CancellationToken.None);
        await _rollbacks.DisposeAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The body as sent; an empty array when the client sent none.</summary>
    internal static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    /// <summary>The body as JSON, or null when it is not JSON.</summary>
    internal static JsonElement? Parse(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The string property <paramref name="name"/>; null when absent, not a string, or blank.</summary>
    internal static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()
            : null;

    private static async Task<IResult> NotifyAsync(DemoToolsSettings settings, DemoToolsInbox received, HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, cancellationToken);
        if (Parse(body) is not { ValueKind: JsonValueKind.Object } message)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The notification is not a JSON object.");
        }

        var line = DemoToolsInbox.Describe(message);
        received.Add(new DemoNotification(settings.Clock.GetUtcNow(), System.Text.Encoding.UTF8.GetString(body), line));
        received.Say(settings.Console, line);
        return Results.Ok();
    }
}
