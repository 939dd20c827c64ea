namespace Throughline.Access;

/// <summary>What a caller may do. Each role is one row of docs/security.md's table.</summary>
public enum Role
{
    /// <summary>Pages and read APIs.</summary>
    Viewer,

    /// <summary><c>POST /api/events</c>, only for events whose source starts with one of the token's prefixes; nothing else.</summary>
    Ingest,

    /// <summary>What a viewer may, and reload the model (later: release actions for the services whose responsibilities the person holds).</summary>
    Editor,

    /// <summary>Everything: tokens, the audit log, any source.</summary>
    Admin,
}

/// <summary>Roles by name, and what each grants.</summary>
public static class Roles
{
    /// <summary>The names, as the command line, the API and the audit log write them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<Role>().Select(NameOf)];

    public static string NameOf(Role role) => role.ToString().ToLowerInvariant();

    /// <summary>The role named <paramref name="name"/> (case ignored), or null.</summary>
    public static Role? Parse(string name) =>
        Enum.GetValues<Role>().Select(r => (Role?)r).FirstOrDefault(r => string.Equals(NameOf(r!.Value), name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether <paramref name="role"/> may read pages and read APIs.</summary>
    public static bool CanRead(Role role) => role is Role.Viewer or Role.Editor or Role.Admin;

    /// <summary>Whether <paramref name="role"/> may post events (an ingest token only within its sources).</summary>
    public static bool CanIngest(Role role) => role is Role.Ingest or Role.Admin;

    /// <summary>Whether <paramref name="role"/> may change the model in force.</summary>
    public static bool CanEdit(Role role) => role is Role.Editor or Role.Admin;
}
