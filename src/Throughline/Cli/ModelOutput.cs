using Throughline.Model;
using Throughline.Web.ModelReload;

namespace Throughline.Cli;

/// <summary>What a verb does with the model's secrets, which decides what is said about them.</summary>
internal enum SecretUse
{
    /// <summary>Never used (<c>ingest</c>, <c>replay</c>, <c>rebuild</c>, <c>report</c>): not looked up, nothing said.</summary>
    Unused,

    /// <summary>Checked for a later run (<c>validate</c>, <c>demo</c>): an unset variable is a warning.</summary>
    Checked,

    /// <summary>Used at once (<c>serve</c>): an unset variable is an error.</summary>
    Required,
}

/// <summary>Loads a model for a verb and prints its problems, one located line each, on stderr.</summary>
internal static class ModelOutput
{
    public static async Task<bool> CheckAsync(Console console, string path, SecretUse secrets) =>
        await LoadAsync(console, path, secrets) is not null;

    public static async Task<OperatingModel?> LoadAsync(Console console, string path, SecretUse secrets) =>
        (await LoadResultAsync(console, path, secrets)).Model;

    /// <summary>The load result (the model when valid, and every problem), after printing the problems.</summary>
    public static async Task<ModelLoadResult> LoadResultAsync(Console console, string path, SecretUse secrets)
    {
        var result = OperatingModelLoader.LoadFile(path, Options(secrets));
        await PrintAsync(console, result, summariseWarnings: secrets == SecretUse.Unused);
        return result.IsValid ? result : result with { Model = null };
    }

    /// <summary>A model from its text (a version kept in the database), after printing its errors.</summary>
    public static async Task<OperatingModel?> LoadTextAsync(Console console, string yaml, string name, SecretUse secrets)
    {
        // Its warnings were shown when a server put it in force; its errors (a model this build reads differently) are shown.
        var result = OperatingModelLoader.LoadText(yaml, name, Options(secrets));
        foreach (var problem in result.Problems.Where(p => p.Severity == ProblemSeverity.Error))
        {
            await console.Error.WriteLineAsync(problem.ToString());
        }

        return result.IsValid ? result.Model : null;
    }

    /// <summary>The model for <c>serve</c> and <c>demo</c>: its text, to be kept and reloaded the same way, or null after printing why not.</summary>
    public static async Task<(ModelLoadResult Loaded, ModelSource Source)?> LoadSourceAsync(Console console, string path, SecretUse secrets)
    {
        var options = Options(secrets);
        var reading = ModelSource.ReadFile(path, options);
        await PrintAsync(console, reading.Result, summariseWarnings: false);
        return reading.Result.IsValid ? (reading.Result, new ModelSource(path, reading.Yaml, options)) : null;
    }

    private static ModelLoadOptions Options(SecretUse secrets) =>
        ModelSource.OptionsFor(readSecrets: secrets != SecretUse.Unused, requireSecrets: secrets == SecretUse.Required);

    /// <summary>
    /// Prints every error, and every warning unless <paramref name="summariseWarnings"/>: the verbs that only read data
    /// with the model (<c>ingest</c>, <c>report</c>, <c>rebuild</c>, <c>replay</c>) say how many there are and where to
    /// read them, so a report is not buried under the model's notes.
    /// </summary>
    private static async Task PrintAsync(Console console, ModelLoadResult result, bool summariseWarnings)
    {
        var warnings = 0;
        foreach (var problem in result.Problems)
        {
            if (summariseWarnings && problem.Severity == ProblemSeverity.Warning)
            {
                warnings++;
                continue;
            }

            await console.Error.WriteLineAsync(problem.ToString());
        }

        if (warnings > 0)
        {
            var file = result.Problems[0].File;
            await console.Error.WriteLineAsync($"{file}: {warnings} warning{(warnings == 1 ? "" : "s")} (fields accepted but not used yet, and the like); 'throughline validate {file}' lists them");
        }
    }
}
