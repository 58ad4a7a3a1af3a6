-- The schema of a registration database as commit 7854769 (before numbered migrations) created it:
-- its SchemaMigrator ran BuildingBlockSchema.Sql, then RegistrationSchema.Sql, in one transaction.
-- Taken verbatim from `git show 7854769:src/BuildingBlocks/Data/SchemaMigrator.cs` and
-- `git show 7854769:src/Registration.API/Infrastructure/RegistrationSchema.cs`; never edit it.

CREATE TABLE IF NOT EXISTS outbox (
    event_id      uuid PRIMARY KEY,
    event_type    text        NOT NULL,
    payload       jsonb       NOT NULL,
    occurred_at   timestamptz NOT NULL,
    sequence      bigserial   NOT NULL,
    sent_at       timestamptz NULL,
    -- Set when the row can never be published (unreadable); an operator resolves it.
    parked_at     timestamptz NULL,
    attempts      int         NOT NULL DEFAULT 0,
    last_error    text        NULL
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (sequence) WHERE sent_at IS NULL AND parked_at IS NULL;

CREATE TABLE IF NOT EXISTS inbox (
    event_id     uuid        NOT NULL,
    consumer     text        NOT NULL,
    received_at  timestamptz NOT NULL,
    PRIMARY KEY (event_id, consumer)
);

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
