[assembly: AssemblyFixture(typeof(Throughline.Tests.Support.PrometheusFixture))]

namespace Throughline.Tests.Support;

/// <summary>One <see cref="PrometheusServer"/> for the whole test run, started by the first test that asks for it.</summary>
/// <remarks>
/// <para>Shared because Prometheus applies its scrape targets on a fixed 5-second tick (2.42 has no flag for it), so the first
/// scrape comes about 5 s after start: paid once per run rather than once per class.</para>
/// <para>Started lazily, inside a test, so a missing binary skips (or fails in CI) that test rather than the whole run. Thread-safe;
/// tests run in parallel against it, each with series of its own, so none sees another's values.</para>
/// </remarks>
public sealed class PrometheusFixture : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private PrometheusServer? _server;

    public async Task<PrometheusServer> ServerAsync()
    {
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            return _server ??= await PrometheusServer.StartAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _gate.Dispose();
    }
}
