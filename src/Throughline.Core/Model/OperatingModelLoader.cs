using System.Text;
using Throughline.Model.Yaml;

namespace Throughline.Model;

/// <summary>Reads an operating model from YAML, reporting every problem with its line and column.</summary>
/// <remarks>
/// Hostile input is refused cheaply, as one problem: files over <see cref="ModelLoadOptions.MaxFileBytes"/>
/// (before reading them), alias bombs over <see cref="ModelLoadOptions.MaxNodes"/> and nesting deeper than
/// <see cref="ModelLoadOptions.MaxDepth"/> (before building anything). Merge keys (<c>&lt;&lt;</c>) are supported.
/// Thread safe: each call works on its own state.
/// </remarks>
public static class OperatingModelLoader
{
    /// <summary>Loads a model file; a missing, unreadable or oversized file is one problem at 1:1 naming the path.</summary>
    public static ModelLoadResult LoadFile(string path, ModelLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new ModelLoadOptions();
        string text;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.CanSeek && stream.Length > options.MaxFileBytes)
            {
                return Refuse(path, TooLarge(path, stream.Length, options));
            }

            // Read at most one byte past the limit: the length of a pipe or a growing file cannot be trusted.
            var buffer = new byte[(int)Math.Min(options.MaxFileBytes + 1, stream.CanSeek ? stream.Length + 1 : options.MaxFileBytes + 1)];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (read > options.MaxFileBytes)
            {
                return Refuse(path, $"'{path}' is larger than {options.MaxFileBytes} bytes (expected a smaller operating model file)");
            }

            using var reader = new StreamReader(new MemoryStream(buffer, 0, read), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            text = reader.ReadToEnd();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            var what = exception is FileNotFoundException or DirectoryNotFoundException ? "not found" : $"cannot be read: {exception.Message}";
            return Refuse(path, $"'{path}' {what} (expected a readable operating model file)");
        }

        return LoadText(text, path, options);
    }

    /// <summary>Loads a model from YAML text; <paramref name="fileName"/> is what problems name.</summary>
    public static ModelLoadResult LoadText(string yaml, string fileName, ModelLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(fileName);
        options ??= new ModelLoadOptions();
        var bytes = Encoding.UTF8.GetByteCount(yaml);
        if (bytes > options.MaxFileBytes)
        {
            return Refuse(fileName, TooLarge(fileName, bytes, options));
        }

        if (YamlGuard.Check(yaml, fileName, options) is { } refused)
        {
            return new ModelLoadResult(null, [refused]);
        }

        var problems = new List<ModelProblem>();
        var root = new YamlTreeBuilder(fileName, problems).Build(yaml);
        // Duplicate keys still leave a tree worth checking; a failed parse leaves none.
        var model = root is null && problems.Count > 0 ? null : new ModelReader(fileName, options, problems).Read(root);
        var ordered = problems.OrderBy(p => p.Line).ThenBy(p => p.Column).ToList();
        var valid = ordered.All(p => p.Severity != ProblemSeverity.Error);
        return new ModelLoadResult(valid ? model : null, ordered);
    }

    private static string TooLarge(string path, long bytes, ModelLoadOptions options) =>
        $"'{path}' is {bytes} bytes (expected at most {options.MaxFileBytes} bytes for an operating model file)";

    private static ModelLoadResult Refuse(string path, string message) =>
        new(null, [new ModelProblem(path, 1, 1, ProblemSeverity.Error, message)]);
}
