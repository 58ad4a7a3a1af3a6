using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Processes;

namespace PBServices.Coordination.Infrastructure;

/// <summary>The service's schema as numbered migrations; a shipped migration never changes, the next change is the next number.</summary>
internal static class CoordinationSchema
{
    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new(1, "baseline", BuildingBlockSchema.OutboxAndInbox, Baseline),
        new(2, "audit log", AuditSchema.Sql),
        new(3, "trace context and stage copy", BuildingBlockSchema.OutboxTraceContext, ProcessStageStore.Schema),
        new(4, "coordination between levels: items, decisions, impact rules, co-financing", Levels),
        new(5, "formalization: agents, final vote, oversight committee election, the acta, its signatures and approvals", Formalization),
        new(6, "the technical assessment each proposal's dossier states to the Ministry", ProposalAssessment),
    ];

    /// <summary>The latest assessment of a proposal (the version it assessed decides which is latest), for the formalized list's dossier.</summary>
    private const string ProposalAssessment = """
        ALTER TABLE proposals
            ADD COLUMN assessment_recommendation text NULL CHECK (assessment_recommendation IN ('Viable', 'ViableAtAdjustedCost', 'Observed', 'NotViable')),
            ADD COLUMN assessment_adjusted_cost numeric(16,2) NULL CHECK (assessment_adjusted_cost > 0),
            ADD COLUMN assessment_version int NULL CHECK (assessment_version > 0),
            ADD CONSTRAINT proposals_assessment_whole CHECK ((assessment_recommendation IS NULL) = (assessment_version IS NULL)),
            ADD CONSTRAINT proposals_adjusted_cost_when_adjusted
                CHECK ((assessment_recommendation = 'ViableAtAdjustedCost') = (assessment_adjusted_cost IS NOT NULL));
        """;

    /// <summary>
    /// The formalization workshop. The acta's versions and signatures are append-only; a version is the SHA-256 of
    /// its canonical content (checked by the database), a new version is refused once any version is signed, and a
    /// signature names the current version. One ballot per agent, one signature per person, one approval per body:
    /// primary keys. The approvals need an authority's and an agent's signature first.
    /// </summary>
    private const string Formalization = """
        CREATE TABLE process_rules (
            process_id  uuid PRIMARY KEY,
            rules       jsonb NULL
        );

        CREATE TABLE accredited_agents (
            agent_id      uuid PRIMARY KEY,
            process_id    uuid    NOT NULL,
            full_name     text    NOT NULL,
            organisation  text    NOT NULL,
            territory     text    NULL CHECK (territory ~ '^[0-9]{6}$'),
            groups        text[]  NOT NULL DEFAULT '{}',
            revoked       boolean NOT NULL DEFAULT false,
            UNIQUE (process_id, agent_id)
        );

        -- The agents' approval of the final list (FinalListVoted): one per process.
        CREATE TABLE final_votes (
            process_id    uuid PRIMARY KEY,
            list_id       uuid        NOT NULL REFERENCES lists (id),
            vote_id       uuid        NOT NULL,
            approve       int         NOT NULL CHECK (approve > reject),
            reject        int         NOT NULL CHECK (reject >= 0),
            abstain       int         NOT NULL CHECK (abstain >= 0),
            voted_at      timestamptz NOT NULL,
            proposal_ids  uuid[]      NOT NULL
        );

        -- Who the officer records present at the formalization workshop: accredited agents only.
        CREATE TABLE workshop_present (
            process_id   uuid        NOT NULL,
            agent_id     uuid        NOT NULL,
            recorded_by  text        NOT NULL,
            recorded_at  timestamptz NOT NULL,
            PRIMARY KEY (process_id, agent_id),
            FOREIGN KEY (process_id, agent_id) REFERENCES accredited_agents (process_id, agent_id)
        );

        CREATE TABLE committee_elections (
            process_id  uuid PRIMARY KEY,
            seats       int         NOT NULL CHECK (seats >= 4),
            opened_at   timestamptz NOT NULL,
            closed_at   timestamptz NULL,
            closed_by   text        NULL,
            CONSTRAINT elections_closed_by CHECK ((closed_at IS NULL) = (closed_by IS NULL))
        );
        CREATE TABLE committee_candidates (
            process_id    uuid        NOT NULL REFERENCES committee_elections (process_id),
            agent_id      uuid        NOT NULL,
            residence     text        NOT NULL CHECK (residence ~ '^[0-9]{6}$'),
            groups        text[]      NOT NULL,
            nominated_by  text        NOT NULL,
            nominated_at  timestamptz NOT NULL,
            PRIMARY KEY (process_id, agent_id),
            FOREIGN KEY (process_id, agent_id) REFERENCES accredited_agents (process_id, agent_id)
        );
        -- One ballot per agent present; who voted is never published, only the count per candidate.
        CREATE TABLE committee_ballots (
            process_id  uuid        NOT NULL REFERENCES committee_elections (process_id),
            voter_id    uuid        NOT NULL,
            candidates  uuid[]      NOT NULL CHECK (cardinality(candidates) > 0),
            cast_at     timestamptz NOT NULL,
            PRIMARY KEY (process_id, voter_id),
            FOREIGN KEY (process_id, voter_id) REFERENCES workshop_present (process_id, agent_id)
        );
        CREATE TABLE committee_members (
            process_id  uuid NOT NULL REFERENCES committee_elections (process_id),
            seat        int  NOT NULL CHECK (seat > 0),
            agent_id    uuid NOT NULL,
            votes       int  NOT NULL CHECK (votes >= 0),
            quota       text NULL CHECK (quota IN ('Women', 'Youth', 'Indigenous')),
            PRIMARY KEY (process_id, seat),
            UNIQUE (process_id, agent_id),
            FOREIGN KEY (process_id, agent_id) REFERENCES committee_candidates (process_id, agent_id)
        );
        -- Nominations close with the first ballot, and everything closes with the result.
        CREATE FUNCTION committee_open() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (SELECT closed_at FROM committee_elections WHERE process_id = NEW.process_id) IS NOT NULL THEN
                RAISE EXCEPTION 'the oversight committee is elected' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            IF TG_TABLE_NAME = 'committee_candidates' AND EXISTS (SELECT 1 FROM committee_ballots WHERE process_id = NEW.process_id) THEN
                RAISE EXCEPTION 'nominations closed with the first ballot' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER candidates_open BEFORE INSERT ON committee_candidates FOR EACH ROW EXECUTE FUNCTION committee_open();
        CREATE TRIGGER ballots_open BEFORE INSERT ON committee_ballots FOR EACH ROW EXECUTE FUNCTION committee_open();
        CREATE FUNCTION committee_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
        END $$;
        CREATE TRIGGER candidates_fixed BEFORE UPDATE OR DELETE ON committee_candidates FOR EACH STATEMENT EXECUTE FUNCTION committee_fixed();
        CREATE TRIGGER ballots_fixed BEFORE UPDATE OR DELETE ON committee_ballots FOR EACH STATEMENT EXECUTE FUNCTION committee_fixed();
        CREATE TRIGGER members_fixed BEFORE UPDATE OR DELETE ON committee_members FOR EACH STATEMENT EXECUTE FUNCTION committee_fixed();

        CREATE TABLE actas (
            process_id    uuid        NOT NULL,
            version       int         NOT NULL CHECK (version > 0),
            number        text        NOT NULL CHECK (length(btrim(number)) > 0),
            content       text        NOT NULL,
            content_hash  text        NOT NULL,
            drawn_by      text        NOT NULL,
            drawn_at      timestamptz NOT NULL,
            PRIMARY KEY (process_id, version),
            UNIQUE (process_id, version, content_hash),
            CONSTRAINT actas_hash CHECK (content_hash = encode(sha256(convert_to(content, 'UTF8')), 'hex'))
        );
        CREATE TABLE acta_signatures (
            process_id    uuid        NOT NULL,
            signer        text        NOT NULL,
            role          text        NOT NULL CHECK (role IN ('council', 'coordination-council', 'process-admin', 'agent')),
            name          text        NOT NULL,
            version       int         NOT NULL,
            content_hash  text        NOT NULL,
            signed_at     timestamptz NOT NULL,
            -- One signature per person, however many requests arrive at once.
            PRIMARY KEY (process_id, signer),
            FOREIGN KEY (process_id, version, content_hash) REFERENCES actas (process_id, version, content_hash)
        );
        CREATE TABLE acta_approvals (
            process_id   uuid        NOT NULL,
            body         text        NOT NULL CHECK (body IN ('CoordinationCouncil', 'Council')),
            approved_by  text        NOT NULL,
            approved_at  timestamptz NOT NULL,
            PRIMARY KEY (process_id, body)
        );
        CREATE FUNCTION acta_versions() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM acta_signatures WHERE process_id = NEW.process_id) THEN
                RAISE EXCEPTION 'the acta is signed: it never changes' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            IF NEW.version <> coalesce((SELECT max(version) FROM actas WHERE process_id = NEW.process_id), 0) + 1 THEN
                RAISE EXCEPTION 'acta versions follow each other' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER actas_versions BEFORE INSERT ON actas FOR EACH ROW EXECUTE FUNCTION acta_versions();
        CREATE FUNCTION signature_of_current() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.version <> (SELECT max(version) FROM actas WHERE process_id = NEW.process_id) THEN
                RAISE EXCEPTION 'a signature is over the current version of the acta' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            IF EXISTS (SELECT 1 FROM acta_approvals WHERE process_id = NEW.process_id GROUP BY process_id HAVING count(*) = 2) THEN
                RAISE EXCEPTION 'the acta is approved: signatures are closed' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER signatures_current BEFORE INSERT ON acta_signatures FOR EACH ROW EXECUTE FUNCTION signature_of_current();
        CREATE FUNCTION approval_after_signatures() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM acta_signatures WHERE process_id = NEW.process_id AND role = 'agent')
               OR NOT EXISTS (SELECT 1 FROM acta_signatures WHERE process_id = NEW.process_id AND role <> 'agent') THEN
                RAISE EXCEPTION 'the acta is approved once an authority and an agent have signed it' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER approvals_after_signatures BEFORE INSERT ON acta_approvals FOR EACH ROW EXECUTE FUNCTION approval_after_signatures();
        CREATE TRIGGER actas_fixed BEFORE UPDATE OR DELETE ON actas FOR EACH STATEMENT EXECUTE FUNCTION committee_fixed();
        CREATE TRIGGER signatures_fixed BEFORE UPDATE OR DELETE ON acta_signatures FOR EACH STATEMENT EXECUTE FUNCTION committee_fixed();
        CREATE TRIGGER approvals_fixed BEFORE UPDATE OR DELETE ON acta_approvals FOR EACH STATEMENT EXECUTE FUNCTION committee_fixed();
        """;

    /// <summary>
    /// The agents' list stays as received (list_projects); the coordinated list is its items, changed only by
    /// decisions, which are append-only. A co-financing agreement's shares add up to its project's cost, and what a
    /// government commits (its included projects without an agreement, and its shares in any list) stays within its
    /// ceiling: both checked at commit by constraint triggers, with the committing government's list row locked.
    /// </summary>
    private const string Levels = """
        ALTER TABLE lists
            ADD CONSTRAINT lists_status CHECK (status IN ('Received', 'Coordinated', 'Formalized')),
            ADD CONSTRAINT lists_ceiling CHECK (budget_ceiling > 0),
            ADD COLUMN coordinated_at timestamptz NULL,
            ADD COLUMN coordinated_by text NULL;
        CREATE INDEX lists_by_year ON lists (fiscal_year, jurisdiction);

        -- Proposals as deliberation published them (newest version), and the technical team's finding on the level.
        CREATE TABLE proposals (
            proposal_id     uuid PRIMARY KEY,
            process_id      uuid          NOT NULL,
            jurisdiction    text          NOT NULL,
            version         int           NOT NULL CHECK (version > 0),
            title           text          NOT NULL,
            cost            numeric(16,2) NOT NULL,
            location        text          NOT NULL,
            beneficiaries   int           NOT NULL,
            plan_objective  text          NOT NULL,
            districts       text[]        NOT NULL DEFAULT '{}',
            competence      text          NULL CHECK (competence IN ('District', 'Province', 'Region'))
        );

        -- What a level counts as of wider impact, for its own list and the lists below it.
        CREATE TABLE impact_rules (
            process_id       uuid PRIMARY KEY REFERENCES process_stages (process_id),
            cost_threshold   numeric(16,2) NULL CHECK (cost_threshold > 0),
            multi_district   boolean       NOT NULL,
            plan_objectives  text[]        NOT NULL DEFAULT '{}',
            set_by           text          NOT NULL,
            set_at           timestamptz   NOT NULL
        );

        CREATE TABLE items (
            list_id         uuid          NOT NULL REFERENCES lists (id),
            proposal_id     uuid          NOT NULL,
            -- The list whose agents prioritised it: this list, or a lower one it was escalated from.
            origin_list_id  uuid          NOT NULL REFERENCES lists (id),
            title           text          NOT NULL,
            cost            numeric(16,2) NOT NULL CHECK (cost > 0),
            score           numeric(6,2)  NOT NULL,
            agreed_rank     int           NULL CHECK (agreed_rank > 0),
            rank            int           NULL CHECK (rank > 0),
            status          text          NOT NULL CHECK (status IN ('Included', 'Dropped', 'Escalated', 'Merged')),
            merged_into     uuid          NULL,
            PRIMARY KEY (list_id, proposal_id),
            CONSTRAINT items_rank_when_included CHECK ((status = 'Included') = (rank IS NOT NULL)),
            CONSTRAINT items_merged_into CHECK ((status = 'Merged') = (merged_into IS NOT NULL)),
            CONSTRAINT items_one_rank UNIQUE (list_id, rank) DEFERRABLE INITIALLY DEFERRED
        );
        -- A project counts in one list only: escalated, it leaves the list below.
        CREATE UNIQUE INDEX items_included_once ON items (proposal_id) WHERE status = 'Included';
        INSERT INTO items (list_id, proposal_id, origin_list_id, title, cost, score, agreed_rank, rank, status)
            SELECT list_id, proposal_id, list_id, title, cost, score, rank, rank, 'Included' FROM list_projects;

        CREATE TABLE decisions (
            id           uuid PRIMARY KEY,
            list_id      uuid        NOT NULL REFERENCES lists (id),
            proposal_id  uuid        NULL,
            kind         text        NOT NULL CHECK (kind IN ('Drop', 'Reorder', 'Alter', 'Escalate', 'Include', 'Merge')),
            details      jsonb       NOT NULL,
            reason       text        NOT NULL CHECK (length(btrim(reason)) > 0),
            author       text        NOT NULL,
            role         text        NOT NULL,
            decided_at   timestamptz NOT NULL
        );
        CREATE INDEX decisions_by_list ON decisions (list_id, decided_at);
        CREATE FUNCTION decisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'decisions are append-only: a decision is corrected by another decision' USING ERRCODE = 'integrity_constraint_violation';
        END $$;
        CREATE TRIGGER decisions_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON decisions
            FOR EACH STATEMENT EXECUTE FUNCTION decisions_append_only();

        CREATE TABLE cofinancing_agreements (
            id           uuid PRIMARY KEY,
            list_id      uuid          NOT NULL,
            proposal_id  uuid          NOT NULL,
            total        numeric(16,2) NOT NULL CHECK (total > 0),
            agreed_by    text          NOT NULL,
            agreed_at    timestamptz   NOT NULL,
            UNIQUE (list_id, proposal_id),
            FOREIGN KEY (list_id, proposal_id) REFERENCES items (list_id, proposal_id)
        );
        CREATE TABLE cofinancing_shares (
            agreement_id  uuid          NOT NULL REFERENCES cofinancing_agreements (id) ON DELETE CASCADE,
            position      int           NOT NULL CHECK (position > 0),
            party_kind    text          NOT NULL CHECK (party_kind IN ('Government', 'Community', 'Organisation', 'Company')),
            party         text          NOT NULL CHECK (length(btrim(party)) > 0),
            -- A government pays from the ceiling of its own process of the same fiscal year.
            process_id    uuid          NULL,
            contribution  text          NOT NULL CHECK (contribution IN ('Money', 'Materials', 'Labour')),
            amount        numeric(16,2) NOT NULL CHECK (amount > 0),
            commitment    text          NULL,
            PRIMARY KEY (agreement_id, position),
            CONSTRAINT shares_government_process CHECK ((party_kind = 'Government') = (process_id IS NOT NULL)),
            CONSTRAINT shares_government_money CHECK (party_kind <> 'Government' OR contribution = 'Money')
        );
        CREATE UNIQUE INDEX shares_one_per_government ON cofinancing_shares (agreement_id, process_id) WHERE process_id IS NOT NULL;

        -- What a government has committed: its included projects without an agreement, and its shares of agreements on included projects.
        CREATE FUNCTION government_commitment(p uuid) RETURNS numeric LANGUAGE sql STABLE AS $$
            SELECT coalesce((SELECT sum(i.cost) FROM items i JOIN lists l ON l.id = i.list_id
                             WHERE l.process_id = p AND i.status = 'Included'
                               AND NOT EXISTS (SELECT 1 FROM cofinancing_agreements a WHERE a.list_id = i.list_id AND a.proposal_id = i.proposal_id)), 0)
                 + coalesce((SELECT sum(s.amount) FROM cofinancing_shares s JOIN cofinancing_agreements a ON a.id = s.agreement_id
                             JOIN items i ON i.list_id = a.list_id AND i.proposal_id = a.proposal_id
                             WHERE s.process_id = p AND i.status = 'Included'), 0)
        $$;

        CREATE FUNCTION cofinancing_adds_up() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE a record; shares numeric; cost numeric;
        BEGIN
            SELECT * INTO a FROM cofinancing_agreements WHERE id = coalesce(NEW.agreement_id, OLD.agreement_id);
            IF NOT FOUND THEN RETURN NULL; END IF;
            SELECT coalesce(sum(amount), 0) INTO shares FROM cofinancing_shares WHERE agreement_id = a.id;
            SELECT i.cost INTO cost FROM items i WHERE i.list_id = a.list_id AND i.proposal_id = a.proposal_id;
            IF shares <> cost OR a.total <> cost THEN
                RAISE EXCEPTION 'co-financing shares add up to %, the project costs %', shares, cost USING ERRCODE = 'check_violation';
            END IF;
            RETURN NULL;
        END $$;
        CREATE CONSTRAINT TRIGGER cofinancing_adds_up AFTER INSERT OR UPDATE OR DELETE ON cofinancing_shares
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cofinancing_adds_up();

        CREATE FUNCTION within_ceiling(p uuid) RETURNS void LANGUAGE plpgsql AS $$
        DECLARE ceiling numeric; committed numeric;
        BEGIN
            IF p IS NULL THEN RETURN; END IF;
            SELECT budget_ceiling INTO ceiling FROM lists WHERE process_id = p FOR UPDATE;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'no list of process % to charge', p USING ERRCODE = 'foreign_key_violation';
            END IF;
            committed := government_commitment(p);
            IF committed > ceiling THEN
                RAISE EXCEPTION 'process % would commit % of its ceiling of %', p, committed, ceiling USING ERRCODE = 'check_violation';
            END IF;
        END $$;
        CREATE FUNCTION shares_within_ceiling() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM within_ceiling(NEW.process_id);
            RETURN NULL;
        END $$;
        CREATE CONSTRAINT TRIGGER shares_within_ceiling AFTER INSERT OR UPDATE ON cofinancing_shares
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION shares_within_ceiling();
        CREATE FUNCTION items_within_ceiling() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.status = 'Included' THEN
                PERFORM within_ceiling((SELECT process_id FROM lists WHERE id = NEW.list_id));
                PERFORM within_ceiling(s.process_id) FROM cofinancing_shares s JOIN cofinancing_agreements a ON a.id = s.agreement_id
                    WHERE a.list_id = NEW.list_id AND a.proposal_id = NEW.proposal_id;
            END IF;
            RETURN NULL;
        END $$;
        CREATE CONSTRAINT TRIGGER items_within_ceiling AFTER INSERT OR UPDATE ON items
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION items_within_ceiling();

        -- Nothing of a list changes once it is coordinated, except by its formalization.
        CREATE FUNCTION items_open() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (SELECT status FROM lists WHERE id = coalesce(NEW.list_id, OLD.list_id)) <> 'Received' THEN
                RAISE EXCEPTION 'the list is coordinated: its items no longer change' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN coalesce(NEW, OLD);
        END $$;
        CREATE TRIGGER items_open BEFORE UPDATE OR DELETE ON items FOR EACH ROW EXECUTE FUNCTION items_open();
        """;

    /// <summary>What the service created before migrations existed, unchanged, so such a database upgrades in place.</summary>
    private const string Baseline = """
        CREATE TABLE IF NOT EXISTS lists (
            id              uuid PRIMARY KEY,
            process_id      uuid          NOT NULL UNIQUE,
            jurisdiction    text          NOT NULL,
            level           text          NOT NULL,
            fiscal_year     int           NOT NULL,
            budget_ceiling  numeric(16,2) NOT NULL,
            rule            text          NOT NULL,
            status          text          NOT NULL,
            acta_reference  text          NULL,
            approved_at     timestamptz   NULL,
            approved_by     text          NULL,
            received_at     timestamptz   NOT NULL
        );
        CREATE TABLE IF NOT EXISTS list_projects (
            list_id      uuid          NOT NULL REFERENCES lists (id),
            proposal_id  uuid          NOT NULL,
            title        text          NOT NULL,
            cost         numeric(16,2) NOT NULL,
            score        numeric(6,2)  NOT NULL,
            rank         int           NOT NULL,
            PRIMARY KEY (list_id, proposal_id),
            UNIQUE (list_id, rank)
        );
        """;
}
