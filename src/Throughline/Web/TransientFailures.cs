using Microsoft.Data.Sqlite;
using Npgsql;
using static SQLitePCL.raw;

namespace Throughline.Web;

/// <summary>
/// Which failures are passing rather than bugs: the one list. A background loop (the timeline updater, the model version
/// follower, the demo feed) retries them after a pause; the HTTP edge answers those of the database with 503
/// (<see cref="StorageFailureAnswers"/>) and <c>/healthz</c> names them.
/// </summary>
internal static class TransientFailures
{
    /// <summary>True for a failure worth retrying: the loop logs it once, waits its retry delay and carries on.</summary>
    public static bool Include(Exception exception) =>
        StorageProblem(exception) is not null
        || exception is System.Data.Common.DbException or IOException or InvalidOperationException or TimeoutException;

    /// <summary>
    /// What keeps the database from serving, in words for the answer (never the engine's message, which may name hosts), or
    /// null when <paramref name="exception"/> is something else (a bug, a constraint): unreachable, stopped, full, read-only, busy.
    /// </summary>
    /// <remarks>
    /// SQLite by primary result code; PostgreSQL by SQLSTATE class: 08 connection, 53 insufficient resources (53100 disk full),
    /// 57P operator intervention (shutdown, cannot connect now), 58 system error (I/O), and 25006 a read-only transaction
    /// (a standby, or <c>default_transaction_read_only</c>); any other Npgsql failure is the network or a timeout.
    /// </remarks>
    public static string? StorageProblem(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: SQLITE_FULL } => "The disk holding the database is full.",
        SqliteException { SqliteErrorCode: SQLITE_READONLY } => "The database is read-only.",
        SqliteException { SqliteErrorCode: SQLITE_CANTOPEN or SQLITE_IOERR or SQLITE_PROTOCOL } => "The database file cannot be opened, read or written.",
        SqliteException { SqliteErrorCode: SQLITE_BUSY or SQLITE_LOCKED } => "The database is busy with another writer.",
        PostgresException { SqlState: "25006" } => "The database is read-only (a standby, or read-only sessions).",
        PostgresException { SqlState: "53100" } => "The disk holding the database is full.",
        PostgresException postgres when postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("53", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("58", StringComparison.Ordinal) => "The database server is shutting down, restarting or out of resources.",
        PostgresException => null,
        NpgsqlException => "The database server does not answer.",
        { InnerException: { } inner } => StorageProblem(inner),
        _ => null,
    };
}
