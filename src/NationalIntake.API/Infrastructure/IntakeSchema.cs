using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;

namespace PBServices.NationalIntake.Infrastructure;

/// <summary>The intake's schema as numbered migrations; a shipped migration never changes, the next change is the next number.</summary>
internal static class IntakeSchema
{
    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new(1, "clients, keys, submissions, decisions, refusals", AuditSchema.Sql, Baseline),
        new(2, "the oversight report of each submission", OversightReports),
    ];

    /// <summary>
    /// The escalated findings a package's oversight report states, for the officers who read them beside it. A finding is
    /// reported once in the whole country, and only with a later fiscal year's submission of its jurisdiction.
    /// </summary>
    private const string OversightReports = """
        CREATE TABLE submission_findings (
            submission_id      uuid        NOT NULL REFERENCES submissions (submission_id),
            position           int         NOT NULL CHECK (position >= 1),
            finding_id         uuid        NOT NULL CONSTRAINT submission_findings_reported_once UNIQUE,
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
            escalated_at       timestamptz NOT NULL CHECK (escalated_at >= raised_at),
            PRIMARY KEY (submission_id, position)
        );

        CREATE FUNCTION finding_of_an_earlier_year() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.fiscal_year >= (SELECT fiscal_year FROM submissions WHERE submission_id = NEW.submission_id) THEN
                RAISE EXCEPTION 'finding % is about fiscal year %, not earlier than its submission''s', NEW.finding_id, NEW.fiscal_year
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER submission_findings_earlier_year BEFORE INSERT OR UPDATE ON submission_findings
            FOR EACH ROW EXECUTE FUNCTION finding_of_an_earlier_year();
        """;

    private const string Baseline = """
        -- Client credentials the intake issued: only the secret's SHA-256 is kept.
        CREATE TABLE clients (
            client_id      text PRIMARY KEY CHECK (client_id ~ '^[A-Za-z0-9._-]{3,64}$'),
            secret_sha256  text        NOT NULL CHECK (secret_sha256 ~ '^[0-9a-f]{64}$'),
            role           text        NOT NULL CHECK (role IN ('ministry', 'deployment', 'integrator')),
            jurisdiction   text        NOT NULL CHECK (jurisdiction = 'PE' OR jurisdiction ~ '^[0-9]{6}$'),
            created_at     timestamptz NOT NULL,
            revoked_at     timestamptz NULL
        );

        -- Public signing keys the Ministry enrolled, one good key per jurisdiction at a time.
        CREATE TABLE enrolled_keys (
            key_id        text PRIMARY KEY CHECK (key_id ~ '^[0-9a-f]{64}$'),
            jurisdiction  text        NOT NULL CHECK (jurisdiction = 'PE' OR jurisdiction ~ '^[0-9]{6}$'),
            public_key    bytea       NOT NULL,
            enrolled_at   timestamptz NOT NULL,
            retired_at    timestamptz NULL CHECK (retired_at >= enrolled_at),
            revoked_at    timestamptz NULL CHECK (revoked_at >= enrolled_at),
            revoke_reason text        NULL CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
        );
        CREATE UNIQUE INDEX enrolled_keys_one_active ON enrolled_keys (jurisdiction) WHERE retired_at IS NULL AND revoked_at IS NULL;

        CREATE TABLE submissions (
            submission_id      uuid PRIMARY KEY,
            jurisdiction       text          NOT NULL CHECK (jurisdiction ~ '^[0-9]{6}$'),
            process_id         uuid          NOT NULL,
            level              text          NOT NULL CHECK (level IN ('District', 'Province', 'Region')),
            fiscal_year        int           NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2200),
            canonical_content  text          NOT NULL,
            content_hash       text          NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
            signature          text          NOT NULL,
            key_id             text          NOT NULL REFERENCES enrolled_keys (key_id),
            client_id          text          NOT NULL REFERENCES clients (client_id),
            receipt            text          NOT NULL UNIQUE CHECK (receipt ~ '^MEF-[0-9]{8}-[0-9a-f]{10}$'),
            total_cost         numeric(16,2) NOT NULL CHECK (total_cost >= 0),
            acta_reference     text          NOT NULL,
            received_at        timestamptz   NOT NULL
        );
        CREATE INDEX submissions_by_jurisdiction ON submissions (jurisdiction, received_at);

        CREATE TABLE submission_projects (
            submission_id   uuid          NOT NULL REFERENCES submissions (submission_id),
            proposal_id     uuid          NOT NULL,
            rank            int           NOT NULL CHECK (rank >= 1),
            title           text          NOT NULL,
            cost            numeric(16,2) NOT NULL CHECK (cost > 0),
            own_share       numeric(16,2) NOT NULL CHECK (own_share >= 0 AND own_share <= cost),
            plan_objective  text          NOT NULL,
            PRIMARY KEY (submission_id, proposal_id),
            UNIQUE (submission_id, rank)
        );

        -- One decision per project; sequence orders the stream the deployments follow.
        CREATE TABLE decisions (
            decision_id      uuid PRIMARY KEY,
            sequence         bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
            submission_id    uuid          NOT NULL,
            proposal_id      uuid          NOT NULL,
            decision         text          NOT NULL CHECK (decision IN ('Approved', 'Rejected')),
            approved_amount  numeric(16,2) NOT NULL CHECK (approved_amount >= 0),
            reason           text          NULL,
            decided_by       text          NOT NULL,
            decided_at       timestamptz   NOT NULL,
            UNIQUE (submission_id, proposal_id),
            FOREIGN KEY (submission_id, proposal_id) REFERENCES submission_projects (submission_id, proposal_id),
            CHECK (decision = 'Approved' AND approved_amount > 0 OR decision = 'Rejected' AND approved_amount = 0 AND reason IS NOT NULL)
        );

        -- An approval is at most the project's cost: the amount checked where the cost is.
        CREATE FUNCTION decision_within_cost() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.approved_amount > (SELECT cost FROM submission_projects WHERE submission_id = NEW.submission_id AND proposal_id = NEW.proposal_id) THEN
                RAISE EXCEPTION 'approved_amount % exceeds the project''s cost', NEW.approved_amount USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER decisions_within_cost BEFORE INSERT OR UPDATE ON decisions FOR EACH ROW EXECUTE FUNCTION decision_within_cost();

        -- Every refused package, with its reasons, for the Ministry's officers.
        CREATE TABLE refusals (
            id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            refused_at     timestamptz NOT NULL,
            client_id      text        NOT NULL,
            submission_id  text        NOT NULL,
            jurisdiction   text        NOT NULL,
            status         text        NOT NULL,
            reasons        text        NOT NULL
        );
        CREATE INDEX refusals_by_time ON refusals (refused_at);
        """;
}
