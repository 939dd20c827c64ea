namespace Throughline.Model;

/// <summary>A person, with the logins that let events from tools be attributed to their team.</summary>
/// <param name="Id">The person's id in the model.</param>
/// <param name="Team">The id of the team the person belongs to.</param>
/// <param name="Identities">The person's logins in tools.</param>
public sealed record Person(string Id, string Team, IReadOnlyList<ToolIdentity> Identities)
{
    /// <summary>The identity "tool" of the sign-in provider: <c>sso:ana@example.com</c> is the person who signs in to the UI as
    /// <c>ana@example.com</c> (the provider's <c>email</c> or <c>preferred_username</c> claim).</summary>
    public const string SignInTool = "sso";
}

/// <summary>A login in a tool, written <c>tool:login</c> in the file.</summary>
/// <param name="Tool">A tool id (<c>actions</c>), a tool kind (<c>github</c>), which then matches every tool of that kind, or
/// <see cref="Person.SignInTool"/> for the UI's sign-in.</param>
/// <param name="Login">The login as the tool reports it.</param>
public sealed record ToolIdentity(string Tool, string Login);
