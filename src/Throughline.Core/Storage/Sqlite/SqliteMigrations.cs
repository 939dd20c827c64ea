namespace Throughline.Storage.Sqlite;

/// <summary>The SQLite schema, step by step.</summary>
internal static class SqliteMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "events: the append-only event store", """
            CREATE TABLE events (
                seq INTEGER PRIMARY KEY,
                source TEXT NOT NULL,
                event_id TEXT NOT NULL,
                type TEXT NOT NULL,
                subject_id TEXT,
                occurred_at_us INTEGER NOT NULL,
                received_at_us INTEGER NOT NULL,
                spec_version TEXT,
                mapped INTEGER NOT NULL,
                origin TEXT NOT NULL,
                payload TEXT NOT NULL,
                envelope TEXT,
                UNIQUE (source, event_id)
            );
            CREATE INDEX events_type_occurred ON events (type, occurred_at_us);
            """),
        new(2, "deliveries: raw webhook deliveries, and the link from each translated event to its delivery", """
            CREATE TABLE deliveries (
                seq INTEGER PRIMARY KEY,
                tool_id TEXT NOT NULL,
                delivery_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                received_at_us INTEGER NOT NULL,
                headers TEXT NOT NULL,
                body TEXT NOT NULL,
                UNIQUE (tool_id, delivery_id)
            );
            ALTER TABLE events ADD COLUMN delivery_seq INTEGER REFERENCES deliveries (seq);
            CREATE INDEX events_delivery ON events (delivery_seq);
            """),
        new(3, "model_versions: every operating model put in force, with its hash, when and where from", """
            CREATE TABLE model_versions (
                n INTEGER PRIMARY KEY,
                hash TEXT NOT NULL,
                effective_at_us INTEGER NOT NULL,
                origin TEXT NOT NULL,
                yaml TEXT NOT NULL
            );
            """),
        new(4, "tokens (secrets kept only as SHA-256 hashes) and the append-only audit log", """
            CREATE TABLE tokens (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                role TEXT NOT NULL,
                sources TEXT NOT NULL,
                created_at_us INTEGER NOT NULL,
                created_by TEXT NOT NULL,
                expires_at_us INTEGER,
                revoked_at_us INTEGER,
                hash TEXT NOT NULL
            );
            CREATE TABLE audit (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                at_us INTEGER NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                what TEXT NOT NULL,
                from_addr TEXT NOT NULL,
                outcome TEXT NOT NULL
            );
            CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            """),
        new(5, "deliveries.body_bytes: each delivery's body byte for byte, whether or not it is UTF-8", """
            ALTER TABLE deliveries ADD COLUMN body_bytes BLOB;
            """),
        // PostgreSQL's step 6 gives each writer its transaction id before a sequence number; SQLite's writers take turns, so
        // the step changes nothing here and keeps both engines at the same version.
        new(6, "events: a writer has its transaction id before it takes a sequence number (PostgreSQL only)", """
            SELECT 1;
            """),
    ];
}
