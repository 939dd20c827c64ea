namespace Throughline.Model;

/// <summary>A person, with the logins that let events from tools be attributed to their team.</summary>
/// <param name="Id">The person's id in the model.</param>
/// <param name="Team">The id of the team the person belongs to.</param>
/// <param name="Identities">The person's logins in tools.</param>
public sealed record Person(string Id, string Team, IReadOnlyList<ToolIdentity> Identities);

/// <summary>A login in a tool, written <c>tool:login</c> in the file.</summary>
/// <param name="Tool">A tool id (<c>actions</c>) or a tool kind (<c>github</c>), which then matches every tool of that kind.</param>
/// <param name="Login">The login as the tool reports it.</param>
public sealed record ToolIdentity(string Tool, string Login);
