using Microsoft.Data.Sqlite;
using Npgsql;
using Throughline.Web;
using static SQLitePCL.raw;

namespace Throughline.Tests.Web;

/// <summary>Which failures mean "the database is unavailable" (503, retried) and which are bugs (500): one list, checked by value.</summary>
public sealed class TransientFailuresTests
{
    public static TheoryData<string, Exception, string?> Failures => new()
    {
        { "SQLite disk full", new SqliteException("database or disk is full", SQLITE_FULL), "The disk holding the database is full." },
        { "SQLite read-only", new SqliteException("attempt to write a readonly database", SQLITE_READONLY), "The database is read-only." },
        { "SQLite busy", new SqliteException("database is locked", SQLITE_BUSY), "The database is busy with another writer." },
        { "SQLite constraint (a bug)", new SqliteException("UNIQUE constraint failed", SQLITE_CONSTRAINT), null },
        { "PostgreSQL read-only", new PostgresException("cannot execute INSERT in a read-only transaction", "ERROR", "ERROR", "25006"), "The database is read-only (a standby, or read-only sessions)." },
        { "PostgreSQL disk full", new PostgresException("could not extend file", "ERROR", "ERROR", "53100"), "The disk holding the database is full." },
        { "PostgreSQL shutting down", new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"), "The database server is shutting down, restarting or out of resources." },
        { "PostgreSQL unique violation (a bug)", new PostgresException("duplicate key value", "ERROR", "ERROR", "23505"), null },
        { "PostgreSQL unreachable", new NpgsqlException("Failed to connect to 127.0.0.1:5432", new System.Net.Sockets.SocketException(111)), "The database server does not answer." },
        { "wrapped", new InvalidOperationException("while reading", new SqliteException("disk I/O error", SQLITE_IOERR)), "The database file cannot be opened, read or written." },
        { "a bug", new InvalidOperationException("a broken invariant"), null },
    };

    [Theory, MemberData(nameof(Failures))]
    public void StorageProblem_Failure_NamesWhatKeepsTheDatabaseFromServingOrNullForABug(string what, Exception exception, string? expected)
    {
        var problem = TransientFailures.StorageProblem(exception);

        Assert.True(expected == problem, $"{what}: {problem}");
    }

    [Fact]
    public void Include_EveryStorageProblem_IsRetriedByTheBackgroundLoops()
    {
        var storageProblems = Failures.Select(row => row.Data.Item2).Where(e => TransientFailures.StorageProblem(e) is not null).ToList();

        Assert.NotEmpty(storageProblems);
        Assert.All(storageProblems, e => Assert.True(TransientFailures.Include(e)));
    }
}
