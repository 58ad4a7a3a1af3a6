using Dapper;
using Npgsql;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Tests.Infrastructure;
using PBServices.Registration.Infrastructure;

namespace PBServices.BuildingBlocks.Tests;

/// <summary>Numbered migrations: applied once each, in order, by one replica at a time; existing deployments upgrade in place.</summary>
public sealed class SchemaMigrationTests(LocalBrokerAndDatabase servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_registration_database_created_before_migrations_upgrades_in_place_and_keeps_its_rows()
    {
        await using var database = await CreateAsBeforeMigrationsAsync();
        var db = database.Db;
        var processId = Guid.NewGuid();
        var agentId = Guid.NewGuid();
        var eventId = Guid.NewGuid();
        await db.ExecuteAsync(
            """
            INSERT INTO processes (id, jurisdiction, name, fiscal_year, level, budget_ceiling, stage, opened_at)
            VALUES (@processId, '180301', 'Presupuesto Participativo Ilo 2027', 2027, 'District', 2500000.00, 'Concertation', now());
            INSERT INTO agents (id, process_id, full_name, dni, organisation, status, registered_at, accredited_at)
            VALUES (@agentId, @processId, 'Rosa Quispe Mamani', '40123456', 'Comedor Popular Pampa Inalámbrica', 'Accredited', now(), now());
            INSERT INTO outbox (event_id, event_type, payload, occurred_at, sent_at, attempts)
            VALUES (@eventId, 'PBServices.Contracts.IntegrationEvents.ProcessOpened', '{"name":"Ilo 2027"}', now(), now(), 1);
            INSERT INTO inbox (event_id, consumer, received_at) VALUES (@eventId, 'Some.Consumer', now());
            """, new { processId, agentId, eventId });

        var applied = await database.Migrator(RegistrationSchema.Migrations).MigrateAsync(Ct);

        Assert.Equal([1, 2, 3, 4], applied.Select(m => m.Version));
        Assert.Equal("Presupuesto Participativo Ilo 2027", await db.ScalarAsync<string>("SELECT name FROM processes WHERE id = @processId", new { processId }));
        Assert.Equal("40123456", await db.ScalarAsync<string>("SELECT dni FROM agents WHERE id = @agentId AND process_id = @processId", new { agentId, processId }));
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT attempts FROM outbox WHERE event_id = @eventId AND sent_at IS NOT NULL", new { eventId }));
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM inbox WHERE event_id = @eventId", new { eventId }));
        Assert.Equal(["1 baseline", "2 audit log", "3 trace context", "4 calendar, rules, organisations, review, objections, training, seats"], await RecordedAsync(db));
        // The process's ubigeo is on record as the district it is, under its province and region.
        Assert.Equal(["180000 Region", "180300 Province", "180301 District"],
            await db.ScalarAsync<string[]>("SELECT array_agg(code || ' ' || level ORDER BY code) FROM jurisdictions"));
        // The rules main created are still enforced: one registration per DNI and process.
        var duplicate = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(
            "INSERT INTO agents (id, process_id, full_name, dni, organisation, status, registered_at) VALUES (gen_random_uuid(), @processId, 'Otra', '40123456', 'Otra', 'Registered', now())",
            new { processId }));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, duplicate.SqlState);

        // The upgraded database has the audit log, working.
        await database.AuditAsync(new Actor("admin-1", "process-admin", "180301"), "process.stage-advanced", processId, processId.ToString(), new { stage = "Coordination" });
        Assert.Equal(AuditVerification.Intact(1), await database.Audit.VerifyAsync(Ct));

        Assert.Empty(await database.Migrator(RegistrationSchema.Migrations).MigrateAsync(Ct));
        Assert.Equal(["1 baseline", "2 audit log", "3 trace context", "4 calendar, rules, organisations, review, objections, training, seats"], await RecordedAsync(db));
    }

    [Fact]
    public async Task An_upgraded_database_ends_with_the_same_schema_as_a_new_one()
    {
        await using var upgraded = await CreateAsBeforeMigrationsAsync();
        await upgraded.Migrator(RegistrationSchema.Migrations).MigrateAsync(Ct);
        await using var fresh = await MigratedDatabase.CreateAsync(servers, RegistrationSchema.Migrations);

        var expected = await SchemaDescriptionAsync(fresh.Db);
        Assert.Contains("table audit_log", expected);
        Assert.Contains("table agents", expected);
        Assert.Equal(expected, await SchemaDescriptionAsync(upgraded.Db));
    }

    [Fact]
    public async Task A_new_database_gets_every_migration_once_and_a_second_start_applies_nothing()
    {
        await using var database = await MigratedDatabase.CreateEmptyAsync(servers);
        var migrator = database.Migrator(RegistrationSchema.Migrations);

        Assert.Equal([1, 2, 3, 4], (await migrator.MigrateAsync(Ct)).Select(m => m.Version));
        Assert.Empty(await migrator.MigrateAsync(Ct));
        Assert.Equal(["1 baseline", "2 audit log", "3 trace context", "4 calendar, rules, organisations, review, objections, training, seats"], await RecordedAsync(database.Db));
    }

    [Fact]
    public async Task Two_migrators_racing_on_an_empty_database_apply_each_migration_once()
    {
        var connectionString = await servers.CreateDatabaseAsync();
        // A slow third step keeps the first replica busy while the second one arrives.
        IReadOnlyList<Migration> migrations = [.. RegistrationSchema.Migrations, new(5, "slow", "SELECT pg_sleep(0.5); CREATE TABLE slow_step (id int);")];
        await using var first = NpgsqlDataSource.Create(connectionString);
        await using var second = NpgsqlDataSource.Create(connectionString);
        using var start = new SemaphoreSlim(0, 2);

        var racing = new[] { first, second }.Select(async source =>
        {
            await start.WaitAsync(Ct);
            return await MigratedDatabase.Migrator(source, migrations).MigrateAsync(Ct);
        }).ToList();
        start.Release(2);
        var applied = await Task.WhenAll(racing);

        var versions = applied.SelectMany(a => a.Select(m => m.Version)).Order().ToList();
        Assert.Equal([1, 2, 3, 4, 5], versions);
        var db = new Database(connectionString);
        Assert.Equal(["1 baseline", "2 audit log", "3 trace context", "4 calendar, rules, organisations, review, objections, training, seats", "5 slow"], await RecordedAsync(db));
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM audit_head"));
    }

    [Fact]
    public async Task A_database_migrated_by_a_newer_build_stops_the_service_from_starting_with_a_clear_message()
    {
        await using var database = await MigratedDatabase.CreateAsync(servers, RegistrationSchema.Migrations);
        await database.Db.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (5, 'agent documents', now())");

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => database.Migrator(RegistrationSchema.Migrations).StartAsync(Ct));

        Assert.Contains("schema version 5 ('agent documents')", refusal.Message);
        Assert.Contains("knows versions up to 4", refusal.Message);
    }

    [Fact]
    public async Task A_failing_migration_stops_the_service_naming_it_and_leaves_nothing_of_it_behind()
    {
        await using var database = await MigratedDatabase.CreateAsync(servers, RegistrationSchema.Migrations);
        IReadOnlyList<Migration> migrations = [.. RegistrationSchema.Migrations, new(5, "half done", "CREATE TABLE half_done (id int); SELECT 1 / 0;")];

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => database.Migrator(migrations).StartAsync(Ct));

        Assert.Contains("Migration 5 ('half done') failed", failure.Message);
        Assert.Contains("division by zero", failure.Message);
        Assert.Equal(0, await database.Db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 'half_done'"));
        Assert.Equal(["1 baseline", "2 audit log", "3 trace context", "4 calendar, rules, organisations, review, objections, training, seats"], await RecordedAsync(database.Db));
    }

    [Theory]
    [InlineData(new[] { 2 })]
    [InlineData(new[] { 1, 3 })]
    [InlineData(new[] { 1, 1 })]
    [InlineData(new[] { 2, 1 })]
    public void Migrations_not_numbered_1_2_3_in_order_are_refused(int[] versions)
    {
        var refusal = Assert.Throws<ArgumentException>(() => new ServiceMigrations([.. versions.Select(v => new Migration(v, $"step {v}", "SELECT 1;"))]));
        Assert.Contains("numbered 1, 2, 3", refusal.Message);
    }

    /// <summary>A database exactly as the bootstrap before migrations left it (commit 7854769).</summary>
    private async Task<MigratedDatabase> CreateAsBeforeMigrationsAsync()
    {
        var database = await MigratedDatabase.CreateEmptyAsync(servers);
        var before = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Data", "schema-before-migrations.sql"), Ct);
        await using var connection = await database.DataSource.OpenConnectionAsync(Ct);
        await using var tx = await connection.BeginTransactionAsync(Ct);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = 0x5042_5345_5256 }, tx, cancellationToken: Ct));
        await connection.ExecuteAsync(new CommandDefinition(before, transaction: tx, cancellationToken: Ct));
        await tx.CommitAsync(Ct);
        Assert.Equal(0, await database.Db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename IN ('schema_migrations', 'audit_log')"));
        return database;
    }

    private static async Task<List<string>> RecordedAsync(Database db) =>
        [.. (await db.ScalarAsync<string>("SELECT string_agg(version || ' ' || name, '|' ORDER BY version) FROM schema_migrations")).Split('|')];

    /// <summary>Tables, columns, constraints, indexes, triggers and functions of the public schema, one sorted line each.</summary>
    private static Task<string> SchemaDescriptionAsync(Database db) => db.ScalarAsync<string>(
        """
        SELECT string_agg(line, E'\n' ORDER BY line) FROM (
            SELECT format('table %s', tablename) AS line FROM pg_tables WHERE schemaname = 'public'
            UNION ALL
            SELECT format('column %s.%s %s null=%s default=%s', table_name, column_name, data_type, is_nullable, coalesce(column_default, ''))
            FROM information_schema.columns WHERE table_schema = 'public'
            UNION ALL
            SELECT format('constraint %s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
            FROM pg_constraint WHERE connamespace = 'public'::regnamespace
            UNION ALL
            SELECT format('index %s', indexdef) FROM pg_indexes WHERE schemaname = 'public'
            UNION ALL
            SELECT format('trigger %s', pg_get_triggerdef(oid)) FROM pg_trigger WHERE NOT tgisinternal
            UNION ALL
            SELECT format('function %s', pg_get_functiondef(p.oid)) FROM pg_proc p WHERE pronamespace = 'public'::regnamespace
        ) schema
        """);
}
