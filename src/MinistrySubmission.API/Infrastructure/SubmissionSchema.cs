using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Processes;

namespace PBServices.MinistrySubmission.Infrastructure;

/// <summary>The service's schema as numbered migrations; a shipped migration never changes, the next change is the next number.</summary>
internal static class SubmissionSchema
{
    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new(1, "baseline", BuildingBlockSchema.OutboxAndInbox, Baseline),
        new(2, "audit log", AuditSchema.Sql),
        new(3, "trace context and stage copy", BuildingBlockSchema.OutboxTraceContext, ProcessStageStore.Schema, SubmissionTraceContext),
        new(4, "the national intake: a configured signing key, stage history, the Ministry's decisions", NationalIntake),
        new(5, "escalated findings and the package that carries each to the Ministry", EscalatedFindings),
    ];

    /// <summary>
    /// The oversight committee's findings escalated to the council, one row per finding. Each travels once, in the oversight
    /// report of the first package of its jurisdiction for a later fiscal year: the database refuses a second carrier and one
    /// that breaks the rule, whatever the code does.
    /// </summary>
    private const string EscalatedFindings = """
        CREATE TABLE escalated_findings (
            finding_id         uuid PRIMARY KEY,
            jurisdiction       text        NOT NULL,
            process_id         uuid        NOT NULL,
            fiscal_year        int         NOT NULL,
            proposal_id        uuid        NULL,
            project_title      text        NULL CHECK (project_title IS NULL OR proposal_id IS NOT NULL),
            kind               text        NOT NULL CHECK (kind IN ('Finding', 'InformationRequest')),
            text               text        NOT NULL CHECK (length(btrim(text)) > 0),
            raised_at          timestamptz NOT NULL,
            answer_due         timestamptz NOT NULL,
            answers            jsonb       NOT NULL CHECK (jsonb_typeof(answers) = 'array'),
            escalation_reason  text        NOT NULL CHECK (length(btrim(escalation_reason)) > 0),
            escalated_at       timestamptz NOT NULL,
            received_at        timestamptz NOT NULL,
            carried_by         uuid        NULL REFERENCES submissions (id)
        );
        CREATE INDEX escalated_findings_waiting ON escalated_findings (jurisdiction, finding_id) WHERE carried_by IS NULL;
        CREATE INDEX escalated_findings_by_carrier ON escalated_findings (carried_by) WHERE carried_by IS NOT NULL;

        CREATE FUNCTION escalated_finding_carried_once() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF OLD.carried_by IS NOT NULL AND NEW.carried_by IS DISTINCT FROM OLD.carried_by THEN
                RAISE EXCEPTION 'finding % was carried by submission % already', OLD.finding_id, OLD.carried_by USING ERRCODE = 'unique_violation';
            END IF;
            IF NEW.carried_by IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM submissions s WHERE s.id = NEW.carried_by AND s.jurisdiction = NEW.jurisdiction AND s.fiscal_year > NEW.fiscal_year) THEN
                RAISE EXCEPTION 'finding % (% %) may only travel with a later fiscal year''s submission of its jurisdiction', NEW.finding_id, NEW.jurisdiction,
                    NEW.fiscal_year USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER escalated_findings_carried_once BEFORE INSERT OR UPDATE ON escalated_findings
            FOR EACH ROW EXECUTE FUNCTION escalated_finding_carried_once();
        """;

    /// <summary>
    /// The Ministry's intake is another deployment now: its table goes, and so does the private key kept in clear (the key is
    /// configuration). A package is signed when delivered, so a pending one has no signature yet.
    /// </summary>
    private const string NationalIntake = """
        DROP TABLE IF EXISTS intake_submissions;
        DROP TABLE IF EXISTS signing_keys;

        ALTER TABLE submissions
            ALTER COLUMN signature DROP NOT NULL,
            ALTER COLUMN public_key DROP NOT NULL,
            ADD COLUMN key_id text NULL,
            ADD COLUMN fiscal_year int NULL;
        UPDATE submissions SET fiscal_year = (canonical_content::jsonb ->> 'fiscalYear')::int;
        -- Packages signed before this migration were signed with the key kept in the database: sign again when sent.
        UPDATE submissions SET signature = NULL, public_key = NULL WHERE status = 'Pending';
        ALTER TABLE submissions
            ALTER COLUMN fiscal_year SET NOT NULL,
            ADD CONSTRAINT submissions_status CHECK (status IN ('Pending', 'Delivered', 'Rejected')),
            ADD CONSTRAINT submissions_signed_when_sent CHECK (status = 'Pending' OR signature IS NOT NULL),
            ADD CONSTRAINT submissions_receipt_when_delivered CHECK (status <> 'Delivered' OR intake_receipt IS NOT NULL);
        CREATE INDEX submissions_by_year ON submissions (jurisdiction, fiscal_year, created_at);

        -- When the process entered each stage, for the stages the submission states.
        CREATE TABLE stage_history (
            process_id  uuid        NOT NULL,
            stage       text        NOT NULL,
            entered_at  timestamptz NOT NULL,
            PRIMARY KEY (process_id, stage)
        );

        -- The Ministry's decisions as the national intake streamed them back; decision_id is the intake's, so a repeat is a no-op.
        CREATE TABLE decisions (
            decision_id      uuid PRIMARY KEY,
            sequence         bigint        NOT NULL,
            submission_id    uuid          NOT NULL REFERENCES submissions (id),
            process_id       uuid          NOT NULL,
            proposal_id      uuid          NOT NULL,
            decision         text          NOT NULL CHECK (decision IN ('Approved', 'Rejected')),
            approved_amount  numeric(16,2) NOT NULL CHECK (approved_amount >= 0),
            reason           text          NOT NULL,
            decided_at       timestamptz   NOT NULL,
            received_at      timestamptz   NOT NULL,
            CONSTRAINT decisions_rejected_nothing CHECK (decision = 'Approved' OR approved_amount = 0),
            CONSTRAINT decisions_rejected_with_reason CHECK (decision = 'Approved' OR length(btrim(reason)) > 0)
        );
        CREATE INDEX decisions_by_process ON decisions (process_id, sequence);

        -- How far the decision stream has been read; one row, locked by the replica that pulls.
        CREATE TABLE decision_cursor (
            id              int PRIMARY KEY CHECK (id = 1),
            after_sequence  bigint      NOT NULL CHECK (after_sequence >= 0),
            updated_at      timestamptz NOT NULL
        );
        INSERT INTO decision_cursor (id, after_sequence, updated_at) VALUES (1, 0, now());
        """;

    /// <summary>The trace of the formalization that produced a package; its delivery continues it.</summary>
    private const string SubmissionTraceContext = """
        ALTER TABLE submissions ADD COLUMN trace_parent text NULL, ADD COLUMN trace_state text NULL;
        """;

    /// <summary>What the service created before migrations existed, unchanged, so such a database upgrades in place.</summary>
    private const string Baseline = """
        CREATE TABLE IF NOT EXISTS signing_keys (
            id          int PRIMARY KEY CHECK (id = 1),
            pkcs8       bytea       NOT NULL,
            created_at  timestamptz NOT NULL
        );

        -- The deployment side: what it formalized and sent.
        CREATE TABLE IF NOT EXISTS submissions (
            id                 uuid PRIMARY KEY,
            process_id         uuid          NOT NULL UNIQUE,
            list_id            uuid          NOT NULL,
            jurisdiction       text          NOT NULL,
            canonical_content  text          NOT NULL,
            content_hash       text          NOT NULL,
            signature          text          NOT NULL,
            public_key         text          NOT NULL,
            total_cost         numeric(16,2) NOT NULL,
            status             text          NOT NULL,
            attempts           int           NOT NULL DEFAULT 0,
            next_attempt_at    timestamptz   NOT NULL,
            last_error         text          NULL,
            intake_receipt     text          NULL,
            delivered_at       timestamptz   NULL,
            created_at         timestamptz   NOT NULL
        );
        CREATE INDEX IF NOT EXISTS submissions_pending ON submissions (next_attempt_at) WHERE status = 'Pending';

        -- The Ministry side (MinistryIntake): what it received, verified, from every deployment.
        CREATE TABLE IF NOT EXISTS intake_submissions (
            submission_id      uuid PRIMARY KEY,
            jurisdiction       text        NOT NULL,
            process_id         uuid        NOT NULL,
            canonical_content  text        NOT NULL,
            content_hash       text        NOT NULL,
            signature          text        NOT NULL,
            public_key         text        NOT NULL,
            receipt            text        NOT NULL UNIQUE,
            received_at        timestamptz NOT NULL
        );
        """;
}
