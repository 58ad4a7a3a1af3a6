using System.Text.Json;
using Dapper;
using Npgsql;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Registration.Domain;

namespace PBServices.Registration.Infrastructure;

/// <summary>Jurisdictions and processes.</summary>
internal static class RegistrationStore
{
    internal const string UniqueViolation = "23505";
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Records a jurisdiction and those above it; their level and parent are what the ubigeo says.</summary>
    public static async Task EnsureJurisdictionAsync(this UnitOfWork uow, string code, CancellationToken ct)
    {
        foreach (var c in Ubigeo.Lineage(code))
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                "INSERT INTO jurisdictions (code, level, parent) VALUES (@c, @level, @parent) ON CONFLICT (code) DO NOTHING",
                new { c, level = Ubigeo.LevelOf(c).ToString(), parent = Ubigeo.ParentOf(c) }, ct));
        }
    }

    public static async Task InsertProcessAsync(this UnitOfWork uow, Process p, CancellationToken ct)
    {
        await uow.EnsureJurisdictionAsync(p.Jurisdiction, ct);
        try
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                """
                INSERT INTO processes (id, jurisdiction, name, fiscal_year, level, budget_ceiling, stage, opened_at, calendar, rules)
                VALUES (@Id, @Jurisdiction, @Name, @FiscalYear, @Level, @BudgetCeiling, @Stage, @OpenedAt, @calendar::jsonb, @rules::jsonb)
                """,
                new
                {
                    p.Id, p.Jurisdiction, p.Name, p.FiscalYear, Level = p.Level.ToString(), p.BudgetCeiling, Stage = p.Stage.ToString(), p.OpenedAt,
                    calendar = JsonSerializer.Serialize(p.Calendar, Json), rules = JsonSerializer.Serialize(p.Rules, Json),
                }, ct));
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            throw new ConflictException("fiscalYear", $"{p.Jurisdiction} already has a process for {p.FiscalYear}");
        }
    }

    private const string ProcessColumns =
        """
        p.id, p.jurisdiction, p.name, p.fiscal_year AS FiscalYear, p.level, p.budget_ceiling AS BudgetCeiling, p.stage, p.opened_at AS OpenedAt,
        p.calendar::text AS Calendar, p.rules::text AS Rules, p.eligible_list_published_at AS EligibleListPublishedAt
        """;

    public static async Task<Process> GetProcessAsync(this UnitOfWork uow, Guid id, CancellationToken ct, bool forUpdate = false)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<ProcessRow>(uow.Command(
            $"SELECT {ProcessColumns} FROM processes p WHERE p.id = @id {(forUpdate ? "FOR UPDATE" : "")}", new { id }, ct));
        return row?.ToDomain() ?? throw new NotFoundException("Process", id);
    }

    public static async Task<IReadOnlyList<(Process Process, int AccreditedAgents)>> ListProcessesAsync(this UnitOfWork uow, string? jurisdiction, CancellationToken ct)
    {
        var rows = await uow.Connection.QueryAsync<ProcessSummaryRow>(uow.Command(
            $"""
            SELECT {ProcessColumns},
                   (SELECT count(*)::int FROM agents a WHERE a.process_id = p.id AND a.status = 'Accredited') AS AccreditedAgents
            FROM processes p WHERE @jurisdiction::text IS NULL OR p.jurisdiction = @jurisdiction
            ORDER BY p.fiscal_year DESC, p.jurisdiction
            """, new { jurisdiction }, ct));
        return rows.Select(r => (r.Process.ToDomain(), r.AccreditedAgents)).ToList();
    }

    public static Task UpdateStageAsync(this UnitOfWork uow, Process p, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command("UPDATE processes SET stage = @Stage WHERE id = @Id", new { p.Id, Stage = p.Stage.ToString() }, ct));

    public static Task UpdateListPublishedAsync(this UnitOfWork uow, Process p, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            "UPDATE processes SET eligible_list_published_at = @EligibleListPublishedAt WHERE id = @Id", new { p.Id, p.EligibleListPublishedAt }, ct));

    /// <summary>Unlocked: how many entries of the process's list are eligible and how many accredited.</summary>
    public static async Task<(int Eligible, int Accredited)> CountEligibleAndAccreditedAsync(this UnitOfWork uow, Guid processId, CancellationToken ct)
    {
        var counts = await uow.Connection.QuerySingleAsync<ListCounts>(uow.Command(
            """
            SELECT (count(*) FILTER (WHERE status = 'Eligible'))::int AS Eligible, (count(*) FILTER (WHERE status = 'Accredited'))::int AS Accredited
            FROM agents WHERE process_id = @processId
            """, new { processId }, ct));
        return (counts.Eligible, counts.Accredited);
    }

    private sealed record ListCounts(int Eligible, int Accredited);

    public static Task<int> CountAccreditedAsync(this UnitOfWork uow, Guid processId, CancellationToken ct) =>
        uow.Connection.ExecuteScalarAsync<int>(uow.Command("SELECT count(*)::int FROM agents WHERE process_id = @processId AND status = 'Accredited'", new { processId }, ct));

    public static async Task<(string Code, string Level, string? Parent)?> GetJurisdictionAsync(this UnitOfWork uow, string code, CancellationToken ct)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<JurisdictionRow>(uow.Command(
            "SELECT code, level, parent FROM jurisdictions WHERE code = @code", new { code }, ct));
        return row is null ? null : (row.Code, row.Level, row.Parent);
    }

    internal static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc), TimeSpan.Zero);

    internal static DateTimeOffset? Utc(DateTime? t) => t is { } v ? Utc(v) : null;

    private sealed record JurisdictionRow(string Code, string Level, string? Parent);

    internal sealed record ProcessRow(Guid Id, string Jurisdiction, string Name, int FiscalYear, string Level, decimal BudgetCeiling, string Stage, DateTime OpenedAt,
        string? Calendar, string? Rules, DateTime? EligibleListPublishedAt)
    {
        public Process ToDomain() => Process.Restore(Id, Jurisdiction, Name, FiscalYear, Level, BudgetCeiling, Stage, Utc(OpenedAt),
            Calendar is null ? null : JsonSerializer.Deserialize<ProcessCalendar>(Calendar, Json),
            Rules is null ? null : JsonSerializer.Deserialize<ProcessRules>(Rules, Json),
            Utc(EligibleListPublishedAt));
    }

    private sealed class ProcessSummaryRow
    {
        public Guid Id { get; init; }
        public string Jurisdiction { get; init; } = "";
        public string Name { get; init; } = "";
        public int FiscalYear { get; init; }
        public string Level { get; init; } = "";
        public decimal BudgetCeiling { get; init; }
        public string Stage { get; init; } = "";
        public DateTime OpenedAt { get; init; }
        public string? Calendar { get; init; }
        public string? Rules { get; init; }
        public DateTime? EligibleListPublishedAt { get; init; }
        public int AccreditedAgents { get; init; }

        public ProcessRow Process => new(Id, Jurisdiction, Name, FiscalYear, Level, BudgetCeiling, Stage, OpenedAt, Calendar, Rules, EligibleListPublishedAt);
    }
}
