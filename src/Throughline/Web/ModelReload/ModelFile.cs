using System.Security.Cryptography;
using System.Text;
using Throughline.Model;

namespace Throughline.Web.ModelReload;

/// <summary>A model's text (when it could be read within the size limit) and what loading it found.</summary>
internal sealed record ModelReading(string? Yaml, ModelLoadResult Result);

/// <summary>Where the server's model comes from and how it is validated: the same at start-up and on every reload.</summary>
/// <param name="Path">The model file, watched for changes and read again on SIGHUP; null when none was given.</param>
/// <param name="Yaml">The text loaded at start-up.</param>
/// <param name="Options">The loader's options (secrets, tool kinds, limits).</param>
internal sealed record ModelSource(string? Path, string? Yaml, ModelLoadOptions Options)
{
    /// <summary>The loader's options for a verb: whether secrets are looked up, and whether an unset one is an error.</summary>
    public static ModelLoadOptions OptionsFor(bool readSecrets, bool requireSecrets) => new()
    {
        RequireSecrets = requireSecrets,
        ReadSecrets = readSecrets,
        ToolKinds = Intake.Hooks.ToolKinds.Builtin.Names,
        ToolKindEvents = Intake.Hooks.ToolKinds.Builtin.Events,
    };

    /// <summary>Reads and validates the file; an oversized or unreadable file is refused without reading it whole.</summary>
    public static ModelReading ReadFile(string path, ModelLoadOptions options)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length <= options.MaxFileBytes)
            {
                var text = File.ReadAllText(path, Encoding.UTF8);
                return new ModelReading(text, OperatingModelLoader.LoadText(text, path, options));
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // LoadFile below reports why, in the loader's own words.
        }

        return new ModelReading(null, OperatingModelLoader.LoadFile(path, options));
    }

    /// <summary>SHA-256 of the text's UTF-8 bytes, lowercase hex: a model version's identity.</summary>
    public static string Hash(string yaml) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(yaml)));

    /// <summary>What the file holds now, cheaply comparable: its hash, or its size and time when it is too large to read.</summary>
    public static string? Fingerprint(string path, long maxBytes)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return null;
            }

            return info.Length > maxBytes
                ? $"size:{info.Length}:{info.LastWriteTimeUtc.Ticks}"
                : Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
