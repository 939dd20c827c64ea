using System.CommandLine;
using Throughline.Storage;

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
}
