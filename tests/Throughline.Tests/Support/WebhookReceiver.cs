using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Throughline.Tests.Support;

/// <summary>How a <see cref="WebhookReceiver"/> answers one request.</summary>
/// <param name="Status">The status code.</param>
/// <param name="Delay">How long it waits before answering (until the caller hangs up, if sooner).</param>
/// <param name="RetryAfter">A <c>Retry-After</c> header's value, if any.</param>
/// <param name="Location">A <c>Location</c> header's value, if any.</param>
public sealed record ReceiverAnswer(int Status, TimeSpan Delay = default, string? RetryAfter = null, string? Location = null)
{
    public static readonly ReceiverAnswer Ok = new(200);
}

/// <summary>One request a <see cref="WebhookReceiver"/> received, as it arrived.</summary>
/// <param name="Path">The path and query.</param>
/// <param name="Headers">The headers, names compared ignoring case, several values joined with a comma.</param>
/// <param name="Body">The body's exact bytes.</param>
public sealed record ReceivedCall(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name);
}

/// <summary>
/// A real HTTP receiver for outgoing calls (Kestrel on <c>http://127.0.0.1:&lt;free port&gt;</c>): records every request
/// and every TCP connection, and answers each request with the next of its scripted answers.
/// </summary>
/// <remarks>
/// The n-th request gets the n-th answer, and every request after the last gets the last one (200 when none is given).
/// <see cref="Connections"/> counts accepted connections, so a test can tell "nothing reached the receiver" from "a request
/// was refused". Thread-safe.
/// </remarks>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IReadOnlyList<ReceiverAnswer> _answers;
    private readonly ConcurrentQueue<ReceivedCall> _calls = new();
    private int _connections;
    private int _requests;

    private WebhookReceiver(IReadOnlyList<ReceiverAnswer> answers)
    {
        _answers = answers.Count > 0 ? answers : [ReceiverAnswer.Ok];
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(WebhookReceiver).FullName,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Use(next => connection =>
        {
            Interlocked.Increment(ref _connections);
            return next(connection);
        })));
        _app = builder.Build();
        _app.Run(ReceiveAsync);
    }

    /// <summary>The receiver's root, <c>http://127.0.0.1:port/</c>.</summary>
    public Uri Root { get; private set; } = null!;

    /// <summary>The port it listens on.</summary>
    public int Port => Root.Port;

    /// <summary>The requests received, in order.</summary>
    public IReadOnlyList<ReceivedCall> Calls => [.. _calls];

    /// <summary>How many TCP connections were accepted.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Starts a receiver that gives <paramref name="answers"/> in order.</summary>
    public static async Task<WebhookReceiver> StartAsync(params ReceiverAnswer[] answers)
    {
        var receiver = new WebhookReceiver(answers);
        await receiver._app.StartAsync(TestContext.Current.CancellationToken);
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Root = new Uri(address + "/");
        return receiver;
    }

    /// <summary>An address on the receiver.</summary>
    public Uri At(string pathAndQuery) => new(Root, pathAndQuery);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _calls.Enqueue(new ReceivedCall(context.Request.Path + context.Request.QueryString, headers, body.ToArray()));

        var answer = _answers[Math.Min(Interlocked.Increment(ref _requests), _answers.Count) - 1];
        if (answer.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(answer.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = answer.Status;
        if (answer.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        if (answer.Location is { } location)
        {
            context.Response.Headers.Location = location;
        }
    }
}
