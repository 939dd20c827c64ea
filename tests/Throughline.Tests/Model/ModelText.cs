using Throughline.Model;

namespace Throughline.Tests.Model;

/// <summary>A small valid model to break one line at a time, and helpers to load and inspect it.</summary>
internal static class ModelText
{
    public const string FileName = "model.yaml";

    // Line numbers matter to the tests: keep this text in step with them.
    public const string Minimal = """
        version: 1
        organization: Acme
        teams:
          - id: web
          - id: ops
        environments:
          - id: production
            production: true
        tools:
          - id: github
            kind: github
            secret: ${GH_SECRET}
        services:
          - id: shop
            owner: web
        responsibilities:
          deploy-production: ops
        flow:
          - id: review
            owner: service-owner
            tool: github
            ends: change.merged
        """;

    public static ModelLoadOptions Options(bool requireSecrets = false, params string[] unset) => new()
    {
        GetEnvironmentVariable = name => unset.Contains(name) ? null : "secret-value",
        RequireSecrets = requireSecrets,
        ToolKinds = Throughline.Intake.Hooks.ToolKinds.Builtin.Names,
        ToolKindEvents = Throughline.Intake.Hooks.ToolKinds.Builtin.Events,
    };

    public static ModelLoadResult Load(string yaml, ModelLoadOptions? options = null) =>
        OperatingModelLoader.LoadText(yaml, FileName, options ?? Options());

    public static ModelLoadResult LoadReplacing(string oldText, string newText)
    {
        Assert.Contains(oldText, Minimal, StringComparison.Ordinal);
        return Load(Minimal.Replace(oldText, newText, StringComparison.Ordinal));
    }

    public static IReadOnlyList<ModelProblem> Errors(this ModelLoadResult result) =>
        [.. result.Problems.Where(p => p.Severity == ProblemSeverity.Error)];

    /// <summary>Asserts the result has exactly one error, at the given place, whose message contains each fragment.</summary>
    /// <summary>The problems other than the warnings about fields accepted but not used yet.</summary>
    public static List<ModelProblem> Surprises(this ModelLoadResult result) =>
        [.. result.Problems.Where(p => !p.Message.Contains("accepted, not used yet", StringComparison.Ordinal))];

    public static ModelProblem SingleError(this ModelLoadResult result, int line, int column, params string[] fragments)
    {
        var error = Assert.Single(result.Errors());
        Assert.Equal((FileName, line, column), (error.File, error.Line, error.Column));
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        }

        Assert.False(result.IsValid);
        Assert.Null(result.Model);
        return error;
    }
}
