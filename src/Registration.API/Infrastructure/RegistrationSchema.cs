using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;

namespace PBServices.Registration.Infrastructure;

/// <summary>The service's schema as numbered migrations; a shipped migration never changes, the next change is the next number.</summary>
/// <remarks>Public so that BuildingBlocks.Tests upgrades a database created before migrations with exactly this list.</remarks>
public static class RegistrationSchema
{
    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new(1, "baseline", BuildingBlockSchema.OutboxAndInbox, Baseline),
        new(2, "audit log", AuditSchema.Sql),
        new(3, "trace context", BuildingBlockSchema.OutboxTraceContext),
    ];

    /// <summary>What the service created before migrations existed, unchanged, so such a database upgrades in place.</summary>
    private const string Baseline = """
        CREATE TABLE IF NOT EXISTS processes (
            id             uuid PRIMARY KEY,
            jurisdiction   text          NOT NULL,
            name           text          NOT NULL,
            fiscal_year    int           NOT NULL,
            level          text          NOT NULL,
            budget_ceiling numeric(16,2) NOT NULL CHECK (budget_ceiling > 0),
            stage          text          NOT NULL,
            opened_at      timestamptz   NOT NULL,
            -- One process per jurisdiction and fiscal year, whatever the application code does.
            UNIQUE (jurisdiction, fiscal_year)
        );

        CREATE TABLE IF NOT EXISTS agents (
            id             uuid PRIMARY KEY,
            process_id     uuid        NOT NULL REFERENCES processes (id),
            full_name      text        NOT NULL,
            dni            char(8)     NOT NULL,
            organisation   text        NOT NULL,
            status         text        NOT NULL,
            registered_at  timestamptz NOT NULL,
            accredited_at  timestamptz NULL,
            -- A person registers once per process.
            UNIQUE (process_id, dni)
        );
        """;
}
