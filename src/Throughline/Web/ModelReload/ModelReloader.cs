using Throughline.Model;
using Throughline.Access;
using Throughline.Storage;
using Throughline.Web.Auth;

namespace Throughline.Web.ModelReload;

/// <summary>What a reload did.</summary>
internal enum ReloadVerdict
{
    /// <summary>The new model is in force.</summary>
    Applied,

    /// <summary>The text is the model in force already: nothing changed.</summary>
    Unchanged,

    /// <summary>The model does not validate: the one in force stays.</summary>
    Refused,
}

/// <summary>The verdict, the pair in force afterwards, and the new model's problems (the errors when refused).</summary>
/// <summary>Who asked for a reload and from where, as the audit log records it.</summary>
internal sealed record AuditNote(string Actor, string From);

internal sealed record ReloadOutcome(ReloadVerdict Verdict, ModelState State, IReadOnlyList<ModelProblem> Problems);

/// <summary>Loads a new model, validated as at start-up, and swaps it in with a timeline already derived from it.</summary>
/// <remarks>
/// One reload at a time. The new timeline is read from the whole store while the previous pair keeps answering; the swap is
/// one reference, so a request sees the old model with the old timeline or the new model with the new one, never a mix.
/// Events stored during the reload are read by the new projection (it tails the store from the start) before or after the swap.
/// Each model put in force is recorded in the store as a version (<see cref="IEventStore.RecordModelVersionAsync"/>).
/// </remarks>
internal sealed partial class ModelReloader(
    ModelInForce models, ModelSource source, IEventStore store, TimeProvider time, AuditTrail audit, ILogger<ModelReloader> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The size limit of a model, for request bodies as for files.</summary>
    public long MaxBytes => source.Options.MaxFileBytes;

    /// <summary>Reloads from YAML text (<c>PUT /api/model</c>); problems name <paramref name="name"/>. <paramref name="by"/> is who
    /// asked and from where, for the audit log; null when nobody did (following another node's version).</summary>
    public Task<ReloadOutcome> ReloadTextAsync(string yaml, string name, string origin, AuditNote? by, CancellationToken cancellationToken) =>
        ApplyAsync(new ModelReading(yaml, OperatingModelLoader.LoadText(yaml, name, source.Options)), origin, by, cancellationToken);

    /// <summary>Reads YAML text as a reload would (the same options), without putting it in force.</summary>
    public ModelLoadResult Read(string yaml, string name) => OperatingModelLoader.LoadText(yaml, name, source.Options);

    /// <summary>Reloads the model file (a change seen, or SIGHUP).</summary>
    public Task<ReloadOutcome> ReloadFileAsync(string path, string origin, CancellationToken cancellationToken) =>
        ApplyAsync(ModelSource.ReadFile(path, source.Options), origin, new AuditNote("server", "local"), cancellationToken);

    private async Task<ReloadOutcome> ApplyAsync(ModelReading reading, string origin, AuditNote? by, CancellationToken cancellationToken)
    {
        var outcome = await SwapAsync(reading, origin, cancellationToken);
        if (by is not null && outcome.Verdict != ReloadVerdict.Unchanged)
        {
            var applied = outcome.Verdict == ReloadVerdict.Applied;
            await audit.RecordAsync(by.Actor, applied ? AuditActions.ModelReloaded : AuditActions.ModelRefused,
                applied ? $"operating model {outcome.State.Hash?[..12]} ({origin})" : $"operating model ({origin})", by.From,
                applied ? AuditActions.Done : $"{outcome.Problems.Count} errors, the running model stays", cancellationToken);
        }

        return outcome;
    }

    private async Task<ReloadOutcome> SwapAsync(ModelReading reading, string origin, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var current = models.Current;
            if (!reading.Result.IsValid || reading.Yaml is null)
            {
                var errors = reading.Result.Problems.Where(p => p.Severity == ProblemSeverity.Error).ToList();
                models.Refuse(new ModelRefusal(time.GetUtcNow(), origin, errors));
                Log.Refused(logger, origin, errors.Count, string.Join("; ", errors.Take(3)));
                return new ReloadOutcome(ReloadVerdict.Refused, current, errors);
            }

            var hash = ModelSource.Hash(reading.Yaml);
            if (hash == current.Hash)
            {
                models.ClearRefusal();
                return new ReloadOutcome(ReloadVerdict.Unchanged, current, reading.Result.Problems);
            }

            var started = time.GetTimestamp();
            var projection = models.Project(reading.Result.Model);
            await projection.CatchUpAsync(cancellationToken);
            var next = new ModelState(reading.Result.Model, reading.Result.Problems, projection, reading.Yaml, hash, origin);
            // Stored before the swap: another node polling the versions sees the new one as soon as this node could answer with it.
            await store.RecordModelVersionAsync(reading.Yaml, hash, time.GetUtcNow(), origin, cancellationToken);
            models.Swap(next);
            Log.Applied(logger, origin, hash[..12], projection.Current.Changes.Count, time.GetElapsedTime(started).TotalMilliseconds);
            return new ReloadOutcome(ReloadVerdict.Applied, next, reading.Result.Problems);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Operating model reloaded ({Origin}), version {Hash}: timeline of {Changes} changes derived in {Milliseconds:F0} ms")]
        public static partial void Applied(ILogger logger, string origin, string hash, int changes, double milliseconds);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Operating model refused ({Origin}), the running one stays: {Count} errors: {Errors}")]
        public static partial void Refused(ILogger logger, string origin, int count, string errors);
    }
}
