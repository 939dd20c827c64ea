using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Throughline.Tests.Model;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

public sealed partial class ModelReloadTests
{
    [Fact]
    public async Task TwoNodesOnPostgres_PutOnOne_TheOtherSwitchesWithinSeconds()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Postgres);
        var folder = Directory.CreateTempSubdirectory("throughline-nodes-").FullName;
        try
        {
            await using var first = await RunningServer.StartWithModelFileAsync(database.Database, WriteModel(folder, "first.yaml"));
            await using var second = await RunningServer.StartWithModelFileAsync(database.Database, WriteModel(folder, "second.yaml"));
            await Eventually.HoldsAsync(
                "both nodes' start-up models recorded as one version",
                token => second.Client.GetFromJsonAsync<JsonElement>("/api/model/versions", token), versions => versions.GetArrayLength() == 1);

            using var put = await PutModelAsync(first, ModelText.Minimal.Replace("organization: Acme", "organization: Agreed", StringComparison.Ordinal));

            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            await Eventually.HoldsAsync("the second node to follow", token => OrganizationAsync(second, token), name => name == "Agreed", TimeSpan.FromSeconds(20));
            var versions = await second.Client.GetFromJsonAsync<JsonElement>("/api/model/versions", Cancel);
            Assert.Equal(2, versions.GetArrayLength());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string WriteModel(string folder, string name)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, ModelText.Minimal);
        return path;
    }
}
