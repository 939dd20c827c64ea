using System.CommandLine;

namespace Throughline.Cli;

/// <summary>The <c>throughline</c> command: one verb per file in this folder.</summary>
internal static class CommandLine
{
    public static RootCommand Create(Console console) => new RootCommand("Throughline: your delivery operating model as code, measured from the events your tools already emit.")
    {
        DemoCommand.Create(console),
        ServeCommand.Create(console),
        ValidateCommand.Create(console),
        IngestCommand.Create(console),
        ImportCommand.Create(console),
        EmitCommand.Create(console),
        RollbackCommand.Create(console),
        SimulateCommand.Create(console),
        ReplayCommand.Create(console),
        RebuildCommand.Create(console),
        ReportCommand.Create(console),
        DiagnoseCommand.Create(console),
        DocsCommand.Create(console),
        TokenCommand.Create(console),
        AuditCommand.Create(console),
        ProbeCommand.Create(console),
    }.Named();

    // Help shows "throughline", whatever the host process is called (dotnet, a test runner).
    private static RootCommand Named(this RootCommand root)
    {
        root.HelpName = "throughline";
        return root;
    }

    /// <summary>How long a verb may take to stop after Ctrl+C or SIGTERM before the process ends anyway.</summary>
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string[] args, Console console, CancellationToken cancellationToken = default)
    {
        var root = Create(console);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await console.Error.WriteLineAsync($"throughline: {error.Message}");
            }

            await console.Error.WriteLineAsync($"Run '{CommandPath(parsed)} --help' for usage.");
            return ExitCodes.Usage;
        }

        // On Ctrl+C or SIGTERM the command's token is cancelled and the verb shuts down in order (demo removes its folder);
        // System.CommandLine would otherwise end the process after 2 s, mid-shutdown on a busy machine.
        var configuration = new InvocationConfiguration { Output = console.Output, Error = console.Error, ProcessTerminationTimeout = ShutdownGrace };
        return await parsed.InvokeAsync(configuration, cancellationToken);
    }

    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Command is RootCommand ? "throughline" : result.Command.Name);
        }

        return string.Join(' ', names);
    }
}

/// <summary>Where a command writes: the process's streams, or a test's.</summary>
internal sealed record Console(TextWriter Output, TextWriter Error)
{
    public static Console System { get; } = new(global::System.Console.Out, global::System.Console.Error);
}
