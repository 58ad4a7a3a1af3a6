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
    ];

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
