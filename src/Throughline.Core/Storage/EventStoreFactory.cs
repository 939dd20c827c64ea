using Npgsql;
using Throughline.Storage.Postgres;
using Throughline.Storage.Sqlite;

namespace Throughline.Storage;

/// <summary>Chooses the storage engine from the <c>--db</c> value.</summary>
/// <remarks>
/// A PostgreSQL connection string (keyword form such as <c>Host=db;Database=throughline;Username=app</c>,
/// or a <c>postgres://</c> / <c>postgresql://</c> URI) selects PostgreSQL; anything else is the path of a
/// SQLite file, created when missing.
/// </remarks>
public static class EventStoreFactory
{
    /// <summary>The SQLite file used when neither <c>--db</c> nor <c>THROUGHLINE_DB</c> names one.</summary>
    public const string DefaultDatabase = "throughline.db";

    /// <summary>The environment variable read when <c>--db</c> is not given.</summary>
    public const string DatabaseVariable = "THROUGHLINE_DB";

    /// <summary>The value in force: the option, else the environment variable, else the default file.</summary>
    public static string Resolve(string? option) =>
        !string.IsNullOrWhiteSpace(option) ? option
        : Environment.GetEnvironmentVariable(DatabaseVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : DefaultDatabase;

    /// <summary>True when <paramref name="database"/> names a PostgreSQL server rather than a file.</summary>
    public static bool IsPostgres(string database) =>
        database.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || database.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || (database.Contains('=', StringComparison.Ordinal)
            && (database.Contains("host=", StringComparison.OrdinalIgnoreCase) || database.Contains("server=", StringComparison.OrdinalIgnoreCase)));

    /// <summary>Creates the store for <paramref name="database"/> (not yet migrated).</summary>
    /// <exception cref="ArgumentException">The connection string or URI cannot be read.</exception>
    public static IEventStore Create(string database)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        return IsPostgres(database)
            ? new PostgresEventStore(ToKeywordForm(database))
            : new SqliteEventStore(database);
    }

    /// <summary>Creates and migrates the store; the form every command and the server use.</summary>
    public static async Task<IEventStore> OpenAsync(string database, CancellationToken cancellationToken)
    {
        var store = Create(database);
        try
        {
            await store.MigrateAsync(cancellationToken);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>Turns a <c>postgres://user:password@host:port/database?k=v</c> URI into Npgsql's keyword form.</summary>
    public static string ToKeywordForm(string database)
    {
        if (!database.Contains("://", StringComparison.Ordinal))
        {
            return new NpgsqlConnectionStringBuilder(database).ConnectionString;
        }

        if (!Uri.TryCreate(database, UriKind.Absolute, out var uri))
        {
            throw new ArgumentException($"'{database}' is not a valid PostgreSQL URI (expected postgres://user:password@host:port/database).", nameof(database));
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        }

        if (userInfo.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        var name = uri.AbsolutePath.TrimStart('/');
        if (name.Length > 0)
        {
            builder.Database = Uri.UnescapeDataString(name);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(parts[0]);
            builder[key == "sslmode" ? "SSL Mode" : key] = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : "true";
        }

        return builder.ConnectionString;
    }
}
