using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;

namespace PBServices.Oversight.Infrastructure;

/// <summary>The service's schema as numbered migrations; a shipped migration never changes, the next change is the next number.</summary>
internal static class OversightSchema
{
    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new(1, "baseline: outbox, inbox, audit log", BuildingBlockSchema.OutboxAndInbox, BuildingBlockSchema.OutboxTraceContext, AuditSchema.Sql),
        new(2, "oversight: processes and their settings, the committee, agreed projects, budget, milestones, evidence, changes, contributions, findings", Oversight),
    ];

    /// <summary>
    /// What the database holds to whatever the code says: one row per agreed project of a formalized list, its co-financing as
    /// agreed (contributions reference it, so nothing is recorded against a party that agreed nothing), budget entries that
    /// name a code and an amount when included and a reason when left out, milestones whose spending never exceeds what is
    /// committed and never goes beyond the project's agreed cost without a recorded reason (trigger), one milestone of each
    /// kind but progress, changes that say who decided and why, and findings whose answers and escalation are time-stamped.
    /// Append-only tables refuse UPDATE and DELETE.
    /// </summary>
    private const string Oversight = """
        CREATE TABLE processes (
            process_id       uuid PRIMARY KEY,
            jurisdiction     text NOT NULL CHECK (jurisdiction ~ '^[0-9]{6}$'),
            name             text NOT NULL,
            level            text NOT NULL CHECK (level IN ('District', 'Province', 'Region')),
            fiscal_year      int  NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2100),
            -- The settings the process-admin sets; the defaults are the law's calendar (the PIA is approved before the fiscal year).
            budget_deadline  date NOT NULL,
            answer_days      int  NOT NULL DEFAULT 15 CHECK (answer_days BETWEEN 1 AND 90),
            stale_days       int  NOT NULL DEFAULT 60 CHECK (stale_days BETWEEN 7 AND 365),
            term_ends        date NOT NULL,
            list_id          uuid NULL,
            acta_reference   text NULL,
            formalized_at    timestamptz NULL,
            CONSTRAINT processes_formalized_whole CHECK ((list_id IS NULL) = (formalized_at IS NULL))
        );
        CREATE INDEX processes_by_jurisdiction ON processes (jurisdiction, fiscal_year);

        CREATE TABLE committee_members (
            process_id    uuid NOT NULL REFERENCES processes (process_id),
            seat          int  NOT NULL CHECK (seat > 0),
            agent_id      uuid NOT NULL,
            full_name     text NOT NULL,
            organisation  text NOT NULL,
            quota         text NULL,
            term_from     date NOT NULL,
            PRIMARY KEY (process_id, seat),
            UNIQUE (process_id, agent_id)
        );

        CREATE TABLE projects (
            proposal_id      uuid PRIMARY KEY,
            process_id       uuid NOT NULL REFERENCES processes (process_id),
            rank             int  NOT NULL CHECK (rank > 0),
            title            text NOT NULL,
            agreed_cost      numeric(16,2) NOT NULL CHECK (agreed_cost > 0),
            own_share        numeric(16,2) NOT NULL CHECK (own_share >= 0 AND own_share <= agreed_cost),
            plan_objective   text NULL,
            -- The cost after a recorded re-scoping; the agreed cost until then.
            current_cost     numeric(16,2) NOT NULL CHECK (current_cost > 0),
            postponed_to     int  NULL,
            split_parts      int  NULL CHECK (split_parts >= 2),
            executor_kind    text NOT NULL DEFAULT 'Government' CHECK (executor_kind IN ('Government', 'Organisation')),
            executor_name    text NULL,
            executor_agreement text NULL,
            ministry_approved  boolean NULL,
            ministry_amount    numeric(16,2) NULL CHECK (ministry_amount >= 0),
            ministry_reason    text NULL,
            ministry_decided_at timestamptz NULL,
            UNIQUE (process_id, rank),
            CONSTRAINT projects_executor CHECK ((executor_kind = 'Organisation') = (executor_name IS NOT NULL)
                AND (executor_name IS NULL) = (executor_agreement IS NULL)),
            CONSTRAINT projects_ministry_whole CHECK ((ministry_approved IS NULL) = (ministry_decided_at IS NULL))
        );

        CREATE TABLE cofinancing (
            proposal_id   uuid NOT NULL REFERENCES projects (proposal_id),
            party_kind    text NOT NULL CHECK (party_kind IN ('Government', 'Community', 'Organisation', 'Company')),
            party         text NOT NULL,
            contribution  text NOT NULL CHECK (contribution IN ('Money', 'Materials', 'Labour')),
            amount        numeric(16,2) NOT NULL CHECK (amount > 0),
            PRIMARY KEY (proposal_id, party_kind, party, contribution)
        );

        -- The opening budget (PIA): the latest entry is the project's standing; earlier ones stay as its history.
        CREATE TABLE budget_entries (
            id            uuid PRIMARY KEY,
            proposal_id   uuid NOT NULL REFERENCES projects (proposal_id),
            included      boolean NOT NULL,
            budget_code   text NULL CHECK (budget_code ~ '^[0-9]{7}$'),
            amount        numeric(16,2) NULL CHECK (amount > 0),
            reason        text NULL CHECK (length(reason) > 0),
            recorded_by   text NOT NULL,
            recorded_at   timestamptz NOT NULL,
            CONSTRAINT budget_included_whole CHECK (included = (budget_code IS NOT NULL) AND included = (amount IS NOT NULL)),
            CONSTRAINT budget_left_out_reason CHECK (included OR reason IS NOT NULL)
        );
        CREATE INDEX budget_entries_by_project ON budget_entries (proposal_id, recorded_at);

        CREATE TABLE milestones (
            id               uuid PRIMARY KEY,
            proposal_id      uuid NOT NULL REFERENCES projects (proposal_id),
            kind             text NOT NULL CHECK (kind IN ('TechnicalFile', 'Tender', 'WorksStart', 'Progress', 'Completion', 'Handover')),
            on_date          date NOT NULL,
            progress         int  NOT NULL CHECK (progress BETWEEN 0 AND 100),
            committed        numeric(16,2) NOT NULL CHECK (committed >= 0),
            spent            numeric(16,2) NOT NULL CHECK (spent >= 0),
            overspend_reason text NULL CHECK (length(overspend_reason) > 0),
            note             text NULL,
            recorded_by      text NOT NULL,
            recorded_at      timestamptz NOT NULL,
            CONSTRAINT milestones_spent_within_committed CHECK (spent <= committed),
            CONSTRAINT milestones_completion_whole CHECK (kind NOT IN ('Completion', 'Handover') OR progress = 100)
        );
        CREATE UNIQUE INDEX milestones_once ON milestones (proposal_id, kind) WHERE kind <> 'Progress';
        CREATE INDEX milestones_by_project ON milestones (proposal_id, on_date, recorded_at);

        -- Spending beyond what was agreed (the cost after any recorded re-scoping) is a fact the committee must read the reason for.
        CREATE FUNCTION milestones_overspend() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE agreed numeric;
        BEGIN
            SELECT current_cost INTO agreed FROM projects WHERE proposal_id = NEW.proposal_id;
            IF NEW.spent > agreed AND NEW.overspend_reason IS NULL THEN
                RAISE EXCEPTION 'spent % beyond the agreed % without a recorded reason', NEW.spent, agreed USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER milestones_overspend BEFORE INSERT ON milestones FOR EACH ROW EXECUTE FUNCTION milestones_overspend();

        CREATE TABLE evidence (
            id            uuid PRIMARY KEY,
            proposal_id   uuid NOT NULL REFERENCES projects (proposal_id),
            milestone_id  uuid NULL REFERENCES milestones (id),
            description   text NOT NULL,
            content_type  text NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
            size          int  NOT NULL CHECK (size BETWEEN 1 AND 10485760),
            sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
            content       bytea NOT NULL,
            recorded_by   text NOT NULL,
            recorded_at   timestamptz NOT NULL,
            CONSTRAINT evidence_size CHECK (size = length(content))
        );

        CREATE TABLE changes (
            id            uuid PRIMARY KEY,
            proposal_id   uuid NOT NULL REFERENCES projects (proposal_id),
            kind          text NOT NULL CHECK (kind IN ('Split', 'Rescoped', 'Postponed')),
            decided_by    text NOT NULL CHECK (length(decided_by) > 0),
            reason        text NOT NULL CHECK (length(reason) > 0),
            new_cost      numeric(16,2) NULL CHECK (new_cost > 0),
            postponed_to  int  NULL,
            parts         jsonb NULL,
            recorded_by   text NOT NULL,
            recorded_at   timestamptz NOT NULL,
            CONSTRAINT changes_rescoped CHECK ((kind = 'Rescoped') = (new_cost IS NOT NULL)),
            CONSTRAINT changes_postponed CHECK ((kind = 'Postponed') = (postponed_to IS NOT NULL)),
            CONSTRAINT changes_split CHECK ((kind = 'Split') = (parts IS NOT NULL))
        );

        CREATE TABLE contributions (
            id            uuid PRIMARY KEY,
            proposal_id   uuid NOT NULL,
            party_kind    text NOT NULL,
            party         text NOT NULL,
            contribution  text NOT NULL,
            amount        numeric(16,2) NOT NULL CHECK (amount > 0),
            on_date       date NOT NULL,
            note          text NULL,
            recorded_by   text NOT NULL,
            recorded_at   timestamptz NOT NULL,
            FOREIGN KEY (proposal_id, party_kind, party, contribution) REFERENCES cofinancing (proposal_id, party_kind, party, contribution)
        );

        CREATE TABLE findings (
            id                 uuid PRIMARY KEY,
            process_id         uuid NOT NULL REFERENCES processes (process_id),
            proposal_id        uuid NULL REFERENCES projects (proposal_id),
            kind               text NOT NULL CHECK (kind IN ('Finding', 'InformationRequest')),
            text               text NOT NULL CHECK (length(text) > 0),
            raised_by          uuid NOT NULL,
            raised_at          timestamptz NOT NULL,
            answer_due         timestamptz NOT NULL CHECK (answer_due > raised_at),
            escalated_by       uuid NULL,
            escalated_at       timestamptz NULL,
            escalation_reason  text NULL,
            FOREIGN KEY (process_id, raised_by) REFERENCES committee_members (process_id, agent_id),
            CONSTRAINT findings_escalation_whole CHECK ((escalated_at IS NULL) = (escalated_by IS NULL) AND (escalated_at IS NULL) = (escalation_reason IS NULL))
        );
        CREATE TABLE finding_answers (
            id           uuid PRIMARY KEY,
            finding_id   uuid NOT NULL REFERENCES findings (id),
            text         text NOT NULL CHECK (length(text) > 0),
            answered_by  text NOT NULL,
            answered_at  timestamptz NOT NULL
        );

        CREATE FUNCTION oversight_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
        END $$;
        CREATE TRIGGER budget_entries_append_only BEFORE UPDATE OR DELETE ON budget_entries FOR EACH ROW EXECUTE FUNCTION oversight_append_only();
        CREATE TRIGGER milestones_append_only BEFORE UPDATE OR DELETE ON milestones FOR EACH ROW EXECUTE FUNCTION oversight_append_only();
        CREATE TRIGGER evidence_append_only BEFORE UPDATE OR DELETE ON evidence FOR EACH ROW EXECUTE FUNCTION oversight_append_only();
        CREATE TRIGGER changes_append_only BEFORE UPDATE OR DELETE ON changes FOR EACH ROW EXECUTE FUNCTION oversight_append_only();
        CREATE TRIGGER contributions_append_only BEFORE UPDATE OR DELETE ON contributions FOR EACH ROW EXECUTE FUNCTION oversight_append_only();
        CREATE TRIGGER finding_answers_append_only BEFORE UPDATE OR DELETE ON finding_answers FOR EACH ROW EXECUTE FUNCTION oversight_append_only();
        """;
}
