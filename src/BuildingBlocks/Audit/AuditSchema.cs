namespace PBServices.BuildingBlocks.Audit;

/// <summary>The audit log's tables, for the migration of each service that introduces it (DESIGN.md section 7).</summary>
public static class AuditSchema
{
    public const string Sql = """
        -- The last appended entry. Appenders lock this row, so concurrent transactions append one after another
        -- and form a single chain; only an append to audit_log moves it.
        CREATE TABLE audit_head (
            id        int    PRIMARY KEY CHECK (id = 1),
            sequence  bigint NOT NULL CHECK (sequence >= 0),
            hash      text   NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
        );
        INSERT INTO audit_head (id, sequence, hash) VALUES (1, 0, repeat('0', 64));

        CREATE TABLE audit_log (
            sequence       bigint      PRIMARY KEY CHECK (sequence > 0),
            occurred_at    timestamptz NOT NULL,
            subject        text        NOT NULL,
            role           text        NOT NULL,
            jurisdiction   text        NOT NULL,
            process_id     uuid        NULL,
            action         text        NOT NULL,
            subject_id     text        NOT NULL,
            -- Canonical JSON kept as text: the hash covers these exact characters, which jsonb would not keep.
            new_values     text        NOT NULL CHECK (new_values::jsonb IS NOT NULL),
            reason         text        NULL,
            previous_hash  text        NOT NULL CHECK (previous_hash ~ '^[0-9a-f]{64}$'),
            hash           text        NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
        );
        CREATE INDEX audit_log_by_process ON audit_log (process_id, sequence);

        -- An entry must extend the head: the next sequence, linked to the last hash. Whatever writes to the
        -- table, the log stays one gapless chain.
        CREATE FUNCTION audit_log_append() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE audit_head SET sequence = NEW.sequence, hash = NEW.hash
             WHERE id = 1 AND sequence = NEW.sequence - 1 AND hash = NEW.previous_hash;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'audit_log entry % does not extend the chain: it must follow the last entry and carry its hash', NEW.sequence
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER audit_log_append BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append();

        CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
        END $$;
        CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
            FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

        -- The head moves only from inside audit_log_append (trigger depth 2), never by a statement of its own.
        CREATE FUNCTION audit_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1 THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'audit_head moves only by appending to audit_log: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
        END $$;
        CREATE TRIGGER audit_head_guard BEFORE UPDATE OR DELETE ON audit_head FOR EACH ROW EXECUTE FUNCTION audit_head_guard();
        CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
        """;
}
