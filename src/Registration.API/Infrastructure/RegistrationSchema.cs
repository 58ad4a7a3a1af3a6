namespace PBServices.Registration.Infrastructure;

internal static class RegistrationSchema
{
    public const string Sql = """
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
