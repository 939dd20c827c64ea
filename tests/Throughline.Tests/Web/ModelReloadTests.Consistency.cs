using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Throughline.Tests.Model;
using Throughline.Tests.Support;
using Throughline.Timeline;

namespace Throughline.Tests.Web;

public sealed partial class ModelReloadTests
{
    [Fact]
    public async Task Put_WhileEventsArrive_EveryEventInTheTimelineAfterwards()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartWithModelFileAsync(database.Database, ModelFileIn(database, ModelText.Minimal));
        const int Batches = 20, PerBatch = 25;

        var posting = Task.Run(async () =>
        {
            for (var batch = 0; batch < Batches; batch++)
            {
                var events = string.Join("\n", Enumerable.Range(0, PerBatch).Select(i => Some.CdEvent(id: $"reload-{batch}-{i}")));
                using var posted = await server.Client.PostAsync("/api/events", new StringContent(events, Encoding.UTF8, "application/x-ndjson"), Cancel);
                Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
            }
        }, Cancel);
        for (var reload = 0; !posting.IsCompleted || reload < 3; reload++)
        {
            using var put = await PutModelAsync(server, ModelText.Minimal.Replace("organization: Acme", $"organization: Acme {reload}", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        await posting;
        await TimelineCatchUp.AwaitAsync(server);
        var projection = server.Services.GetRequiredService<TimelineProjection>();
        Assert.Equal(Batches * PerBatch, projection.Current.Deployments.Count);
        Assert.StartsWith("Acme ", projection.Model?.Organization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sighup_RealServe_ReadsTheFileAgainAndKeepsServing()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        // serve needs every secret set, from the environment (which the server's process inherits from this one).
        Environment.SetEnvironmentVariable("THROUGHLINE_TEST_SIGHUP_SECRET", "set-for-the-child");
        var path = ModelFileIn(database, ModelText.Minimal.Replace("${GH_SECRET}", "${THROUGHLINE_TEST_SIGHUP_SECRET}", StringComparison.Ordinal));
        await using var server = await ServerProcess.StartAsync("serve", "--db", database.Database, "--model", path, "--urls", "http://127.0.0.1:0");

        using (var kill = Process.Start("kill", ["-HUP", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(Cancel);
        }

        await server.WaitForOutputAsync("SIGHUP: reading the operating model", TimeSpan.FromSeconds(30));
        using var health = await server.Client.GetAsync("/healthz", Cancel);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Put_AlternatingModels_EveryFlowAnswerFromOneModel()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartWithModelFileAsync(database.Database, ModelFileIn(database, ModelText.Minimal));
        var renamed = ModelText.Minimal.Replace("- id: review", "- id: code-review", StringComparison.Ordinal);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var answers = new List<string>();

        var reading = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await server.Client.GetAsync("/api/metrics/flow", Cancel);
                var body = await response.Content.ReadAsStringAsync(Cancel);
                Assert.True(response.IsSuccessStatusCode, body);
                answers.Add(body);
            }
        }, Cancel);
        for (var reload = 0; reload < 6; reload++)
        {
            (await PutModelAsync(server, reload % 2 == 0 ? renamed : ModelText.Minimal)).Dispose();
        }

        await stop.CancelAsync();
        await reading;

        Assert.NotEmpty(answers);
        Assert.All(answers, answer => Assert.True(
            answer.Contains("\"code-review\"", StringComparison.Ordinal) != answer.Contains("\"review\"", StringComparison.Ordinal), answer));
    }
}
