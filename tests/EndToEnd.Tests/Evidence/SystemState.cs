using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Npgsql;

namespace PBServices.EndToEnd.Tests.Evidence;

/// <summary>
/// What the evidence suites compare before and after: every table's row count in every service's database,
/// read straight from PostgreSQL as an auditor with server access would, and every service's audit chain
/// as its verification endpoint reports it.
/// </summary>
public static class SystemState
{
    /// <summary>Each service's database, as the AppHost names it.</summary>
    public static readonly IReadOnlyList<string> Databases =
        ["registrationdb", "deliberationdb", "assessmentdb", "coordinationdb", "submissiondb", "oversightdb", "intakedb"];

    /// <summary>The gateway prefixes of the services whose audit chains the gateway serves.</summary>
    public static readonly IReadOnlyList<string> AuditedPrefixes =
        ["/api/registration", "/api/deliberation", "/api/assessment", "/api/coordination", "/api/submissions", "/api/oversight"];

    public sealed record ChainVerification(bool Ok, long Entries, long? FirstBrokenSequence, string? Reason);

    public static async Task<NpgsqlConnection> OpenDatabaseAsync(this SystemFixture system, string database, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(await system.App.GetConnectionStringAsync(database, ct));
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>"database.table" → exact row count, for every table of every service's database.</summary>
    public static async Task<SortedDictionary<string, long>> RowCountsAsync(this SystemFixture system, CancellationToken ct)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var database in Databases)
        {
            await using var connection = await system.OpenDatabaseAsync(database, ct);
            var tables = new List<string>();
            await using (var list = new NpgsqlCommand(
                "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1", connection))
            await using (var reader = await list.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    tables.Add(reader.GetString(0));
                }
            }
            foreach (var table in tables)
            {
                await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
                counts[$"{database}.{table}"] = (long)(await count.ExecuteScalarAsync(ct))!;
            }
        }
        return counts;
    }

    /// <summary>
    /// The row counts once the system is quiet: outbox relays and consumers finish what earlier requests started,
    /// so counts are read until two readings a few seconds apart agree.
    /// </summary>
    public static async Task<SortedDictionary<string, long>> SettledRowCountsAsync(this SystemFixture system, CancellationToken ct)
    {
        var previous = await system.RowCountsAsync(ct);
        for (var attempt = 0; attempt < 30; attempt++)
        {
            await Task.Delay(TimeSpan.FromSeconds(3), ct);
            var current = await system.RowCountsAsync(ct);
            if (current.SequenceEqual(previous))
            {
                return current;
            }
            previous = current;
        }
        throw new TimeoutException("The row counts did not settle within 90 seconds: something kept writing.");
    }

    /// <summary>The tables whose counts differ, as "table: before → after".</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Where(t => before.GetValueOrDefault(t, -1) != after.GetValueOrDefault(t, -1))
            .Select(t => $"{t}: {before.GetValueOrDefault(t, -1)} → {after.GetValueOrDefault(t, -1)}")
            .ToList();

    /// <summary>Every service's audit chain as its verification endpoint reports it (prefix → verification), the intake's included.</summary>
    public static async Task<SortedDictionary<string, ChainVerification>> AuditChainsAsync(this SystemFixture system, CancellationToken ct)
    {
        var chains = new SortedDictionary<string, ChainVerification>(StringComparer.Ordinal);
        foreach (var prefix in AuditedPrefixes.Append("/api/intake"))
        {
            chains[prefix] = await system.AuditChainAsync(prefix, ct);
        }
        return chains;
    }

    /// <summary>One service's chain (its gateway prefix, or /api/intake), read as the oversight committee does, or at the intake as the Ministry's officer.</summary>
    public static async Task<ChainVerification> AuditChainAsync(this SystemFixture system, string prefix, CancellationToken ct)
    {
        using var reader = prefix == "/api/intake"
            ? await system.MinistryOfficerAsync()
            : system.As(await system.TokenAsync("oversight", "PE", "evidence-auditor"));
        return (await reader.GetFromJsonAsync<ChainVerification>($"{prefix}/audit/verification", ct))!;
    }
}
