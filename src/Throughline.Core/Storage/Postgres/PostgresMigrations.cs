namespace Throughline.Storage.Postgres;

/// <summary>The PostgreSQL schema, step by step.</summary>
internal static class PostgresMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "events: the append-only event store", """
            CREATE TABLE events (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                source TEXT NOT NULL,
                event_id TEXT NOT NULL,
                type TEXT NOT NULL,
                subject_id TEXT,
                occurred_at_us BIGINT NOT NULL,
                received_at_us BIGINT NOT NULL,
                spec_version TEXT,
                mapped BOOLEAN NOT NULL,
                origin TEXT NOT NULL,
                payload TEXT NOT NULL,
                envelope TEXT,
                UNIQUE (source, event_id)
            );
            CREATE INDEX events_type_occurred ON events (type, occurred_at_us);
            """),
        new(2, "deliveries: raw webhook deliveries, and the link from each translated event to its delivery", """
            CREATE TABLE deliveries (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                tool_id TEXT NOT NULL,
                delivery_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                received_at_us BIGINT NOT NULL,
                headers TEXT NOT NULL,
                body TEXT NOT NULL,
                UNIQUE (tool_id, delivery_id)
            );
            ALTER TABLE events ADD COLUMN delivery_seq BIGINT REFERENCES deliveries (seq);
            CREATE INDEX events_delivery ON events (delivery_seq);
            """),
        new(3, "model_versions: every operating model put in force, with its hash, when and where from", """
            CREATE TABLE model_versions (
                n BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                hash TEXT NOT NULL,
                effective_at_us BIGINT NOT NULL,
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
                created_at_us BIGINT NOT NULL,
                created_by TEXT NOT NULL,
                expires_at_us BIGINT,
                revoked_at_us BIGINT,
                hash TEXT NOT NULL
            );
            CREATE TABLE audit (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                at_us BIGINT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                what TEXT NOT NULL,
                from_addr TEXT NOT NULL,
                outcome TEXT NOT NULL
            );
            CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
            CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
            """),
        new(5, "deliveries.body_bytes: each delivery's body byte for byte, whether or not it is UTF-8", """
            ALTER TABLE deliveries ADD COLUMN body_bytes BYTEA;
            """),
        new(6, "events: a writer has its transaction id before it takes a sequence number, so a reader can tell a number still to be committed from one never to be", """
            CREATE FUNCTION events_writer_id() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_current_xact_id(); RETURN NULL; END $$;
            CREATE TRIGGER events_writer_id BEFORE INSERT ON events FOR EACH STATEMENT EXECUTE FUNCTION events_writer_id();
            """),
    ];
}
