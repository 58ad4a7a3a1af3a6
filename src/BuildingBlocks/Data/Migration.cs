namespace PBServices.BuildingBlocks.Data;

/// <summary>
/// One numbered step of a service's schema, applied once, in its own transaction, and recorded in
/// <c>schema_migrations</c>. A migration that has shipped never changes: the next change is the next number.
/// </summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    /// <summary>A step made of several scripts run in order, e.g. the building blocks' tables and the service's own.</summary>
    public Migration(int version, string name, params string[] scripts) : this(version, name, string.Join('\n', scripts))
    {
    }
}

/// <summary>
/// A service's migrations. There is one numbering space per database: the building blocks supply SQL
/// (<see cref="BuildingBlockSchema"/>, <see cref="Audit.AuditSchema"/>) and each service places it in its own
/// list, so a database's history is one ordered list and a new building-block table reaches a service
/// only through a migration that service declares.
/// </summary>
public sealed class ServiceMigrations
{
    public ServiceMigrations(IReadOnlyList<Migration> all)
    {
        for (var i = 0; i < all.Count; i++)
        {
            if (all[i].Version != i + 1)
            {
                throw new ArgumentException($"Migrations are numbered 1, 2, 3 … in order; position {i + 1} holds version {all[i].Version} ('{all[i].Name}')", nameof(all));
            }
            if (string.IsNullOrWhiteSpace(all[i].Name) || string.IsNullOrWhiteSpace(all[i].Sql))
            {
                throw new ArgumentException($"Migration {all[i].Version} needs a name and SQL", nameof(all));
            }
        }
        All = all;
    }

    public IReadOnlyList<Migration> All { get; }

    public int Latest => All.Count;
}

/// <summary>The tables of the outbox and the inbox, exactly as every service's database has had them since before migrations.</summary>
public static class BuildingBlockSchema
{
    /// <summary>
    /// Part of each service's migration 1. It stays <c>IF NOT EXISTS</c>, as before migrations existed, so that
    /// migration 1 over a database created by the earlier bootstrap finds everything in place and changes nothing.
    /// </summary>
    public const string OutboxAndInbox = """
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
        """;

    /// <summary>
    /// The W3C trace context of the request that wrote an outbox row, which the relay publishes under
    /// (docs/architecture.md, "Observability"). Every service's migration 3.
    /// </summary>
    public const string OutboxTraceContext = """
        ALTER TABLE outbox ADD COLUMN trace_parent text NULL, ADD COLUMN trace_state text NULL;
        """;
}
