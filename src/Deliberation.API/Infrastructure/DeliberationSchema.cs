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
    ];

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
