using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Throughline.Tests.Model;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

/// <summary>The model reloaded without a restart: by a change of the file, by <c>PUT /api/model</c> and by SIGHUP.</summary>
public sealed partial class ModelReloadTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FileEdit_NewOrganizationAndStage_ModelAndFlowChangeWithoutRestart()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var path = ModelFileIn(database, ModelText.Minimal);
        await using var server = await RunningServer.StartWithModelFileAsync(database.Database, path);
        Assert.Equal("Acme", await OrganizationAsync(server, Cancel));

        await File.WriteAllTextAsync(path, ModelText.Minimal.Replace("organization: Acme", "organization: Acme Edited", StringComparison.Ordinal)
            .Replace("- id: review", "- id: code-review", StringComparison.Ordinal), Cancel);

        await Eventually.HoldsAsync("the edited model in force", token => OrganizationAsync(server, token), name => name == "Acme Edited");
        using var flowResponse = await server.Client.GetAsync("/api/metrics/flow", Cancel);
        var flow = await flowResponse.Content.ReadAsStringAsync(Cancel);
        Assert.True(flowResponse.IsSuccessStatusCode, flow);
        Assert.Contains("code-review", flow, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_InvalidModel_422WithErrorsAndTheOldModelStays()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartWithModelFileAsync(database.Database, ModelFileIn(database, ModelText.Minimal));

        using var response = await PutModelAsync(server, ModelText.Minimal.Replace("owner: web", "owner: nobody", StringComparison.Ordinal));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var health = await server.Client.GetFromJsonAsync<JsonElement>("/healthz", Cancel);
        var page = await server.Client.GetStringAsync("/model", Cancel);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("urn:throughline:problem:invalid-model", problem.GetProperty("type").GetString());
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Contains("nobody", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("Acme", await OrganizationAsync(server, Cancel));
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.StartsWith("api: token tl_", health.GetProperty("modelRefused").GetProperty("origin").GetString(), StringComparison.Ordinal);
        Assert.Contains("nobody", health.GetProperty("modelRefused").GetProperty("errors")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("A newer model was refused", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_ValidModel_InForceAndTheRefusalForgotten()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartWithModelFileAsync(database.Database, ModelFileIn(database, ModelText.Minimal));
        (await PutModelAsync(server, "version: 1\norganization: [")).Dispose();

        using var response = await PutModelAsync(server, ModelText.Minimal.Replace("organization: Acme", "organization: Put", StringComparison.Ordinal));
        var health = await server.Client.GetFromJsonAsync<JsonElement>("/healthz", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Put", await OrganizationAsync(server, Cancel));
        Assert.False(health.TryGetProperty("modelRefused", out var refused) && refused.ValueKind != JsonValueKind.Null, health.ToString());
    }

    [Fact]
    public async Task Put_HostileBodies_RefusedFast()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartWithModelFileAsync(database.Database, ModelFileIn(database, ModelText.Minimal));
        var bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (var level = 'b'; level <= 'k'; level++)
        {
            bomb.Append($"{level}: &{level} [*{(char)(level - 1)}, *{(char)(level - 1)}, *{(char)(level - 1)}, *{(char)(level - 1)}, *{(char)(level - 1)}, *{(char)(level - 1)}, *{(char)(level - 1)}, *{(char)(level - 1)}, *{(char)(level - 1)}, *{(char)(level - 1)}]\n");
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var large = await PutModelAsync(server, new string('#', 2 * 1024 * 1024));
        using var aliases = await PutModelAsync(server, bomb.ToString());
        using var nested = await PutModelAsync(server, new string('[', 5000) + new string(']', 5000));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, aliases.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, nested.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal("Acme", await OrganizationAsync(server, Cancel));
    }

    [Fact]
    public async Task FileEdit_TooLargeFile_RefusedAndReportedByHealthz()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var path = ModelFileIn(database, ModelText.Minimal);
        await using var server = await RunningServer.StartWithModelFileAsync(database.Database, path);

        await File.WriteAllTextAsync(path, ModelText.Minimal + new string('#', 2 * 1024 * 1024), Cancel);

        var health = await Eventually.HoldsAsync(
            "the oversized file refused", token => server.Client.GetFromJsonAsync<JsonElement>("/healthz", token),
            answer => answer.TryGetProperty("modelRefused", out var refused) && refused.ValueKind == JsonValueKind.Object);
        Assert.Equal($"file {path}", health.GetProperty("modelRefused").GetProperty("origin").GetString());
        Assert.Contains("expected at most 1048576 bytes", health.GetProperty("modelRefused").GetProperty("errors")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("Acme", await OrganizationAsync(server, Cancel));
    }

    internal static string ModelFileIn(TestDatabase database, string yaml)
    {
        var path = Path.Combine(Path.GetDirectoryName(database.Database) ?? Path.GetTempPath(), $"model-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    internal static async Task<HttpResponseMessage> PutModelAsync(RunningServer server, string yaml) =>
        await server.Client.PutAsync("/api/model", new StringContent(yaml, Encoding.UTF8, "application/yaml"), Cancel);

    internal static async Task<string?> OrganizationAsync(RunningServer server, CancellationToken cancellationToken) =>
        (await server.Client.GetFromJsonAsync<JsonElement>("/api/model", cancellationToken))
            .GetProperty("organization").GetString();
}
