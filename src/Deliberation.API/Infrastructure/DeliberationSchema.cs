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
        new(6, "paper-ballot batches and the final-list vote", PaperBatchesAndFinalVote),
        new(7, "proposal versions and the four assessment verdicts", ProposalVersions),
        new(8, "criteria matrix and scores", Criteria),
        new(9, "workshops, attendance and minutes", Workshops),
        new(10, "districts a proposal benefits, and the coordinated list the final vote is on", CoordinatedLists),
    ];

    /// <summary>
    /// A batch of imported paper ballots, one name per round; its ballots keep the file line they came from, so
    /// the officer can print the receipts again (a paper ballot has no voter to protect). The final-list vote keeps
    /// who voted apart from what, as the prioritisation vote does.
    /// </summary>
    private const string PaperBatchesAndFinalVote = """
        CREATE TABLE paper_batches (
            id          uuid PRIMARY KEY,
            round_id    uuid        NOT NULL REFERENCES voting_rounds (id),
            name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
            format      text        NOT NULL CHECK (format IN ('Csv', 'Pabulib')),
            ballots     int         NOT NULL CHECK (ballots > 0),
            sha256      text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
            imported_by text        NOT NULL,
            imported_at timestamptz NOT NULL,
            UNIQUE (round_id, name)
        );
        ALTER TABLE ballots
            ADD COLUMN batch_id  uuid NULL REFERENCES paper_batches (id),
            ADD COLUMN batch_row int  NULL CHECK (batch_row > 0),
            ADD CONSTRAINT ballots_batch_row CHECK ((batch_id IS NULL) = (batch_row IS NULL)),
            ADD CONSTRAINT ballots_batch_is_paper CHECK (batch_id IS NULL OR channel = 'Paper');
        CREATE UNIQUE INDEX ballots_by_batch_row ON ballots (batch_id, batch_row) WHERE batch_id IS NOT NULL;

        CREATE TABLE final_votes (
            id         uuid PRIMARY KEY,
            process_id uuid        NOT NULL REFERENCES processes (id),
            list_id    uuid        NOT NULL REFERENCES prioritized_lists (id),
            opened_at  timestamptz NOT NULL,
            closed_at  timestamptz NULL,
            approve    int         NULL CHECK (approve >= 0),
            reject     int         NULL CHECK (reject >= 0),
            abstain    int         NULL CHECK (abstain >= 0),
            approved   boolean     NULL,
            CHECK ((closed_at IS NULL) = (approved IS NULL) AND (approved IS NULL) = (approve IS NULL) AND (approve IS NULL) = (reject IS NULL) AND (reject IS NULL) = (abstain IS NULL)),
            CHECK (approved IS NULL OR approved = (approve > reject))
        );
        -- One open vote at a time, and a list approved once.
        CREATE UNIQUE INDEX final_votes_one_open ON final_votes (process_id) WHERE closed_at IS NULL;
        CREATE UNIQUE INDEX final_votes_one_approved ON final_votes (process_id) WHERE approved;
        CREATE TABLE final_voters (
            vote_id  uuid NOT NULL REFERENCES final_votes (id),
            agent_id uuid NOT NULL,
            PRIMARY KEY (vote_id, agent_id)
        );
        CREATE TABLE final_ballots (
            id      uuid PRIMARY KEY,
            vote_id uuid NOT NULL REFERENCES final_votes (id),
            receipt text NOT NULL UNIQUE CHECK (receipt ~ '^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$'),
            choice  text NOT NULL CHECK (choice IN ('Approve', 'Reject', 'Abstain'))
        );
        CREATE INDEX final_ballots_by_vote ON final_ballots (vote_id);
        """;

    /// <summary>
    /// Every version of a proposal, the first one included, each with the technical team's verdict on it once
    /// given; the proposals row holds the current version and its verdict, which the vote and the list read.
    /// </summary>
    private const string ProposalVersions = """
        CREATE TABLE proposal_versions (
            proposal_id    uuid          NOT NULL REFERENCES proposals (id),
            version        int           NOT NULL CHECK (version > 0),
            title          text          NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
            description    text          NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
            cost           numeric(16,2) NOT NULL CHECK (cost > 0),
            location       text          NOT NULL CHECK (length(location) BETWEEN 1 AND 200),
            beneficiaries  int           NOT NULL CHECK (beneficiaries > 0),
            plan_objective text          NOT NULL CHECK (length(plan_objective) BETWEEN 1 AND 200),
            created_at     timestamptz   NOT NULL,
            recommendation text          NULL CHECK (recommendation IN ('Viable', 'ViableAtAdjustedCost', 'Observed', 'NotViable')),
            score          numeric(6,2)  NULL CHECK (score BETWEEN 0 AND 100),
            adjusted_cost  numeric(16,2) NULL CHECK (adjusted_cost > 0),
            assessment_reasons text      NULL,
            assessed_at    timestamptz   NULL,
            PRIMARY KEY (proposal_id, version),
            CHECK ((recommendation IS NULL) = (assessed_at IS NULL) AND (recommendation IS NULL) = (assessment_reasons IS NULL)),
            CHECK ((recommendation IS NOT DISTINCT FROM 'ViableAtAdjustedCost') = (adjusted_cost IS NOT NULL))
        );
        -- Proposals submitted before versions existed are their version 1, with the verdict they had.
        INSERT INTO proposal_versions (proposal_id, version, title, description, cost, location, beneficiaries, plan_objective, created_at,
                                       recommendation, score, assessment_reasons, assessed_at)
        SELECT id, 1, title, description, cost, location, beneficiaries, plan_objective, submitted_at,
               CASE status WHEN 'Submitted' THEN NULL ELSE status END, CASE status WHEN 'Submitted' THEN NULL ELSE score END,
               CASE status WHEN 'Submitted' THEN NULL ELSE coalesce(assessment_reasons, '') END, CASE status WHEN 'Submitted' THEN NULL ELSE submitted_at END
        FROM proposals;

        ALTER TABLE proposals
            ADD COLUMN version int NOT NULL DEFAULT 1,
            ADD COLUMN recommendation text NULL,
            ADD COLUMN adjusted_cost numeric(16,2) NULL CHECK (adjusted_cost > 0),
            ADD COLUMN withdrawal_reason text NULL;
        UPDATE proposals SET recommendation = status WHERE status IN ('Viable', 'NotViable');
        ALTER TABLE proposals
            ADD CONSTRAINT proposals_status CHECK (status IN ('Submitted', 'Viable', 'NotViable', 'Observed', 'Withdrawn')),
            -- The status follows the verdict on the current version: only a viable one puts a proposal to the vote and the list.
            ADD CONSTRAINT proposals_verdict CHECK (CASE status
                WHEN 'Submitted' THEN recommendation IS NULL
                WHEN 'Viable' THEN recommendation IN ('Viable', 'ViableAtAdjustedCost')
                WHEN 'NotViable' THEN recommendation = 'NotViable'
                WHEN 'Observed' THEN recommendation = 'Observed'
                ELSE recommendation IS NULL OR recommendation IN ('Viable', 'ViableAtAdjustedCost', 'Observed', 'NotViable') END),
            ADD CONSTRAINT proposals_adjusted_cost CHECK ((recommendation IS NOT DISTINCT FROM 'ViableAtAdjustedCost') = (adjusted_cost IS NOT NULL)),
            ADD CONSTRAINT proposals_withdrawal CHECK ((status = 'Withdrawn') = (withdrawal_reason IS NOT NULL)),
            -- The current version is always one of the kept versions (checked at commit: both rows are written in one transaction).
            ADD CONSTRAINT proposals_current_version FOREIGN KEY (id, version) REFERENCES proposal_versions (proposal_id, version) DEFERRABLE INITIALLY DEFERRED;
        """;

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
    /// Workshops on the calendar, each agent's attendance once (a primary key), and minutes as versions: what
    /// is recorded of a workshop is never changed or deleted, a correction is the next version with its reason.
    /// </summary>
    /// <summary>
    /// The list coordination closed (ListCoordinated), kept as it arrived: its id is the prioritised list's, and it may hold
    /// projects escalated from the processes below, which are not this service's proposals of this process.
    /// </summary>
    private const string CoordinatedLists = """
        ALTER TABLE proposals ADD COLUMN districts text[] NOT NULL DEFAULT '{}';
        ALTER TABLE proposal_versions ADD COLUMN districts text[] NOT NULL DEFAULT '{}';
        CREATE TABLE coordinated_lists (
            list_id         uuid PRIMARY KEY REFERENCES prioritized_lists (id),
            process_id      uuid          NOT NULL UNIQUE REFERENCES processes (id),
            own_commitment  numeric(16,2) NOT NULL CHECK (own_commitment >= 0),
            decisions       int           NOT NULL CHECK (decisions >= 0),
            received_at     timestamptz   NOT NULL
        );
        CREATE TABLE coordinated_list_items (
            list_id      uuid          NOT NULL REFERENCES coordinated_lists (list_id),
            proposal_id  uuid          NOT NULL,
            title        text          NOT NULL,
            cost         numeric(16,2) NOT NULL CHECK (cost > 0),
            score        numeric(6,2)  NOT NULL,
            rank         int           NOT NULL CHECK (rank > 0),
            PRIMARY KEY (list_id, proposal_id),
            UNIQUE (list_id, rank)
        );
        """;

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
