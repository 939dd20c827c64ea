using System.Diagnostics;
using System.Globalization;
using System.Text;
using Throughline.Tests.Support;

namespace Throughline.Tests.Cli;

public sealed class ValidateCommandTests
{
    [Fact]
    public async Task Validate_ExampleModel_Exit0()
    {
        var run = await CliRun.RunAsync("validate", Some.TestDataPath("models/throughline.yaml"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("throughline.yaml: valid", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(": error:", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_DocumentedExampleModel_Exit0WithoutErrors_WarningOfFieldsNotUsedYet()
    {
        var path = RepositoryFiles.PathOf("docs/examples/throughline.yaml");

        var run = await CliRun.RunAsync("validate", path);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains($"{path}: valid", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(": error:", run.Error, StringComparison.Ordinal);
        Assert.Contains($"{path}:93:5: warning: 'tool' of stage 'review' accepted, not used yet", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("'people' accepted", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("'checks' of stage", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("'health.signals' accepted", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("'health.rollback' accepted", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_FiveMistakes_PrintsFiveLocatedErrorsAndExits1()
    {
        var path = Some.TestDataPath("models/five-mistakes.yaml");

        var run = await CliRun.RunAsync("validate", path);

        Assert.Equal(1, run.ExitCode);
        var errors = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains(": error: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, errors.Count);
        Assert.StartsWith($"{path}:6:11: error: ", errors[0], StringComparison.Ordinal);
        Assert.Contains("did you mean 'stream-aligned'", errors[0], StringComparison.Ordinal);
        Assert.StartsWith($"{path}:12:17: error: ", errors[1], StringComparison.Ordinal);
        Assert.StartsWith($"{path}:15:12: error: ", errors[2], StringComparison.Ordinal);
        Assert.Contains("did you mean 'storefront'", errors[2], StringComparison.Ordinal);
        Assert.StartsWith($"{path}:21:", errors[3], StringComparison.Ordinal);
        Assert.StartsWith($"{path}:23:3: error: ", errors[4], StringComparison.Ordinal);
        Assert.Contains("did you mean 'attribution-window'", errors[4], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ToolKindTheIntakeCannotReceive_LocatedErrorWithTheKindsItCan()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kind-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, File.ReadAllText(Some.TestDataPath("models/throughline.yaml")).Replace("kind: jenkins", "kind: jenkinz", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var run = await CliRun.RunAsync("validate", path);
        File.Delete(path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: unknown tool kind 'jenkinz'", run.Error, StringComparison.Ordinal);
        Assert.Contains("did you mean 'jenkins'?", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_TyposInEventsFilterKeysAndTeams_PrintsEachLocatedWithASuggestion()
    {
        var path = Path.Combine(Path.GetTempPath(), $"typos-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, """
            version: 1
            organization: Typos
            teams: [{id: storefront}]
            environments: [{id: production, production: true}]
            services: [{id: web, owner: storefront}]
            flow:
              - id: review
                owner: storefrnt
                starts: pipelinerun.startd
                ends: change.mergd
              - id: production
                owner: storefront
                ends: service.deployed enviroment=production
            """, TestContext.Current.CancellationToken);

        var run = await CliRun.RunAsync("validate", path);
        File.Delete(path);

        Assert.Equal(1, run.ExitCode);
        var errors = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains(": error: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, errors.Count);
        Assert.StartsWith($"{path}:8:12: error: unknown team 'storefrnt'", errors[0], StringComparison.Ordinal);
        Assert.Contains("did you mean 'storefront'?", errors[0], StringComparison.Ordinal);
        Assert.StartsWith($"{path}:9:25: error: unknown event 'pipelinerun.startd'", errors[1], StringComparison.Ordinal);
        Assert.Contains("did you mean 'pipelinerun.started'?", errors[1], StringComparison.Ordinal);
        Assert.StartsWith($"{path}:10:18: error: unknown event 'change.mergd'", errors[2], StringComparison.Ordinal);
        Assert.Contains("did you mean 'change.merged'?", errors[2], StringComparison.Ordinal);
        Assert.StartsWith($"{path}:13:28: error: unknown filter 'enviroment'", errors[3], StringComparison.Ordinal);
        Assert.Contains("did you mean 'environment'?", errors[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ThousandsOfMisspeltReferencesIn656KB_EachReportedWithinSeconds()
    {
        // 5,000 teams, and 13,000 services each owned by a misspelling of its own (taem-NNNNN): without a bound on the
        // suggestion work, every misspelling would be compared with every team (the 121 s of issue 17).
        var text = new StringBuilder("version: 1\norganization: Large\nteams:\n");
        for (var team = 0; team < 5000; team++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  - id: team-{team:D5}\n");
        }

        text.Append("environments: [{id: production, production: true}]\nflow: [{id: review, owner: service-owner, ends: change.merged}]\nservices:\n");
        for (var service = 0; service < 13000; service++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  - id: service-{service:D5}\n    owner: taem-{service:D5}\n");
        }

        var path = Path.Combine(Path.GetTempPath(), $"large-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, text.ToString(), TestContext.Current.CancellationToken);

        var watch = Stopwatch.StartNew();
        var run = await CliRun.RunAsync("validate", path);
        watch.Stop();
        File.Delete(path);

        Assert.InRange(text.Length, 640_000, 680_000);
        Assert.Equal(1, run.ExitCode);
        var errors = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains(": error: unknown team 'taem-", StringComparison.Ordinal)).ToList();
        Assert.Equal(13000, errors.Count);
        Assert.Contains("did you mean 'team-00000'?", errors[0], StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"validate took {watch.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task Validate_NoFile_Exit2AndMissingFile_Exit1()
    {
        var usage = await CliRun.RunAsync("validate");
        var missing = await CliRun.RunAsync("validate", "/no/such/throughline.yaml");

        Assert.Equal(2, usage.ExitCode);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("/no/such/throughline.yaml:1:1: error:", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_ModelWithUnsetSecret_Exit1BeforeListening()
    {
        var folder = Directory.CreateTempSubdirectory("throughline-serve-");
        try
        {
            var model = Path.Combine(folder.FullName, "model.yaml");
            File.WriteAllText(model, """
                version: 1
                organization: Tiny
                teams: [{id: app}]
                environments: [{id: production, production: true}]
                tools: [{id: github, kind: github, secret: "${THROUGHLINE_TEST_SURELY_UNSET_SECRET}"}]
                services: [{id: web, owner: app, repositories: [tiny/web]}]
                flow: [{id: deploy, owner: app, ends: service.deployed environment=production}]
                """);

            var run = await CliRun.RunAsync("serve", "--model", model, "--db", Path.Combine(folder.FullName, "t.db"), "--urls", "http://127.0.0.1:0");

            Assert.Equal(1, run.ExitCode);
            Assert.Contains($"{model}:5:", run.Error, StringComparison.Ordinal);
            Assert.Contains("error: environment variable 'THROUGHLINE_TEST_SURELY_UNSET_SECRET'", run.Error, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }
}
