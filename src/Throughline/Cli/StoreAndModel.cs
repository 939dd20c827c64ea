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

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
