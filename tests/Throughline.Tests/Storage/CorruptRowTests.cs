using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Throughline.Tests.Cli;
using Throughline.Tests.Support;

namespace Throughline.Tests.Storage;

/// <summary>Rows a store can hold but intake never writes, written past the store with a plain connection: every reader
/// of stored events reports each one and skips it, the same way, and goes on.</summary>
public sealed class CorruptRowTests
{
    private const string Deployed = "dev.cdevents.service.deployed.0.2.0";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>What each corrupt row holds, and a word its reason must contain.</summary>
    private static IReadOnlyList<(string Name, string Payload, long? OccurredAt, string? Envelope, string Expected)> Corrupt() =>
    [
        ("lone surrogate", Some.CdEvent(id: "surrogate").Replace("production", "prod\\ud800", StringComparison.Ordinal), null, null, "subject.content.environment.id"),
        ("not JSON", "{\"context\": {", null, null, "payload"),
        ("too deep", new string('[', 200) + new string(']', 200), null, null, "payload"),
        ("time out of range", Some.CdEvent(id: "far"), long.MaxValue, null, "occurred_at_us"),
        ("envelope not JSON", Some.CdEvent(id: "envelope"), null, "{\"id\":", "envelope"),
    ];

    private static async Task<long> WriteRowAsync(TestDatabase database, string id, string payload, long? occurredAt = null, string? envelope = null)
    {
        await using var connection = await database.ConnectAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            "INSERT INTO events (source, event_id, type, subject_id, occurred_at_us, received_at_us, spec_version, mapped, origin, payload, envelope) " +
            "VALUES (@source, @id, @type, 'checkout', @occurred, @received, '0.5.0', @mapped, 'api', @payload, @envelope) RETURNING seq";
        void Add(string name, object? value)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        Add("@source", "/argocd/prod");
        Add("@id", id);
        Add("@type", Deployed);
        Add("@occurred", occurredAt ?? 1_774_016_825_315_000);
        Add("@received", 1_774_016_825_315_000);
        Add("@mapped", true);
        Add("@payload", payload);
        Add("@envelope", envelope);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Cancel), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<JsonElement> GetAsync(RunningServer server, string path, HttpStatusCode expected)
    {
        using var response = await server.Client.GetAsync(path, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == expected, $"GET {path}: expected {expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task PostAsync(RunningServer server, string body)
    {
        using var response = await server.Client.PostAsync("/api/events", new StringContent(body, Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static string DigestOf(CliRun rebuild) =>
        rebuild.Output.Split('\n').Single(l => l.TrimStart().StartsWith("digest", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task StoredCorruptRows_EveryReaderReportsAndSkipsEachTheSameWay(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await (await database.OpenStoreAsync()).DisposeAsync(); // creates the schema
        var corrupt = new Dictionary<long, string>();
        foreach (var (name, payload, occurredAt, envelope, expected) in Corrupt())
        {
            corrupt[await WriteRowAsync(database, name, payload, occurredAt, envelope)] = expected;
        }

        await using (var server = await RunningServer.StartAsync(database.Database))
        {
            await PostAsync(server, Some.CdEvent(id: "good"));
            await TimelineCatchUp.AwaitAsync(server);

            var list = await GetAsync(server, "/api/events?limit=100", HttpStatusCode.OK);
            var timeline = await GetAsync(server, "/api/timeline", HttpStatusCode.OK);

            Assert.Equal(corrupt.Count + 1, list.GetProperty("total").GetInt64());
            Assert.Equal(["good"], list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
            var listed = list.GetProperty("unreadable").EnumerateArray().ToDictionary(u => u.GetProperty("sequence").GetInt64(), u => u.GetProperty("reason").GetString()!);
            Assert.Equal(corrupt.Keys.Order(), listed.Keys.Order());
            foreach (var (sequence, expected) in corrupt)
            {
                Assert.Contains(expected, listed[sequence], StringComparison.Ordinal);
                var item = await GetAsync(server, $"/api/events/{sequence}", HttpStatusCode.UnprocessableEntity);
                Assert.Equal(listed[sequence], item.GetProperty("reason").GetString());
                using var raw = await server.Client.GetAsync($"/api/events/{sequence}/raw", Cancel);
                Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
            }

            var unreadable = timeline.GetProperty("unreadable");
            Assert.Equal(corrupt.Count, unreadable.GetProperty("count").GetInt64());
            Assert.Equal(corrupt.Keys.Order(), unreadable.GetProperty("events").EnumerateArray().Select(u => u.GetProperty("sequence").GetInt64()));
            Assert.Equal(1, timeline.GetProperty("deployments").GetInt32());

            var rebuild = await CliRun.RunAsync("rebuild", "--db", database.Database);
            var report = await CliRun.RunAsync("report", "--db", database.Database, "--from", "2026-03-01", "--to", "2026-04-01");

            Assert.True(rebuild.ExitCode == 0, rebuild.Error);
            Assert.Equal(timeline.GetProperty("digest").GetString(), DigestOf(rebuild));
            Assert.True(report.ExitCode == 0, report.Error);
            foreach (var (sequence, reason) in listed)
            {
                Assert.Contains($"event {sequence}: {reason}", rebuild.Error, StringComparison.Ordinal);
                Assert.Contains($"event {sequence}: {reason}", report.Error, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task SqliteRowsOfAnyBytesAndTypes_EveryReaderGoesOn()
    {
        // SQLite keeps whatever a column is given: bytes that are not UTF-8, a BLOB, a number where text goes, a NUL.
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await (await database.OpenStoreAsync()).DisposeAsync();
        await using (var connection = await database.ConnectAsync())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO events (source, event_id, type, subject_id, occurred_at_us, received_at_us, spec_version, mapped, origin, payload, envelope) VALUES
                  (CAST(X'2FFFFE' AS TEXT), 'bytes', 'dev.cdevents.service.deployed.0.2.0', CAST(X'6300FF' AS TEXT), 1774016825315000, 1774016825315000, '0.5.0', 1, 'api',
                   CAST(X'7B22636F6E74657874223A7B7D2C227375626A656374223A7B226964223A2263FF227D7D' AS TEXT), NULL),
                  ('/blob', 'blob', 'dev.cdevents.service.deployed.0.2.0', 'checkout', 1774016825315000, 1774016825315000, '0.5.0', 1, 'api', X'7B7D', NULL),
                  ('/number', 42, 17, 3.5, 'soon', 1774016825315000, 0, 'yes', 'api', '{}', NULL),
                  ('/huge', 'huge', 'dev.cdevents.service.deployed.0.2.0', 'checkout', 1e300, 1774016825315000, '0.5.0', 1, 'api', '{}', NULL)
                """;
            await command.ExecuteNonQueryAsync(Cancel);
        }

        await using var server = await RunningServer.StartAsync(database.Database);
        await PostAsync(server, Some.CdEvent(id: "good"));
        await TimelineCatchUp.AwaitAsync(server);

        var list = await GetAsync(server, "/api/events?limit=100", HttpStatusCode.OK);
        var timeline = await GetAsync(server, "/api/timeline", HttpStatusCode.OK);
        var rebuild = await CliRun.RunAsync("rebuild", "--db", database.Database);

        Assert.Equal(5, list.GetProperty("total").GetInt64());
        Assert.Equal(5, list.GetProperty("items").GetArrayLength() + list.GetProperty("unreadable").GetArrayLength());
        Assert.Contains("occurred_at_us", list.GetProperty("unreadable").EnumerateArray().Single().GetProperty("reason").GetString(), StringComparison.Ordinal);
        for (var sequence = 1; sequence <= 5; sequence++)
        {
            using var item = await server.Client.GetAsync($"/api/events/{sequence}", Cancel);
            Assert.True(item.StatusCode is HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity, $"event {sequence}: {(int)item.StatusCode}");
        }

        Assert.True(rebuild.ExitCode == 0, rebuild.Error);
        Assert.Equal(timeline.GetProperty("digest").GetString(), DigestOf(rebuild));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task CorruptRowArrivingWhileServing_SkippedAndEveryLaterEventRead(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database);
        await PostAsync(server, Some.CdEvent(id: "before"));
        await TimelineCatchUp.AwaitAsync(server);

        var sequence = await WriteRowAsync(database, "bad", Corrupt()[0].Payload);
        await PostAsync(server, Some.CdEvent(id: "after", subjectId: "payments"));
        await TimelineCatchUp.AwaitAsync(server);
        await TimelineCatchUp.AwaitAsync(server);

        var timeline = await GetAsync(server, "/api/timeline", HttpStatusCode.OK);
        var rebuild = await CliRun.RunAsync("rebuild", "--db", database.Database);
        Assert.Equal(2, timeline.GetProperty("deployments").GetInt32());
        Assert.Equal(sequence, Assert.Single(timeline.GetProperty("unreadable").GetProperty("events").EnumerateArray()).GetProperty("sequence").GetInt64());
        Assert.True(rebuild.ExitCode == 0, rebuild.Error);
        Assert.Equal(timeline.GetProperty("digest").GetString(), DigestOf(rebuild));
        Assert.Equal(2, (await server.Client.GetFromJsonAsync<JsonElement>("/api/events", Cancel)).GetProperty("items").GetArrayLength());
    }
}
