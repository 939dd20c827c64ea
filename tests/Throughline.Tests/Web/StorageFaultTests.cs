using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

/// <summary>
/// A full disk, a read-only database, PostgreSQL stopped: nothing is acknowledged that was not stored, every answer meanwhile
/// is 503 with problem details and <c>Retry-After</c>, and the server recovers without a restart (docs/reliability.md, "Storage faults").
/// </summary>
public sealed partial class StorageFaultTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>A batch big enough to need new pages in the database (a few hundred KiB), unlike a single small event.</summary>
    private static StringContent Batch(string prefix) => new(
        "[" + string.Join(',', Enumerable.Range(0, 200).Select(i => Some.CdEvent(id: $"{prefix}-{i}", subjectId: $"checkout-{new string('x', 1000)}-{i}"))) + "]",
        Encoding.UTF8, "application/json");

    private const int BatchSize = 200;

    /// <summary>The answer to a request the store could not serve: 503, Retry-After, and a problem that says the database is unavailable.</summary>
    private static async Task AssertUnavailableAsync(HttpResponseMessage response, string what)
    {
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{what}: expected 503, got {(int)response.StatusCode} {body}");
        Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 }, $"{what}: no Retry-After");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:throughline:problem:storage-unavailable", JsonDocument.Parse(body).RootElement.GetProperty("type").GetString());
    }

    private static async Task<JsonElement> HealthAsync(RunningServer server)
    {
        using var response = await server.ClientWith(null).GetAsync("/healthz", Cancel);
        var health = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(response.StatusCode == HttpStatusCode.OK ? "ok" : "unavailable", health.GetProperty("status").GetString());
        return health;
    }

    /// <summary>While the fault lasts: the batch is refused with 503 (no 202), and <c>/healthz</c> says not ready and why, in words
    /// that hold <paramref name="healthSays"/> (null where it cannot see the fault).</summary>
    private static async Task AssertRefusedDuringFaultAsync(RunningServer server, string? healthSays)
    {
        using (var refused = await server.Client.PostAsync("/api/events", Batch("during"), Cancel))
        {
            await AssertUnavailableAsync(refused, "POST /api/events");
        }

        if (healthSays is not null)
        {
            using var response = await server.ClientWith(null).GetAsync("/healthz", Cancel);
            var health = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 }, "/healthz: no Retry-After");
            Assert.Equal("unavailable", health.GetProperty("status").GetString());
            Assert.Contains(healthSays, health.GetProperty("problem").GetString(), StringComparison.Ordinal);
        }
    }

    /// <summary>After the fault: ready again without a restart, and the refused batch is new to the store (nothing of it was kept).</summary>
    private static async Task AssertRecoveredAsync(RunningServer server, long storedBefore)
    {
        await Eventually.HoldsAsync("/healthz to say ready again", async c => (await server.ClientWith(null).GetAsync("/healthz", c)).StatusCode,
            status => status == HttpStatusCode.OK);
        using var again = await server.Client.PostAsync("/api/events", Batch("during"), Cancel);
        var answer = await again.Content.ReadAsStringAsync(Cancel);
        Assert.True(again.StatusCode == HttpStatusCode.Accepted, $"after the fault: {(int)again.StatusCode} {answer}");
        Assert.Equal(BatchSize, JsonDocument.Parse(answer).RootElement.GetProperty("accepted").GetInt32());
        var total = (await server.Client.GetFromJsonAsync<JsonElement>("/api/events?limit=1", Cancel)).GetProperty("total").GetInt64();
        Assert.Equal(storedBefore + BatchSize, total);
    }

    private static async Task<long> StoreFirstBatchAsync(RunningServer server)
    {
        using var response = await server.Client.PostAsync("/api/events", Batch("before"), Cancel);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("ok", (await HealthAsync(server)).GetProperty("status").GetString());
        return BatchSize;
    }
}
