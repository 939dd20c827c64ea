using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Throughline.Model;
using Throughline.Simulation;
using Throughline.Tests.Support;
using Throughline.Timeline;

namespace Throughline.Tests.Web;

/// <summary>
/// What a new user sees in the demo: 90 simulated days of the demo's organisation (seed 1) served by the real host, its
/// clock stopped at the end of the history, so the figures do not depend on the day the tests run.
/// </summary>
public sealed class SimulatedFlowFixture : IAsyncLifetime
{
    /// <summary>The end of the history and the server's clock: a Thursday, midnight UTC.</summary>
    public static readonly DateTimeOffset End = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);

    private TestDatabase? _database;

    public RunningServer Server { get; private set; } = default!;

    public OperatingModel Model { get; private set; } = default!;

    public async ValueTask InitializeAsync()
    {
        var options = new SimulationOptions { Seed = 1, Days = 90, Start = End.AddDays(-90) };
        Model = Simulated.Model(options);
        _database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using (var store = await _database.OpenStoreAsync())
        {
            await store.AppendAsync(await Simulated.EventsAsync(options, CancellationToken.None), End, CancellationToken.None);
        }

        Server = await RunningServer.StartAsync(_database.Database, builder => builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(End)), Model);
        var projection = Server.Services.GetRequiredService<TimelineProjection>();
        await projection.CatchUpAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
