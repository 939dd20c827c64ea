using System.CommandLine;
using Throughline.Storage;
using Level = Microsoft.Extensions.Logging.LogLevel;

namespace Throughline.Cli;

/// <summary>Options several verbs share, defined once so their names and help read the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<string?> Database() => new("--db")
    {
        Description = $"SQLite file, or a PostgreSQL connection string (Host=...;Database=...) or postgres:// URI. " +
            $"Default: ${EventStoreFactory.DatabaseVariable}, else {EventStoreFactory.DefaultDatabase} in the current folder.",
        HelpName = "FILE|CONNECTION-STRING",
    };

    public static Option<FileInfo?> Model() => new("--model")
    {
        Description = "The operating model (throughline.yaml) to use.",
        HelpName = "FILE",
    };

    private static readonly string[] LogLevels = Enum.GetNames<Level>();

    /// <summary><c>--log-level</c> of <c>serve</c> and <c>demo</c>: what the server logs; what the command itself prints is not affected.</summary>
    public static Option<Level> LogLevel() => new("--log-level")
    {
        Description = $"What the server logs: {string.Join(", ", LogLevels)}. Default {Web.ThroughlineApp.DefaultLogLevel}: start-up facts, " +
            "refused webhook deliveries and problems, no line per request. Debug adds one line per request; Trace adds ASP.NET Core's own detail.",
        HelpName = "LEVEL",
        DefaultValueFactory = _ => Web.ThroughlineApp.DefaultLogLevel,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            var known = LogLevels.FirstOrDefault(name => name.Equals(text, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                result.AddError($"--log-level '{text}' is not a level (expected one of: {string.Join(", ", LogLevels)}).");
                return Web.ThroughlineApp.DefaultLogLevel;
            }

            return Enum.Parse<Level>(known);
        },
    };
}
