using System.CommandLine;
using Throughline.Intake.Hooks;
using Throughline.Model;
using Throughline.Storage;

namespace Throughline.Cli;

internal static class ReplayCommand
{
    private const int PageSize = 500;

    public static Command Create(Console console)
    {
        var database = CommonOptions.Database();
        var model = CommonOptions.Model();
        var command = new Command("replay",
            "Translate every stored webhook delivery again with the current adapters; a delivery whose translation changed gets the new events in place of the old. Idempotent.")
        {
            database, model,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(
            console, EventStoreFactory.Resolve(parsed.GetValue(database)), parsed.GetValue(model), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(Console console, string database, FileInfo? modelFile, CancellationToken cancellationToken)
    {
        await using var opened = await StoreAndModel.OpenAsync(console, database, modelFile, cancellationToken);
        if (opened is null)
        {
            return ExitCodes.InvalidInput;
        }

        var (store, model) = (opened.Store, opened.Model);
        long seen = 0, changed = 0, unmapped = 0;
        var after = 0L;
        while (await store.ListDeliveriesAsync(after, PageSize, cancellationToken) is { Count: > 0 } page)
        {
            foreach (var stored in page)
            {
                var translation = HookTranslator.Translate(HookReceiver.ToMessage(ToolOf(model, stored.Delivery), model, stored.Delivery));
                if (await store.ReplaceTranslationAsync(stored, translation.Events, cancellationToken))
                {
                    changed++;
                }

                unmapped += translation.IsMapped ? 0 : 1;
                seen++;
            }

            after = page[^1].Sequence;
        }

        await console.Output.WriteLineAsync(
            $"Replayed {seen:N0} deliveries from {store.Provider} {store.Description}: {changed:N0} re-translated, {seen - changed:N0} unchanged, {unmapped:N0} unmapped.");
        return ExitCodes.Success;
    }

    /// <summary>The tool as the model declares it now, else rebuilt from the kind stored with the delivery.</summary>
    private static Tool ToolOf(OperatingModel? model, DeliveryDraft delivery) =>
        model?.Tools.FirstOrDefault(t => t.Id == delivery.ToolId)
        ?? new Tool(delivery.ToolId, new ToolKind(delivery.Kind.ToLowerInvariant()), null, null, new Dictionary<string, string>());
}
