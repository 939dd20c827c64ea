using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http.HttpResults;
using Throughline.Web.Pages;

namespace Throughline.Web.Auth;

/// <summary>How a refused request is answered: an API gets problem details, a page a sign-in or refusal page; each one is audited.</summary>
internal sealed class Refusals(AuditTrail audit) : IAuthorizationMiddlewareResultHandler
{
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded)
        {
            await next(context);
            return;
        }

        var caller = Caller.Of(context.User);
        var need = policy.Requirements.OfType<RoleRequirement>().FirstOrDefault() ?? RoleRequirement.Admin;
        if (context.User.Identity?.IsAuthenticated != true)
        {
            await audit.RefusedAsync(context, caller.Actor, "no credentials");
            if (WantsPage(context.Request))
            {
                context.Response.Redirect(SignInEndpoints.SignInPath(context.Request));
                return;
            }

            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"throughline\"";
            await AccessProblems.SignInNeeded(need).ExecuteAsync(context);
            return;
        }

        var reason = $"role {caller.RoleName} may not {need.Name} (needs {need.Needed})";
        await audit.RefusedAsync(context, caller.Actor, reason);
        if (WantsPage(context.Request))
        {
            await new RazorComponentResult<RefusedPage>(new Dictionary<string, object?>
            {
                [nameof(RefusedPage.Caller)] = caller,
                [nameof(RefusedPage.Needed)] = need.Needed,
            })
            { StatusCode = StatusCodes.Status403Forbidden }.ExecuteAsync(context);
            return;
        }

        await AccessProblems.Forbidden(caller, need).ExecuteAsync(context);
    }

    /// <summary>A browser asking for a page (not the API, not Prometheus): it gets pages, not problem details.</summary>
    public static bool WantsPage(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && !request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments("/metrics")
        && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The problem details of refused requests: what was needed, never anything about the data.</summary>
internal static class AccessProblems
{
    public static IResult SignInNeeded(RoleRequirement need) => TypedResults.Problem(
        title: "Sign-in needed.",
        detail: $"This needs a token with the role {need.Needed.Replace(", ", " or ", StringComparison.Ordinal)}: send it as 'Authorization: Bearer tl_...' " +
            "(an admin makes one with 'throughline token create').",
        statusCode: StatusCodes.Status401Unauthorized,
        type: "urn:throughline:problem:unauthenticated");

    public static IResult BadCredentials(string reason) => TypedResults.Problem(
        title: "The credentials were refused.",
        detail: $"{Capitalised(reason)}. Ask an admin for a token ('throughline token create').",
        statusCode: StatusCodes.Status401Unauthorized,
        type: "urn:throughline:problem:bad-credentials");

    public static IResult Forbidden(Caller caller, RoleRequirement need) => TypedResults.Problem(
        title: "Not allowed for this role.",
        detail: $"{caller.Name} holds the role {caller.RoleName}; this needs {need.Needed.Replace(", ", " or ", StringComparison.Ordinal)}.",
        statusCode: StatusCodes.Status403Forbidden,
        type: "urn:throughline:problem:forbidden");

    public static IResult SourceForbidden(Caller caller, string source) => TypedResults.Problem(
        title: "Not allowed for this source.",
        detail: $"Token {caller.TokenId} ({caller.Name}) may write events only from sources under {string.Join(", ", caller.Sources)}; " +
            $"this request holds an event from '{source}'. Nothing was stored.",
        statusCode: StatusCodes.Status403Forbidden,
        type: "urn:throughline:problem:source-forbidden");

    public static IResult CredentialsNeedAdmin(Caller caller, string what) => TypedResults.Problem(
        title: "Only an admin may change tools' credentials; the running model stays.",
        detail: $"{caller.Name} holds the role {caller.RoleName}. The new model changes: {what}. Ask an admin to load it, or keep those lines as they are.",
        statusCode: StatusCodes.Status403Forbidden,
        type: "urn:throughline:problem:forbidden");

    public static IResult TooManyFailures(TimeSpan retryAfter) => TypedResults.Problem(
        title: "Too many refused credentials.",
        detail: $"This address sent too many refused credentials; wait {retryAfter.TotalSeconds:N0} s.",
        statusCode: StatusCodes.Status429TooManyRequests,
        type: "urn:throughline:problem:too-many-failures");

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
