using Throughline.Tests.Support;

namespace Throughline.Tests.Cli;

/// <summary>Only verbs that use the model's secrets say anything about them.</summary>
public sealed class ModelSecretsTests
{
    private const string Model = """
        version: 1
        organization: Tiny
        teams: [{id: app}]
        environments: [{id: production, production: true}]
        tools:
          - {id: github, kind: github, secret: "${THROUGHLINE_TEST_SURELY_UNSET_SECRET}"}
          - {id: gitlab, kind: gitlab, token: a-literal-token}
        services: [{id: web, owner: app, repositories: [tiny/web]}]
        """;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("rebuild")]
    [InlineData("replay")]
    [InlineData("report")]
    [InlineData("ingest")]
    public async Task VerbThatNeverUsesSecrets_SaysNothingAboutThem(string verb)
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var folder = Path.GetDirectoryName(database.Database)!;
        var model = Path.Combine(folder, "model.yaml");
        await File.WriteAllTextAsync(model, Model, Cancel);
        var events = Path.Combine(folder, "events.jsonl");
        await File.WriteAllTextAsync(events, Some.TestData("cdevents/v0.6.0-draft/change_created.json"), Cancel);
        string[] files = verb == "ingest" ? [events] : [];

        var run = await CliRun.RunAsync([verb, "--db", database.Database, "--model", model, .. files]);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.DoesNotContain("THROUGHLINE_TEST_SURELY_UNSET_SECRET", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("literal secret", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_SameModel_WarnsOfTheUnsetVariableAndRefusesTheLiteral()
    {
        var folder = Directory.CreateTempSubdirectory("throughline-secrets-");
        try
        {
            var model = Path.Combine(folder.FullName, "model.yaml");
            await File.WriteAllTextAsync(model, Model, Cancel);

            var run = await CliRun.RunAsync("validate", model);

            // A literal secret would be served to every viewer with the model's versions: refused wherever secrets are used.
            Assert.Equal(1, run.ExitCode);
            Assert.Contains($"{model}:6:40: warning: environment variable 'THROUGHLINE_TEST_SURELY_UNSET_SECRET'", run.Error, StringComparison.Ordinal);
            Assert.Contains($"{model}:7:39: error: literal secret in 'token' of tool 'gitlab'", run.Error, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
