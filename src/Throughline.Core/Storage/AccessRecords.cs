namespace Throughline.Storage;

/// <summary>One API token as stored in <c>tokens</c>: everything but its secret, which is kept only as a hash.</summary>
/// <param name="Id">The token's public prefix (<c>tl_</c> and 8 characters): how people recognise it in lists and the audit log.</param>
/// <param name="Name">What it is for, as its creator named it.</param>
/// <param name="Role">The role it grants: <c>viewer</c>, <c>ingest</c>, <c>editor</c> or <c>admin</c>.</param>
/// <param name="Sources">For an <c>ingest</c> token, the CloudEvents source prefixes it may write; empty otherwise.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="CreatedBy">Who created it: a token prefix, a signed-in person, <c>cli</c> or <c>first start</c>.</param>
/// <param name="ExpiresAt">When it stops working, or null for never.</param>
/// <param name="RevokedAt">When it was revoked, or null while it is not.</param>
public sealed record StoredToken(
    string Id, string Name, string Role, IReadOnlyList<string> Sources, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt);

/// <summary>A stored token with the SHA-256 hash of its secret, for checking a presented token.</summary>
public sealed record StoredTokenHash(StoredToken Token, byte[] Hash);

/// <summary>One line of the audit log, as written: it is never changed or removed afterwards.</summary>
/// <param name="At">When it happened (UTC).</param>
/// <param name="Actor">Who acted: a token prefix with its name, a signed-in person, <c>anonymous</c>, <c>cli</c>.</param>
/// <param name="Action">What kind of thing happened, for example <c>token.created</c> or <c>request.refused</c>.</param>
/// <param name="What">The thing acted on, in words: a token, a path, a model version.</param>
/// <param name="From">Where from: the caller's address, or <c>cli</c>.</param>
/// <param name="Outcome">How it ended: <c>done</c>, or why it was refused.</param>
public sealed record AuditDraft(DateTimeOffset At, string Actor, string Action, string What, string From, string Outcome);

/// <summary>A stored audit line with its sequence number (rising, never reused).</summary>
public sealed record AuditEntry(long Sequence, AuditDraft Entry);
