using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;

namespace PBServices.Deliberation.Infrastructure;

/// <summary>The service's schema as numbered migrations; a shipped migration never changes, the next change is the next number.</summary>
internal static class DeliberationSchema
{
    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new(1, "baseline", BuildingBlockSchema.OutboxAndInbox, Baseline),
        new(2, "audit log", AuditSchema.Sql),
        new(3, "trace context", BuildingBlockSchema.OutboxTraceContext),
        new(4, "process rules and training attendance", RulesAndTraining),
        new(5, "voting rounds and secret ballots", Voting),
        new(6, "workshops, attendance and minutes", Workshops),
    ];

    /// <summary>
    /// Workshops on the calendar, each agent's attendance once (a primary key), and minutes as versions: what
    /// is recorded of a workshop is never changed or deleted, a correction is the next version with its reason.
    /// </summary>
    private const string Workshops = """
        CREATE TABLE workshops (
            id           uuid PRIMARY KEY,
            process_id   uuid        NOT NULL REFERENCES processes (id),
            kind         text        NOT NULL CHECK (kind IN ('Diagnosis', 'Prioritisation', 'Formalization')),
            date         date        NOT NULL,
            start_time   time        NOT NULL,
            place        text        NULL CHECK (length(place) BETWEEN 1 AND 300),
            online_link  text        NULL CHECK (online_link LIKE 'https://%' AND length(online_link) <= 500),
            agenda       text        NOT NULL CHECK (length(agenda) BETWEEN 1 AND 4000),
            scheduled_by text        NOT NULL,
            scheduled_at timestamptz NOT NULL,
            CHECK (place IS NOT NULL OR online_link IS NOT NULL)
        );
        CREATE INDEX workshops_by_process ON workshops (process_id, date, start_time);
        CREATE TABLE workshop_attendance (
            workshop_id uuid        NOT NULL REFERENCES workshops (id),
            agent_id    uuid        NOT NULL REFERENCES accredited_agents (agent_id),
            by_self     boolean     NOT NULL,
            recorded_by text        NOT NULL,
            recorded_at timestamptz NOT NULL,
            PRIMARY KEY (workshop_id, agent_id)
        );
        CREATE INDEX workshop_attendance_by_agent ON workshop_attendance (agent_id);
        CREATE TABLE workshop_minutes (
            workshop_id uuid        NOT NULL REFERENCES workshops (id),
            version     int         NOT NULL CHECK (version > 0),
            text        text        NOT NULL CHECK (length(text) BETWEEN 1 AND 20000),
            correction  text        NULL CHECK (length(correction) BETWEEN 1 AND 1000),
            recorded_by text        NOT NULL,
            recorded_at timestamptz NOT NULL,
            PRIMARY KEY (workshop_id, version),
            -- The first version corrects nothing; every later one says what it corrects.
            CHECK ((version = 1) = (correction IS NULL))
        );
        -- The audit log's refusal (migration 2), which names the table and the operation refused.
        CREATE TRIGGER workshop_attendance_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON workshop_attendance
            FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
        CREATE TRIGGER workshop_minutes_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON workshop_minutes
            FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
        """;

    /// <summary>
    /// Who voted and what was voted live in two tables with nothing that joins them: no shared id, no time
    /// of casting (a ballot's id is random, its receipt too); one vote per voter and round is a primary key.
    /// </summary>
    private const string Voting = """
        CREATE TABLE voting_rounds (
            id           uuid PRIMARY KEY,
            process_id   uuid          NOT NULL REFERENCES processes (id),
            format       text          NOT NULL CHECK (format IN ('Approval', 'Ranked', 'Cumulative', 'Plurality')),
            budget_limit numeric(16,2) NULL CHECK (budget_limit > 0),
            max_projects int           NULL CHECK (max_projects > 0),
            points       int           NULL CHECK (points > 0),
            opened_at    timestamptz   NOT NULL,
            closed_at    timestamptz   NULL,
            CHECK ((format = 'Cumulative') = (points IS NOT NULL))
        );
        -- One prioritisation vote per process.
        CREATE UNIQUE INDEX voting_rounds_one_per_process ON voting_rounds (process_id);
        CREATE TABLE voting_round_projects (
            round_id    uuid          NOT NULL REFERENCES voting_rounds (id),
            proposal_id uuid          NOT NULL REFERENCES proposals (id),
            title       text          NOT NULL,
            cost        numeric(16,2) NOT NULL CHECK (cost > 0),
            position    int           NOT NULL,
            PRIMARY KEY (round_id, proposal_id)
        );
        CREATE TABLE voters (
            round_id uuid NOT NULL REFERENCES voting_rounds (id),
            agent_id uuid NOT NULL,
            PRIMARY KEY (round_id, agent_id)
        );
        CREATE TABLE ballots (
            id       uuid   PRIMARY KEY,
            round_id uuid   NOT NULL REFERENCES voting_rounds (id),
            receipt  text   NOT NULL UNIQUE CHECK (receipt ~ '^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$'),
            channel  text   NOT NULL CHECK (channel IN ('Online', 'Paper')),
            projects uuid[] NOT NULL CHECK (cardinality(projects) > 0),
            points   int[]  NOT NULL,
            CHECK (cardinality(points) = 0 OR cardinality(points) = cardinality(projects))
        );
        CREATE INDEX ballots_round ON ballots (round_id);
        """;

    /// <summary>What deliberation needs of registration's rules: who may vote depends on them.</summary>
    private const string RulesAndTraining = """
        -- NULL for processes opened before registration published rules with ProcessOpened.
        ALTER TABLE processes ADD COLUMN rules jsonb NULL, ADD COLUMN calendar jsonb NULL;
        -- Copies of TrainingAttended; an agent may attend several sessions.
        CREATE TABLE training_attendance (
            agent_id   uuid NOT NULL,
            session_id uuid NOT NULL,
            process_id uuid NOT NULL REFERENCES processes (id),
            date       date NOT NULL,
            PRIMARY KEY (agent_id, session_id)
        );
        """;

    /// <summary>What the service created before migrations existed, unchanged, so such a database upgrades in place.</summary>
    private const string Baseline = """
        -- Copies kept from registration's events: this service never reads registration's database.
        CREATE TABLE IF NOT EXISTS processes (
            id             uuid PRIMARY KEY,
            jurisdiction   text          NOT NULL,
            name           text          NOT NULL,
            fiscal_year    int           NOT NULL,
            level          text          NOT NULL,
            budget_ceiling numeric(16,2) NOT NULL,
            stage          text          NOT NULL
        );
        CREATE TABLE IF NOT EXISTS accredited_agents (
            agent_id    uuid PRIMARY KEY,
            process_id  uuid NOT NULL,
            full_name   text NOT NULL,
            revoked     boolean NOT NULL DEFAULT false
        );

        CREATE TABLE IF NOT EXISTS proposals (
            id              uuid PRIMARY KEY,
            process_id      uuid          NOT NULL REFERENCES processes (id),
            agent_id        uuid          NOT NULL,
            title           text          NOT NULL,
            description     text          NOT NULL,
            cost            numeric(16,2) NOT NULL CHECK (cost > 0),
            location        text          NOT NULL,
            beneficiaries   int           NOT NULL CHECK (beneficiaries > 0),
            plan_objective  text          NOT NULL,
            status          text          NOT NULL,
            score           numeric(6,2)  NULL,
            assessment_reasons text       NULL,
            submitted_at    timestamptz   NOT NULL
        );
        CREATE INDEX IF NOT EXISTS proposals_by_process ON proposals (process_id);

        CREATE TABLE IF NOT EXISTS prioritized_lists (
            id              uuid PRIMARY KEY,
            -- One prioritised list per process: a second request cannot produce a competing list.
            process_id      uuid          NOT NULL UNIQUE REFERENCES processes (id),
            rule            text          NOT NULL,
            budget_ceiling  numeric(16,2) NOT NULL,
            total_cost      numeric(16,2) NOT NULL,
            created_at      timestamptz   NOT NULL,
            CHECK (total_cost <= budget_ceiling)
        );
        CREATE TABLE IF NOT EXISTS prioritized_list_items (
            list_id      uuid          NOT NULL REFERENCES prioritized_lists (id),
            proposal_id  uuid          NOT NULL REFERENCES proposals (id),
            rank         int           NOT NULL,
            cost         numeric(16,2) NOT NULL,
            score        numeric(6,2)  NOT NULL,
            PRIMARY KEY (list_id, proposal_id),
            UNIQUE (list_id, rank)
        );
        """;
}
