using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace PBServices.BuildingBlocks.Data;

/// <summary>
/// Brings the service's database to its latest migration before the service takes traffic. Each
/// migration runs in its own transaction under an advisory lock, so replicas that start together
/// apply it once between them; a database migrated by a newer build stops this one from starting.
/// </summary>
public sealed class SchemaMigrator(NpgsqlDataSource dataSource, ServiceMigrations migrations, ILogger<SchemaMigrator> logger) : IHostedService
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
                using (Telemetry.TraceContext.Untraced())
                {
                    await MigrateAsync(cancellationToken);
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

    /// <summary>Applies the migrations the database has not recorded yet; returns those this call applied.</summary>
    public async Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var recorded = await InLockedTransactionAsync(connection, async tx =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version     int PRIMARY KEY,
                    name        text        NOT NULL,
                    applied_at  timestamptz NOT NULL
                );
                """, transaction: tx, cancellationToken: ct));
            return (await connection.QueryAsync<(int Version, string Name)>(new CommandDefinition(
                "SELECT version, name FROM schema_migrations ORDER BY version", transaction: tx, cancellationToken: ct))).ToList();
        }, ct);

        if (recorded.Count > 0 && recorded[^1].Version > migrations.Latest)
        {
            var (version, name) = recorded[^1];
            throw new InvalidOperationException(
                $"The database is at schema version {version} ('{name}') but this build knows versions up to {migrations.Latest}: " +
                "a newer build migrated it. Deploy that build or a later one; this one does not run on a schema it does not know.");
        }

        var applied = new List<Migration>();
        foreach (var migration in migrations.All.Where(m => recorded.All(r => r.Version != m.Version)))
        {
            if (await ApplyAsync(connection, migration, ct))
            {
                applied.Add(migration);
            }
        }
        logger.LogInformation("Schema is at version {Version}; {Count} migration(s) applied now", migrations.Latest, applied.Count);
        return applied;
    }

    /// <summary>Applies one migration unless a replica did meanwhile; true when this call applied it.</summary>
    private async Task<bool> ApplyAsync(NpgsqlConnection connection, Migration migration, CancellationToken ct) =>
        await InLockedTransactionAsync(connection, async tx =>
        {
            var done = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = @Version)", migration, tx, cancellationToken: ct));
            if (done)
            {
                return false;
            }
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: tx, cancellationToken: ct));
            }
            catch (PostgresException ex) when (!ex.IsTransient)
            {
                // Not a connectivity problem: retrying would fail the same way, so the service stops with the reason.
                throw new InvalidOperationException($"Migration {migration.Version} ('{migration.Name}') failed: {ex.MessageText}", ex);
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, now())", migration, tx, cancellationToken: ct));
            logger.LogInformation("Applied migration {Version} ({Name})", migration.Version, migration.Name);
            return true;
        }, ct);

    private static async Task<T> InLockedTransactionAsync<T>(NpgsqlConnection connection, Func<NpgsqlTransaction, Task<T>> work, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = AdvisoryLockKey }, tx, cancellationToken: ct));
        var result = await work(tx);
        await tx.CommitAsync(ct);
        return result;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
