using Throughline.Model;
using Throughline.Simulation;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

/// <summary>One real server with 30 simulated days up to today, and one headless Chromium, shared by the browser tests of a class.</summary>
public sealed class UiFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public RunningServer Server { get; private set; } = default!;

    public Browser Browser { get; private set; } = default!;

    public OperatingModel Model { get; private set; } = default!;

    public async ValueTask InitializeAsync()
    {
        var today = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        var options = new SimulationOptions { Seed = 4, Days = 30, Start = today.AddDays(-30) };
        Model = Simulated.Model(options);
        _database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using (var store = await _database.OpenStoreAsync())
        {
            await store.AppendAsync(await Simulated.EventsAsync(options, CancellationToken.None), DateTimeOffset.UtcNow, CancellationToken.None);
        }

        Server = await RunningServer.StartAsync(_database.Database, model: Model);
        await TimelineCatchUp.AwaitAsync(Server);

        Browser = await Browser.LaunchAsync();
        Browser.Token = Server.AdminToken;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

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
