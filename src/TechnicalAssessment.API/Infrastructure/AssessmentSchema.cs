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
    ];

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
