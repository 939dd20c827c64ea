using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Throughline.Tests.Model;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

public sealed partial class ModelReloadTests
{
    [Fact]
    public async Task Versions_StartThenPutThenTheSameAgain_TwoVersionsWithTheirDiff()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var path = ModelFileIn(database, ModelText.Minimal);
        await using var server = await RunningServer.StartWithModelFileAsync(database.Database, path);
        var edited = ModelText.Minimal.Replace("organization: Acme", "organization: Acme Two", StringComparison.Ordinal);
        await Eventually.HoldsAsync("the start-up model stored as version 1", token => VersionsAsync(server, token), versions => versions.GetArrayLength() == 1);

        (await PutModelAsync(server, edited)).Dispose();
        (await PutModelAsync(server, edited)).Dispose();
        var versions = await VersionsAsync(server, Cancel);
        var second = await server.Client.GetFromJsonAsync<JsonElement>("/api/model/versions/2", Cancel);
        var diff = await server.Client.GetStringAsync("/api/model/versions/2/diff?from=1", Cancel);
        var page = await server.Client.GetStringAsync("/model", Cancel);
        using var missing = await server.Client.GetAsync("/api/model/versions/9", Cancel);

        Assert.Equal(2, versions.GetArrayLength());
        Assert.Equal($"file {path}", versions[0].GetProperty("origin").GetString());
        Assert.Matches(@"^api: token tl_\w{8} \(test admin\)$", versions[1].GetProperty("origin").GetString()); // who put it in force
        Assert.Equal(64, versions[1].GetProperty("hash").GetString()!.Length);
        Assert.Equal(edited, second.GetProperty("yaml").GetString());
        Assert.Contains("-organization: Acme\n+organization: Acme Two\n", diff.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("What changed from version 1 to version 2", page, StringComparison.Ordinal);
        Assert.Contains("+organization: Acme Two", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static async Task<JsonElement> VersionsAsync(RunningServer server, CancellationToken cancellationToken) =>
        await server.Client.GetFromJsonAsync<JsonElement>("/api/model/versions", cancellationToken);
}
