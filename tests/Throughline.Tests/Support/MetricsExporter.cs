using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Throughline.Tests.Support;

/// <summary>A tiny Prometheus exporter the test controls: <c>GET /metrics</c> on a free port of 127.0.0.1 serves the series it was given.</summary>
/// <remarks>
/// Series are written as in the text format, name and labels together (<c>error_ratio{service="payments"}</c>, label values
/// escaped as the format wants), which is also how PromQL selects them. No <c>TYPE</c> lines: Prometheus stores them untyped,
/// which queries the same as gauges. Thread-safe: a test sets values while Prometheus scrapes.
/// </remarks>
public sealed class MetricsExporter : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, double> _series;

    private MetricsExporter(WebApplication app, ConcurrentDictionary<string, double> series, Uri address)
    {
        _app = app;
        _series = series;
        Address = address;
    }

    /// <summary><c>http://127.0.0.1:port</c>, without a trailing slash.</summary>
    public Uri Address { get; }

    /// <summary>The target as a Prometheus configuration names it: <c>127.0.0.1:port</c>.</summary>
    public string Target => $"{Address.Host}:{Address.Port}";

    public static async Task<MetricsExporter> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(MetricsExporter).FullName,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var series = new ConcurrentDictionary<string, double>(StringComparer.Ordinal);
        app.MapGet("/metrics", () => Results.Text(Exposition(series), "text/plain; version=0.0.4; charset=utf-8"));
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new MetricsExporter(app, series, new Uri(address));
    }

    /// <summary>Serves <paramref name="series"/> with <paramref name="value"/> from the next scrape on.</summary>
    public void Set(string series, double value) => _series[series] = value;

    /// <summary>Stops serving <paramref name="series"/>: Prometheus marks it stale at the next scrape.</summary>
    public void Remove(string series) => _series.TryRemove(series, out _);

    private static string Exposition(ConcurrentDictionary<string, double> series) =>
        string.Concat(series.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} {Number(s.Value)}\n"));

    private static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
