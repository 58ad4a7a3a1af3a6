using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Processes;

namespace PBServices.MinistrySubmission.Infrastructure;

/// <summary>The service's schema as numbered migrations; a shipped migration never changes, the next change is the next number.</summary>
internal static class SubmissionSchema
{
    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new(1, "baseline", BuildingBlockSchema.OutboxAndInbox, Baseline),
        new(2, "audit log", AuditSchema.Sql),
        new(3, "trace context and stage copy", BuildingBlockSchema.OutboxTraceContext, ProcessStageStore.Schema, SubmissionTraceContext),
    ];

    /// <summary>The trace of the formalization that produced a package; its delivery continues it.</summary>
    private const string SubmissionTraceContext = """
        ALTER TABLE submissions ADD COLUMN trace_parent text NULL, ADD COLUMN trace_state text NULL;
        """;

    /// <summary>What the service created before migrations existed, unchanged, so such a database upgrades in place.</summary>
    private const string Baseline = """
        CREATE TABLE IF NOT EXISTS signing_keys (
            id          int PRIMARY KEY CHECK (id = 1),
            pkcs8       bytea       NOT NULL,
            created_at  timestamptz NOT NULL
        );

        -- The deployment side: what it formalized and sent.
        CREATE TABLE IF NOT EXISTS submissions (
            id                 uuid PRIMARY KEY,
            process_id         uuid          NOT NULL UNIQUE,
            list_id            uuid          NOT NULL,
            jurisdiction       text          NOT NULL,
            canonical_content  text          NOT NULL,
            content_hash       text          NOT NULL,
            signature          text          NOT NULL,
            public_key         text          NOT NULL,
            total_cost         numeric(16,2) NOT NULL,
            status             text          NOT NULL,
            attempts           int           NOT NULL DEFAULT 0,
            next_attempt_at    timestamptz   NOT NULL,
            last_error         text          NULL,
            intake_receipt     text          NULL,
            delivered_at       timestamptz   NULL,
            created_at         timestamptz   NOT NULL
        );
        CREATE INDEX IF NOT EXISTS submissions_pending ON submissions (next_attempt_at) WHERE status = 'Pending';

        -- The Ministry side (MinistryIntake): what it received, verified, from every deployment.
        CREATE TABLE IF NOT EXISTS intake_submissions (
            submission_id      uuid PRIMARY KEY,
            jurisdiction       text        NOT NULL,
            process_id         uuid        NOT NULL,
            canonical_content  text        NOT NULL,
            content_hash       text        NOT NULL,
            signature          text        NOT NULL,
            public_key         text        NOT NULL,
            receipt            text        NOT NULL UNIQUE,
            received_at        timestamptz NOT NULL
        );
        """;
}
