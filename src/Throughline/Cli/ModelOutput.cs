using Throughline.Model;

namespace Throughline.Cli;

/// <summary>Loads a model for a verb and prints its problems, one located line each, on stderr.</summary>
internal static class ModelOutput
{
    public static async Task<bool> CheckAsync(Console console, string path, bool requireSecrets) =>
        await LoadAsync(console, path, requireSecrets) is not null;

    public static async Task<OperatingModel?> LoadAsync(Console console, string path, bool requireSecrets) =>
        (await LoadResultAsync(console, path, requireSecrets)).Model;

    /// <summary>The load result (the model when valid, and every problem), after printing the problems.</summary>
    public static async Task<ModelLoadResult> LoadResultAsync(Console console, string path, bool requireSecrets)
    {
        var result = OperatingModelLoader.LoadFile(path, new ModelLoadOptions { RequireSecrets = requireSecrets });
        foreach (var problem in result.Problems)
        {
            await console.Error.WriteLineAsync(problem.ToString());
        }

        return result.IsValid ? result : result with { Model = null };
    }
}
