using Microsoft.AspNetCore.Authorization;
using Throughline.Access;

namespace Throughline.Web.Auth;

/// <summary>One authorization policy: which roles it admits, and whether anyone may when the server is read-open.</summary>
/// <param name="Name">The policy's name, also how refusals say what was needed (<c>read</c>, <c>ingest</c>, <c>edit</c>, <c>admin</c>).</param>
/// <param name="Admits">The roles it admits.</param>
/// <param name="OpenWhenReadOpen">True for reading: <c>--read-open</c> admits callers without credentials.</param>
internal sealed record RoleRequirement(string Name, Func<Role, bool> Admits, bool OpenWhenReadOpen) : IAuthorizationRequirement
{
    public static readonly RoleRequirement Read = new("read", Roles.CanRead, true);
    public static readonly RoleRequirement Ingest = new("ingest", Roles.CanIngest, false);
    public static readonly RoleRequirement Edit = new("edit", Roles.CanEdit, false);
    public static readonly RoleRequirement Admin = new("admin", role => role == Role.Admin, false);

    public static IReadOnlyList<RoleRequirement> All { get; } = [Read, Ingest, Edit, Admin];

    /// <summary>The roles that may, for refusals: "viewer, editor or admin".</summary>
    public string Needed => string.Join(", ", Enum.GetValues<Role>().Where(Admits).Select(Roles.NameOf));
}

/// <summary>Decides <see cref="RoleRequirement"/>s from the caller's role claim.</summary>
internal sealed class RoleRequirementHandler(AccessSettings settings) : AuthorizationHandler<RoleRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RoleRequirement requirement)
    {
        var caller = Caller.Of(context.User);
        var anonymousAdmitted = requirement.OpenWhenReadOpen && settings.ReadOpen && context.User.Identity?.IsAuthenticated != true;
        if (anonymousAdmitted || (caller.Role is { } role && requirement.Admits(role)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
