using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace PBServices.BuildingBlocks.Data;

/// <summary>
/// Applies the service's idempotent DDL (plus the outbox and inbox tables) before the service takes
/// traffic. An advisory lock keeps replicas that start together from racing on the same DDL.
/// </summary>
public sealed class SchemaMigrator(NpgsqlDataSource dataSource, ServiceSchema schema, ILogger<SchemaMigrator> logger) : IHostedService
{
    private const long AdvisoryLockKey = 0x5042_5345_5256; // "PBSERV"

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var attempt = 0;
        while (true)
        {
            try
            {
                // Start-up DDL is no user action: kept out of the traces, like the background polls.
                using (Telemetry.TraceContext.QuietPoll())
                {
                    await ApplyAsync(cancellationToken);
                }
                return;
            }
            catch (NpgsqlException ex) when (attempt++ < 30 && !cancellationToken.IsCancellationRequested)
            {
                // The database may still be starting (local process or cluster failover): wait, do not crash-loop.
                logger.LogWarning(ex, "Database not reachable yet (attempt {Attempt}); retrying", attempt);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    private async Task ApplyAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = AdvisoryLockKey }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(BuildingBlockSchema.Sql, transaction: tx, cancellationToken: ct));
        foreach (var script in schema.Scripts)
        {
            await connection.ExecuteAsync(new CommandDefinition(script, transaction: tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        logger.LogInformation("Schema is up to date");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The service's own DDL scripts, each idempotent (CREATE … IF NOT EXISTS).</summary>
public sealed record ServiceSchema(IReadOnlyList<string> Scripts);

internal static class BuildingBlockSchema
{
    public const string Sql = """
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
        -- The W3C trace context of the request that wrote the event; the relay publishes under it.
        ALTER TABLE outbox ADD COLUMN IF NOT EXISTS trace_parent text NULL, ADD COLUMN IF NOT EXISTS trace_state text NULL;
        CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (sequence) WHERE sent_at IS NULL AND parked_at IS NULL;

        CREATE TABLE IF NOT EXISTS inbox (
            event_id     uuid        NOT NULL,
            consumer     text        NOT NULL,
            received_at  timestamptz NOT NULL,
            PRIMARY KEY (event_id, consumer)
        );
        """;
}
