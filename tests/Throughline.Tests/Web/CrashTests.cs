using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

public sealed class CrashTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Kill_AfterAcknowledgements_EveryAcknowledgedEventSurvives(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var acknowledged = new List<string>();
        string admin;
        await using (var server = await ServerProcess.StartAsync(database.Database))
        {
            admin = server.Token!;
            for (var request = 0; request < 20; request++)
            {
                var ids = Enumerable.Range(0, 10).Select(i => $"crash-{request}-{i}").ToList();
                var body = "[" + string.Join(',', ids.Select(id => Some.CdEvent(id: id))) + "]";
                using var response = await server.Client.PostAsync("/api/events", new StringContent(body, Encoding.UTF8, "application/json"), Cancel);
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                acknowledged.AddRange(ids);
            }

            await server.KillAsync();
        }

        await using var restarted = await ServerProcess.StartAsync(database.Database);
        restarted.UseToken(admin);
        var list = await restarted.Client.GetFromJsonAsync<JsonElement>("/api/events?limit=1000", Cancel);

        Assert.Equal(acknowledged.Count, list.GetProperty("total").GetInt64());
        Assert.Equal(acknowledged.Order(StringComparer.Ordinal), list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
    }
}
