using Throughline.Access;
using Throughline.Storage;
using Throughline.Tests.Support;

namespace Throughline.Tests.Storage;

/// <summary>Tokens and the audit log in the store, on both engines.</summary>
public sealed class AccessStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Create_ThenCheck_ValidUntilRevokedOrExpired(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var store = await database.OpenStoreAsync();

        var viewer = await ApiTokens.CreateAsync(store, Role.Viewer, [], "wall display", "cli", Now, null, false, Cancel);
        var ingest = await ApiTokens.CreateAsync(store, Role.Ingest, ["/argocd", "/jenkins/"], "ci", "cli", Now, TimeSpan.FromDays(90), false, Cancel);

        Assert.Matches("^tl_[a-z2-9]{8}_[A-Za-z0-9_-]{43}$", viewer!.Secret);
        Assert.Equal(TokenStatus.Valid, (await ApiTokens.CheckAsync(store, viewer.Secret, Now, Cancel)).Status);
        var check = await ApiTokens.CheckAsync(store, ingest!.Secret, Now.AddDays(89), Cancel);
        Assert.Equal(TokenStatus.Valid, check.Status);
        Assert.Equal(["/argocd", "/jenkins/"], check.Token!.Sources);
        Assert.Equal(Now.AddDays(90), check.Token.ExpiresAt);
        Assert.Equal(TokenStatus.Expired, (await ApiTokens.CheckAsync(store, ingest.Secret, Now.AddDays(90), Cancel)).Status);

        Assert.True(await store.RevokeTokenAsync(viewer.Token.Id, Now.AddHours(1), Cancel));
        Assert.False(await store.RevokeTokenAsync(viewer.Token.Id, Now.AddHours(2), Cancel));
        var revoked = await ApiTokens.CheckAsync(store, viewer.Secret, Now.AddHours(3), Cancel);
        Assert.Equal(TokenStatus.Revoked, revoked.Status);
        Assert.Equal(Now.AddHours(1), revoked.Token!.RevokedAt);
        Assert.Equal(new[] { viewer.Token.Id, ingest.Token.Id }.Order(StringComparer.Ordinal), (await store.ListTokensAsync(Cancel)).Select(t => t.Id).Order(StringComparer.Ordinal));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Check_TamperedOrForeignTokens_NeverValid(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var store = await database.OpenStoreAsync();
        var token = await ApiTokens.CreateAsync(store, Role.Admin, [], "admin", "cli", Now, null, false, Cancel);
        var secret = token!.Secret;
        var tampered = secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A');

        Assert.Equal(TokenStatus.Unknown, (await ApiTokens.CheckAsync(store, tampered, Now, Cancel)).Status);
        Assert.Equal(TokenStatus.Unknown, (await ApiTokens.CheckAsync(store, token.Token.Id + "_" + new string('x', 43), Now, Cancel)).Status);
        Assert.Equal(TokenStatus.Unknown, (await ApiTokens.CheckAsync(store, "tl_abcdefgh_" + secret[12..], Now, Cancel)).Status);
        Assert.Equal(TokenStatus.Malformed, (await ApiTokens.CheckAsync(store, "ghp_not-ours", Now, Cancel)).Status);
        Assert.Equal(TokenStatus.Malformed, (await ApiTokens.CheckAsync(store, token.Token.Id, Now, Cancel)).Status);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Database_HoldsNoTokenInClear(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var secrets = new List<string>();
        await using (var store = await database.OpenStoreAsync())
        {
            foreach (var role in Enum.GetValues<Role>())
            {
                var issued = await ApiTokens.CreateAsync(store, role, role == Role.Ingest ? ["/argocd"] : [], $"{role}", "cli", Now, null, false, Cancel);
                secrets.Add(issued!.Secret);
            }
        }

        var everything = await database.EverythingStoredAsync();

        foreach (var secret in secrets)
        {
            var secretPart = secret[12..]; // after tl_XXXXXXXX_: the part that opens the door
            Assert.DoesNotContain(everything, value => value.Contains(secretPart, StringComparison.Ordinal));
            Assert.Contains(everything, value => value == secret[..11]); // the public id is there, to name it
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task FirstToken_OnlyOnADatabaseThatNeverHeldOne(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var store = await database.OpenStoreAsync();

        var first = await ApiTokens.CreateAsync(store, Role.Admin, [], "first admin", "first start", Now, null, onlyIfFirst: true, Cancel);
        await store.RevokeTokenAsync(first!.Token.Id, Now, Cancel);
        var second = await ApiTokens.CreateAsync(store, Role.Admin, [], "first admin", "first start", Now, null, onlyIfFirst: true, Cancel);

        Assert.Null(second); // a revoked token still counts: a restart must never mint a new admin token
        Assert.Single(await store.ListTokensAsync(Cancel));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Audit_AppendedNewestFirstAndPaged(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var store = await database.OpenStoreAsync();
        for (var i = 0; i < 5; i++)
        {
            await store.AppendAuditAsync(new AuditDraft(Now.AddMinutes(i), "cli", AuditActions.TokenCreated, $"token {i}", "cli", AuditActions.Done), Cancel);
        }

        var newest = await store.ListAuditAsync(long.MaxValue, 2, Cancel);
        var older = await store.ListAuditAsync(newest[^1].Sequence, 10, Cancel);

        Assert.Equal(["token 4", "token 3"], newest.Select(e => e.Entry.What));
        Assert.Equal(["token 2", "token 1", "token 0"], older.Select(e => e.Entry.What));
        Assert.Equal(new AuditDraft(Now.AddMinutes(4), "cli", AuditActions.TokenCreated, "token 4", "cli", AuditActions.Done), newest[0].Entry);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Audit_TheDatabaseRefusesToChangeOrDeleteALine(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using (var store = await database.OpenStoreAsync())
        {
            await store.AppendAuditAsync(new AuditDraft(Now, "cli", AuditActions.TokenCreated, "token", "cli", AuditActions.Done), Cancel);
        }

        await using var connection = await database.ConnectAsync();
        foreach (var sql in (string[])["UPDATE audit SET actor = 'someone else'", "DELETE FROM audit"])
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            var refused = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => command.ExecuteNonQueryAsync(Cancel));
            Assert.Contains("append-only", refused.Message, StringComparison.Ordinal);
        }

        await using var check = await database.OpenStoreAsync();
        Assert.Equal("cli", Assert.Single(await check.ListAuditAsync(long.MaxValue, 10, Cancel)).Entry.Actor);
    }
}
