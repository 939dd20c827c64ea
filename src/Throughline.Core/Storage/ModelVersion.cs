namespace Throughline.Storage;

/// <summary>One operating model the server put in force, as stored in <c>model_versions</c>.</summary>
/// <param name="Number">The version number: 1 for the first, rising by one, never reused.</param>
/// <param name="Hash">SHA-256 of the model's YAML text (UTF-8), lowercase hex.</param>
/// <param name="EffectiveAt">When it took effect (UTC).</param>
/// <param name="Origin">Where it came from: <c>file PATH</c>, <c>api</c> or <c>signal</c>.</param>
public sealed record ModelVersion(long Number, string Hash, DateTimeOffset EffectiveAt, string Origin);

/// <summary>A stored version with its YAML text, exactly as loaded.</summary>
public sealed record StoredModelVersion(ModelVersion Version, string Yaml);

/// <summary>What recording a model did.</summary>
/// <param name="Version">The version in force: the new one, or the latest when its content was the same.</param>
/// <param name="Added">False when the content equals the latest version's: identical content is not a new version.</param>
public sealed record ModelVersionResult(ModelVersion Version, bool Added);
