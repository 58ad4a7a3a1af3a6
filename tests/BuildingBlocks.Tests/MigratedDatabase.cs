using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Outbox;
using PBServices.BuildingBlocks.Tests.Infrastructure;

namespace PBServices.BuildingBlocks.Tests;

/// <summary>A fresh database on the shared server, with the building blocks a service gets, but no host and no broker.</summary>
public sealed class MigratedDatabase : IAsyncDisposable
{
    private MigratedDatabase(string connectionString)
    {
        Db = new Database(connectionString);
        DataSource = NpgsqlDataSource.Create(connectionString);
        UnitOfWork = new UnitOfWorkFactory(DataSource, Signal, TimeProvider.System);
        Audit = new AuditStore(DataSource);
    }

    public Database Db { get; }
    public NpgsqlDataSource DataSource { get; }
    public OutboxSignal Signal { get; } = new();
    public UnitOfWorkFactory UnitOfWork { get; }
    public AuditStore Audit { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new, empty database: no tables at all.</summary>
    public static async Task<MigratedDatabase> CreateEmptyAsync(LocalBrokerAndDatabase servers) => new(await servers.CreateDatabaseAsync());

    /// <summary>A new database migrated to <paramref name="migrations"/> (the test service's list by default).</summary>
    public static async Task<MigratedDatabase> CreateAsync(LocalBrokerAndDatabase servers, IReadOnlyList<Migration>? migrations = null)
    {
        var database = new MigratedDatabase(await servers.CreateDatabaseAsync());
        await database.Migrator(migrations ?? TestService.Migrations).MigrateAsync(Ct);
        return database;
    }

    public static SchemaMigrator Migrator(NpgsqlDataSource dataSource, IReadOnlyList<Migration> migrations) =>
        new(dataSource, new ServiceMigrations(migrations), NullLogger<SchemaMigrator>.Instance);

    public SchemaMigrator Migrator(IReadOnlyList<Migration> migrations) => Migrator(DataSource, migrations);

    /// <summary>Commits one unit of work holding one audit entry for <paramref name="processId"/>.</summary>
    public async Task AuditAsync(Actor actor, string action, Guid? processId, string subjectId, object newValues, string? reason = null)
    {
        await using var uow = await UnitOfWork.BeginAsync(Ct);
        uow.Audit(actor, action, processId, subjectId, newValues, reason);
        await uow.CommitAsync(Ct);
    }

    /// <summary>Runs SQL as the superuser with triggers off, as someone bypassing the database's rules would.</summary>
    public async Task TamperAsync(string sql, object? parameters = null)
    {
        await using var connection = await DataSource.OpenConnectionAsync(Ct);
        await using var tx = await connection.BeginTransactionAsync(Ct);
        await connection.ExecuteAsync(new CommandDefinition("SET LOCAL session_replication_role = replica", transaction: tx, cancellationToken: Ct));
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, tx, cancellationToken: Ct));
        await tx.CommitAsync(Ct);
    }

    public async Task<IReadOnlyList<AuditEntry>> ChainAsync()
    {
        var entries = new List<AuditEntry>();
        await foreach (var entry in Audit.ReadChainAsync(Ct))
        {
            entries.Add(entry);
        }
        return entries;
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
