using System.CommandLine;
using System.Globalization;
using Throughline.Access;
using Throughline.Model;
using Throughline.Storage;

namespace Throughline.Cli;

/// <summary><c>token create|list|revoke</c>: API tokens, written straight to the database (whoever can open it is an admin).</summary>
internal static class TokenCommand
{
    public static Command Create(Console console) =>
        new("token", "Make, list and revoke API tokens (docs/security.md). A token is printed once, at creation, and stored only as a hash.")
        {
            CreateVerb(console), ListVerb(console), RevokeVerb(console),
        };

    private static Command CreateVerb(Console console)
    {
        var database = CommonOptions.Database();
        var role = new Option<string>("--role")
        {
            Description = $"What it may do: {string.Join(", ", Roles.Names)} (docs/security.md has the table).",
            Required = true,
            HelpName = "ROLE",
        };
        role.AcceptOnlyFromAmong([.. Roles.Names]);
        var sources = new Option<string[]>("--source")
        {
            Description = "For an ingest token: a CloudEvents source prefix it may write, such as /argocd (repeat for more; matched from the start, up to a '/').",
            HelpName = "PREFIX",
        };
        var expires = new Option<string?>("--expires") { Description = $"Stop working after this long ({Durations.Expected}); default: never.", HelpName = "DURATION" };
        var name = new Option<string?>("--name") { Description = "What it is for, shown in lists and the audit log.", HelpName = "NAME" };
        var command = new Command("create", "Make a token and print it once.") { database, role, sources, expires, name };
        command.SetAction((parsed, cancellationToken) => CreateAsync(
            console, EventStoreFactory.Resolve(parsed.GetValue(database)), Roles.Parse(parsed.GetValue(role)!)!.Value, parsed.GetValue(sources) ?? [],
            parsed.GetValue(expires), parsed.GetValue(name), cancellationToken));
        return command;
    }

    private static async Task<int> CreateAsync(
        Console console, string database, Role role, string[] sources, string? expires, string? name, CancellationToken cancellationToken)
    {
        if (Refusal(role, sources, expires) is { } problem)
        {
            await console.Error.WriteLineAsync($"throughline token create: {problem}");
            return ExitCodes.InvalidInput;
        }

        await using var opened = await StoreAndModel.OpenAsync(console, database, null, cancellationToken);
        if (opened is not { Store: var store })
        {
            return ExitCodes.InvalidInput;
        }

        var label = string.IsNullOrWhiteSpace(name) ? $"{Roles.NameOf(role)} token" : name.Trim();
        var issued = await ApiTokens.CreateAsync(
            store, role, sources, label, "cli", TimeProvider.System.GetUtcNow(), expires is null ? null : Durations.Parse(expires), onlyIfFirst: false, cancellationToken);
        await store.AppendAuditAsync(new AuditDraft(TimeProvider.System.GetUtcNow(), "cli", AuditActions.TokenCreated, Describe(issued!.Token), "cli", AuditActions.Done), cancellationToken);
        await console.Output.WriteLineAsync(issued.Secret);
        await console.Error.WriteLineAsync($"Created {Describe(issued.Token)}. The token above is shown once: send it as 'Authorization: Bearer TOKEN'.");
        return ExitCodes.Success;
    }

    /// <summary>Why these options cannot make a token, or null.</summary>
    private static string? Refusal(Role role, string[] sources, string? expires)
    {
        if (role == Role.Ingest && sources.Length == 0)
        {
            return "an ingest token needs at least one --source PREFIX (such as --source /argocd); an admin token may write any source.";
        }

        if (role != Role.Ingest && sources.Length > 0)
        {
            return $"--source limits only ingest tokens; a {Roles.NameOf(role)} token does not post events (use --role ingest).";
        }

        if (sources.Select(SourcePrefixes.Problem).FirstOrDefault(p => p is not null) is { } problem)
        {
            return problem + ".";
        }

        return expires is not null && Durations.Parse(expires) is null ? $"--expires '{expires}' is not a duration (expected {Durations.Expected})." : null;
    }

    private static Command ListVerb(Console console)
    {
        var database = CommonOptions.Database();
        var command = new Command("list", "Every token with its role, sources, expiry and whether it is revoked (never the secret).") { database };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var path = EventStoreFactory.Resolve(parsed.GetValue(database));
            await using var opened = await StoreAndModel.OpenAsync(console, path, null, cancellationToken);
            if (opened is not { Store: var store })
            {
                return ExitCodes.InvalidInput;
            }

            var tokens = await store.ListTokensAsync(cancellationToken);
            var now = TimeProvider.System.GetUtcNow();
            await console.Output.WriteLineAsync($"{"ID",-12} {"ROLE",-7} {"STATE",-8} {"CREATED",-17} {"EXPIRES",-17} {"NAME",-20} SOURCES");
            foreach (var token in tokens)
            {
                var state = token.RevokedAt is not null ? "revoked" : token.ExpiresAt <= now ? "expired" : "active";
                await console.Output.WriteLineAsync(
                    $"{token.Id,-12} {token.Role,-7} {state,-8} {Time(token.CreatedAt),-17} {(token.ExpiresAt is { } e ? Time(e) : "never"),-17} {token.Name,-20} {string.Join(" ", token.Sources)}");
            }

            await console.Error.WriteLineAsync($"{tokens.Count} tokens, {tokens.Count(t => t.RevokedAt is null && !(t.ExpiresAt <= now))} active.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command RevokeVerb(Console console)
    {
        var database = CommonOptions.Database();
        var id = new Argument<string>("ID") { Description = "The token's id as 'token list' shows it (tl_ and 8 characters), or the whole token." };
        var command = new Command("revoke", "Stop a token working (at once on this database; a running server notices within 5 s).") { database, id };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var given = parsed.GetValue(id)!.Trim();
            var tokenId = ApiTokens.IdOf(given) ?? given;
            var path = EventStoreFactory.Resolve(parsed.GetValue(database));
            await using var opened = await StoreAndModel.OpenAsync(console, path, null, cancellationToken);
            if (opened is not { Store: var store })
            {
                return ExitCodes.InvalidInput;
            }

            var found = await store.FindTokenAsync(tokenId, cancellationToken);
            if (found is null)
            {
                await console.Error.WriteLineAsync($"throughline token revoke: no token {tokenId} (see 'throughline token list').");
                return ExitCodes.InvalidInput;
            }

            if (!await store.RevokeTokenAsync(tokenId, TimeProvider.System.GetUtcNow(), cancellationToken))
            {
                await console.Error.WriteLineAsync($"throughline token revoke: {tokenId} was already revoked at {Time(found.Token.RevokedAt!.Value)}.");
                return ExitCodes.Success;
            }

            await store.AppendAuditAsync(new AuditDraft(TimeProvider.System.GetUtcNow(), "cli", AuditActions.TokenRevoked, Describe(found.Token), "cli", AuditActions.Done), cancellationToken);
            await console.Output.WriteLineAsync($"Revoked {Describe(found.Token)}.");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>How a token is named in messages and the audit log: id, role, name, sources, expiry; never the secret.</summary>
    public static string Describe(StoredToken token) =>
        $"token {token.Id} ({token.Role}, '{token.Name}'{(token.Sources.Count > 0 ? ", sources " + string.Join(" ", token.Sources) : "")}" +
        $"{(token.ExpiresAt is { } expires ? ", expires " + Time(expires) : "")})";

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
