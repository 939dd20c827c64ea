namespace Throughline.Model;

/// <summary>A tool that sends events to Throughline, at <c>POST /hooks/{Id}</c>.</summary>
/// <param name="Id">The id used in the hook URL.</param>
/// <param name="Kind">Which adapter reads the tool's events.</param>
/// <param name="Secret">The key the tool signs bodies with (HMAC, as that tool does it); null when not given.</param>
/// <param name="Token">A shared token the tool sends (<c>X-Gitlab-Token</c>, <c>Authorization: Bearer</c> or <c>?token=</c>); null when not given.</param>
/// <param name="Labels">
/// Which alert labels name things, as thing → label (<c>service: service</c>, <c>environment: env</c>);
/// empty when not given. Known things: <c>service</c> and <c>environment</c>.
/// </param>
public sealed record Tool(string Id, ToolKind Kind, SecretValue? Secret, SecretValue? Token, IReadOnlyDictionary<string, string> Labels);

/// <summary>Which adapter reads a tool's events: the tool's kind as written in the model (<c>github</c>).</summary>
/// <param name="Name">The kind's name, lowercase: one of the names in the table of tool kinds (<c>Intake/Hooks/ToolKinds.cs</c>).</param>
/// <remarks>The model accepts exactly the kinds that table lists; how each is verified and translated is there too.</remarks>
public sealed record ToolKind(string Name)
{
    /// <summary>The name, as written in the model.</summary>
    public override string ToString() => Name;
}

/// <summary>A secret written <c>${VARIABLE}</c> in the file and read from the environment when the model is loaded.</summary>
/// <param name="VariableName">The environment variable named; null when the file holds a literal value (which is warned about).</param>
/// <param name="Value">The secret; null when the variable is not set or is empty.</param>
public sealed record SecretValue(string? VariableName, string? Value)
{
    /// <summary>The variable name, never the value, so that logs cannot leak the secret.</summary>
    public override string ToString() => VariableName is null ? "(literal secret)" : $"${{{VariableName}}}";
}
