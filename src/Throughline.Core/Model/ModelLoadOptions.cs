namespace Throughline.Model;

/// <summary>How an operating model file is read: where secrets come from, how strict to be, and the limits that keep hostile input cheap.</summary>
public sealed record ModelLoadOptions
{
    /// <summary>Looks up the environment variables that <c>${VAR}</c> secret values name; the process environment by default.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>
    /// True when the secrets must be usable (<c>serve</c>): an unset <c>${VAR}</c> is an error.
    /// False (<c>validate</c>): it is only a warning.
    /// </summary>
    public bool RequireSecrets { get; init; }

    /// <summary>
    /// The tool kinds the host can receive: the names in Intake's table of tool kinds (<c>Intake/Hooks/ToolKinds.cs</c>),
    /// which the host passes in because the model is read before intake and may not use it. A <c>kind</c> not among them is
    /// an error with a suggestion. Null (a model loaded by a library caller or a test without a host) accepts any name.
    /// </summary>
    public IReadOnlyList<string>? ToolKinds { get; init; }

    /// <summary>
    /// Per tool kind, the events (<c>subject.predicate</c>) its tools can send, as Intake's table of tool kinds says; a
    /// kind mapped to null (<c>cdevents</c>) or missing can send any. A stage whose <c>tool</c> can never send its
    /// <c>starts</c> or <c>ends</c> event is a warning. Null (no host) checks nothing.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>?>? ToolKindEvents { get; init; }

    /// <summary>
    /// False for verbs that never use a secret (<c>ingest</c>, <c>replay</c>, <c>rebuild</c>, <c>report</c>): no
    /// <c>${VAR}</c> is looked up, so nothing is said about unset variables or literal secrets, and every
    /// <see cref="SecretValue.Value"/> is null. A malformed reference (<c>pre-${VAR}</c>) is still an error.
    /// </summary>
    public bool ReadSecrets { get; init; } = true;

    /// <summary>The largest file accepted, in bytes (UTF-8); larger files are refused before they are read.</summary>
    public long MaxFileBytes { get; init; } = 1024 * 1024;

    /// <summary>The most YAML nodes accepted, counting each alias as the nodes it stands for.</summary>
    public int MaxNodes { get; init; } = 100_000;

    /// <summary>The deepest nesting of lists and mappings accepted (the top-level mapping is depth 1).</summary>
    public int MaxDepth { get; init; } = 64;
}
