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
        new(6, "criteria matrix and scores", Criteria),
    ];

    /// <summary>
    /// A process's weighted criteria and each scorer's scores. The scale travels into every score row by a
    /// foreign key on (criterion, process, scale), so a CHECK keeps a value inside its criterion's scale; a
    /// criterion is fixed once its process has a score, and scores close with the stage or the prioritised list.
    /// </summary>
    private const string Criteria = """
        CREATE TABLE criteria (
            id         uuid PRIMARY KEY,
            process_id uuid         NOT NULL REFERENCES processes (id),
            position   int          NOT NULL CHECK (position > 0),
            name       text         NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
            -- Weights need not sum to anything: the weighted total divides by their sum.
            weight     numeric(8,4) NOT NULL CHECK (weight > 0),
            scale_min  int          NOT NULL CHECK (scale_min >= 0),
            scale_max  int          NOT NULL CHECK (scale_max <= 100),
            CHECK (scale_min < scale_max),
            UNIQUE (process_id, position),
            UNIQUE (id, process_id, scale_min, scale_max)
        );
        CREATE UNIQUE INDEX criteria_unique_name ON criteria (process_id, lower(name));
        -- Lets a score name its proposal and process together, so it cannot score another process's proposal.
        CREATE UNIQUE INDEX proposals_id_process ON proposals (id, process_id);
        CREATE TABLE criterion_scores (
            -- The token's subject: an agent's id, or a technician's or officer's account name.
            scorer_id    text        NOT NULL CHECK (length(scorer_id) BETWEEN 1 AND 200),
            proposal_id  uuid        NOT NULL,
            criterion_id uuid        NOT NULL,
            process_id   uuid        NOT NULL,
            scorer_role  text        NOT NULL CHECK (scorer_role IN ('technical-team', 'agent', 'process-admin')),
            scale_min    int         NOT NULL,
            scale_max    int         NOT NULL,
            value        int         NOT NULL,
            recorded_at  timestamptz NOT NULL,
            PRIMARY KEY (scorer_id, proposal_id, criterion_id),
            FOREIGN KEY (proposal_id, process_id) REFERENCES proposals (id, process_id),
            FOREIGN KEY (criterion_id, process_id, scale_min, scale_max) REFERENCES criteria (id, process_id, scale_min, scale_max),
            CHECK (value BETWEEN scale_min AND scale_max)
        );
        CREATE INDEX criterion_scores_by_process ON criterion_scores (process_id);

        CREATE FUNCTION criteria_fixed_once_scored() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM criterion_scores WHERE process_id = COALESCE(NEW.process_id, OLD.process_id)) THEN
                RAISE EXCEPTION 'The criteria matrix of process % is fixed: scores have been recorded', COALESCE(NEW.process_id, OLD.process_id)
                    USING ERRCODE = 'object_not_in_prerequisite_state';
            END IF;
            RETURN COALESCE(NEW, OLD);
        END $$;
        CREATE TRIGGER criteria_fixed_once_scored BEFORE INSERT OR UPDATE OR DELETE ON criteria
            FOR EACH ROW EXECUTE FUNCTION criteria_fixed_once_scored();

        -- The process row is shared-locked, so a prioritisation (which locks it to read the scores) and a
        -- score cannot both commit: the score waits, then sees the list and is refused.
        CREATE FUNCTION criterion_scores_open() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE current_stage text;
        BEGIN
            SELECT stage INTO current_stage FROM processes WHERE id = NEW.process_id FOR SHARE;
            IF current_stage IS DISTINCT FROM 'Concertation' THEN
                RAISE EXCEPTION 'Criteria are scored in Concertation; process % is in %', NEW.process_id, current_stage
                    USING ERRCODE = 'object_not_in_prerequisite_state';
            END IF;
            IF EXISTS (SELECT 1 FROM prioritized_lists WHERE process_id = NEW.process_id) THEN
                RAISE EXCEPTION 'Process % is already prioritised: its scores are closed', NEW.process_id
                    USING ERRCODE = 'object_not_in_prerequisite_state';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER criterion_scores_open BEFORE INSERT OR UPDATE ON criterion_scores
            FOR EACH ROW EXECUTE FUNCTION criterion_scores_open();
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
