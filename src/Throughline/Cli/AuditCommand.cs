using System.CommandLine;
using System.Globalization;
using Throughline.Storage;

namespace Throughline.Cli;

/// <summary><c>audit</c>: the audit log, newest first.</summary>
internal static class AuditCommand
{
    public static Command Create(Console console)
    {
        var database = CommonOptions.Database();
        var limit = new Option<int>("--limit") { Description = "How many lines, newest first (default 50).", HelpName = "N", DefaultValueFactory = _ => 50 };
        var command = new Command("audit", "Print the audit log: tokens created and revoked, sign-ins, refused requests, model reloads.") { database, limit };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var count = parsed.GetValue(limit);
            if (count < 1)
            {
                await console.Error.WriteLineAsync("throughline audit: --limit must be 1 or more.");
                return ExitCodes.InvalidInput;
            }

            var path = EventStoreFactory.Resolve(parsed.GetValue(database));
            await using var opened = await StoreAndModel.OpenAsync(console, path, null, cancellationToken);
            if (opened is not { Store: var store })
            {
                return ExitCodes.InvalidInput;
            }

            var entries = await store.ListAuditAsync(long.MaxValue, count, cancellationToken);
            foreach (var (sequence, entry) in entries)
            {
                await console.Output.WriteLineAsync(string.Join('\t',
                    sequence.ToString(CultureInfo.InvariantCulture), entry.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    entry.Actor, entry.Action, entry.What, entry.From, entry.Outcome));
            }

            await console.Error.WriteLineAsync(entries.Count == 0 ? "The audit log is empty." : $"{entries.Count} lines, newest first.");
            return ExitCodes.Success;
        });
        return command;
    }
}
