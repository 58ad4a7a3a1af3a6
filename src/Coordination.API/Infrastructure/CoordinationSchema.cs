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
    ];

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
