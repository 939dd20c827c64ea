using Throughline.Model;
using Throughline.Storage;

namespace Throughline.Cli;

/// <summary>What verbs that work on stored events under a model open first: the optional model, then the database.</summary>
internal sealed record StoreAndModel(IEventStore Store, OperatingModel? Model) : IAsyncDisposable
{
    /// <summary>Both opened, or null after printing why not (a bad model, a database that cannot be opened).</summary>
    /// <remarks>These verbs never use a secret: the model's <c>${VAR}</c> references are not looked up, nor warned about.</remarks>
    public static async Task<StoreAndModel?> OpenAsync(Console console, string database, FileInfo? modelFile, CancellationToken cancellationToken)
    {
        OperatingModel? model = null;
        if (modelFile is not null && (model = await ModelOutput.LoadAsync(console, modelFile.FullName, SecretUse.Unused)) is null)
        {
            return null;
        }

        var store = await DatabaseErrors.TryAsync(console, database, () => EventStoreFactory.OpenAsync(database, cancellationToken));
        return store is null ? null : new StoreAndModel(store, model);
    }

    /// <summary>
    /// Both opened, the model required: the file given, else the model version a server last put in force in the database (servers
    /// record every model they serve). Null after printing why not.
    /// </summary>
    public static async Task<StoreAndModel?> OpenWithModelAsync(Console console, string verb, string database, FileInfo? modelFile, CancellationToken cancellationToken)
    {
        var opened = await OpenAsync(console, database, modelFile, cancellationToken);
        if (opened is null || opened.Model is not null)
        {
            return opened;
        }

        if (await opened.Store.LatestModelVersionAsync(cancellationToken) is { } latest
            && await opened.Store.FindModelVersionAsync(latest.Number, cancellationToken) is { } stored
            && await ModelOutput.LoadTextAsync(console, stored.Yaml, $"model version {latest.Number} in {opened.Store.Description}", SecretUse.Unused) is { } model)
        {
            await console.Error.WriteLineAsync($"throughline {verb}: using model version {latest.Number} ({latest.Origin}, {latest.EffectiveAt:yyyy-MM-dd HH:mm} UTC), the last one a server put in force; --model FILE uses another");
            return opened with { Model = model };
        }

        await console.Error.WriteLineAsync($"throughline {verb}: no --model given, and {opened.Store.Description} holds no model version a server put in force: give --model throughline.yaml");
        await opened.DisposeAsync();
        return null;
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
