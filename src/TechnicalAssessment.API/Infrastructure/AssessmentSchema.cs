using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Processes;

namespace PBServices.TechnicalAssessment.Infrastructure;

/// <summary>The service's schema as numbered migrations; a shipped migration never changes, the next change is the next number.</summary>
internal static class AssessmentSchema
{
    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new(1, "baseline", BuildingBlockSchema.OutboxAndInbox, Baseline),
        new(2, "audit log", AuditSchema.Sql),
        new(3, "trace context and stage copy", BuildingBlockSchema.OutboxTraceContext, ProcessStageStore.Schema),
        new(4, "one assessment per proposal version, four recommendations", Versions),
        new(5, "the whole proposal, assignment, checklist, observations, calendar copy", Checklist),
    ];

    /// <summary>
    /// The whole version in view (null only for assessments queued before), who it is assigned to, the observations of an
    /// observed one, at most one pending assessment per proposal; one checklist per assessment, each section answered
    /// consistently; and the copy of each process's level and Concertation window, for competence and overdue work.
    /// </summary>
    private const string Checklist = """
        ALTER TABLE assessments
            ADD COLUMN description    text NULL,
            ADD COLUMN location       text NULL,
            ADD COLUMN beneficiaries  int  NULL CHECK (beneficiaries > 0),
            ADD COLUMN plan_objective text NULL,
            ADD COLUMN assigned_to    text NULL,
            ADD COLUMN assigned_by    text NULL,
            ADD COLUMN assigned_at    timestamptz NULL,
            ADD COLUMN observations   text NULL;
        UPDATE assessments SET observations = reasons WHERE recommendation = 'Observed';
        ALTER TABLE assessments
            ADD CONSTRAINT assessments_assignment CHECK ((assigned_to IS NULL) = (assigned_by IS NULL) AND (assigned_to IS NULL) = (assigned_at IS NULL)),
            ADD CONSTRAINT assessments_observations CHECK ((recommendation IS NOT DISTINCT FROM 'Observed') = (observations IS NOT NULL)),
            ADD CONSTRAINT assessments_whole_version CHECK ((description IS NULL) = (location IS NULL) AND (description IS NULL) = (beneficiaries IS NULL)
                AND (description IS NULL) = (plan_objective IS NULL));
        CREATE UNIQUE INDEX assessments_one_pending ON assessments (proposal_id) WHERE status = 'Pending';
        CREATE INDEX assessments_assignee ON assessments (assigned_to) WHERE status = 'Pending';

        CREATE TABLE assessment_checklists (
            assessment_id         uuid PRIMARY KEY REFERENCES assessments (id),
            pre_investment        text NULL CHECK (pre_investment IN ('NoStudy', 'ProfileInPreparation', 'ProfileApproved', 'ViableDeclared')),
            viability_note        text NULL,
            cost_finding          text NULL CHECK (cost_finding IN ('AsProposed', 'Adjusted')),
            adjusted_cost         numeric(16,2) NULL CHECK (adjusted_cost > 0),
            cost_justification    text NULL,
            aligned_with_plan     boolean NULL,
            alignment_note        text NULL,
            competence            text NULL CHECK (competence IN ('District', 'Province', 'Region')),
            duplication           text NULL CHECK (duplication IN ('None', 'Proposal', 'ExistingProject')),
            duplicate_of_proposal uuid NULL,
            duplicate_of_project  text NULL CHECK (duplicate_of_project ~ '^[0-9]{5,10}$'),
            duplication_note      text NULL,
            saved_by              text NOT NULL,
            saved_at              timestamptz NOT NULL,
            CONSTRAINT checklist_adjusted_cost CHECK ((cost_finding IS NOT DISTINCT FROM 'Adjusted') = (adjusted_cost IS NOT NULL)
                AND (adjusted_cost IS NULL) = (cost_justification IS NULL)),
            CONSTRAINT checklist_alignment_note CHECK ((aligned_with_plan IS DISTINCT FROM false OR alignment_note IS NOT NULL)
                AND (alignment_note IS NULL OR aligned_with_plan IS NOT NULL)),
            CONSTRAINT checklist_duplicate_of CHECK ((duplication IS NOT DISTINCT FROM 'Proposal') = (duplicate_of_proposal IS NOT NULL)
                AND (duplication IS NOT DISTINCT FROM 'ExistingProject') = (duplicate_of_project IS NOT NULL)
                AND (duplication IS NULL OR duplication = 'None' OR duplication_note IS NOT NULL))
        );

        CREATE TABLE process_calendars (
            process_id        uuid PRIMARY KEY,
            level             text NOT NULL CHECK (level IN ('District', 'Province', 'Region')),
            concertation_from date NULL,
            concertation_to   date NULL,
            CHECK ((concertation_from IS NULL) = (concertation_to IS NULL) AND concertation_to >= concertation_from)
        );
        """;

    /// <summary>
    /// A revised proposal is assessed again: one assessment per version, the earlier pending one superseded;
    /// an adjusted cost goes with the viable-at-adjusted-cost recommendation and only with it.
    /// </summary>
    private const string Versions = """
        ALTER TABLE assessments
            ADD COLUMN version int NOT NULL DEFAULT 1 CHECK (version > 0),
            ADD COLUMN recommendation text NULL CHECK (recommendation IN ('Viable', 'ViableAtAdjustedCost', 'Observed', 'NotViable')),
            ADD COLUMN adjusted_cost numeric(16,2) NULL CHECK (adjusted_cost > 0);
        UPDATE assessments SET recommendation = CASE WHEN viable THEN 'Viable' ELSE 'NotViable' END WHERE status = 'Completed';
        ALTER TABLE assessments
            DROP CONSTRAINT assessments_proposal_id_key,
            ADD CONSTRAINT assessments_one_per_version UNIQUE (proposal_id, version),
            ADD CONSTRAINT assessments_status CHECK (status IN ('Pending', 'Completed', 'Superseded')),
            ADD CONSTRAINT assessments_completed CHECK ((status = 'Completed') = (recommendation IS NOT NULL)),
            ADD CONSTRAINT assessments_viable CHECK (recommendation IS NULL OR viable = (recommendation IN ('Viable', 'ViableAtAdjustedCost'))),
            ADD CONSTRAINT assessments_adjusted_cost CHECK ((recommendation IS NOT DISTINCT FROM 'ViableAtAdjustedCost') = (adjusted_cost IS NOT NULL));
        """;

    /// <summary>What the service created before migrations existed, unchanged, so such a database upgrades in place.</summary>
    private const string Baseline = """
        CREATE TABLE IF NOT EXISTS assessments (
            id            uuid PRIMARY KEY,
            -- One assessment per proposal, however often ProposalSubmitted is delivered.
            proposal_id   uuid          NOT NULL UNIQUE,
            process_id    uuid          NOT NULL,
            jurisdiction  text          NOT NULL,
            title         text          NOT NULL,
            cost          numeric(16,2) NOT NULL,
            status        text          NOT NULL,
            viable        boolean       NULL,
            score         numeric(6,2)  NULL CHECK (score BETWEEN 0 AND 100),
            reasons       text          NULL,
            assessor      text          NULL,
            queued_at     timestamptz   NOT NULL,
            completed_at  timestamptz   NULL
        );
        CREATE INDEX IF NOT EXISTS assessments_queue ON assessments (process_id, status);
        """;
}
