using Dapper;
using Npgsql;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Registration.Domain;

namespace PBServices.Registration.Infrastructure;

internal static class RegistrationStore
{
    private const string UniqueViolation = "23505";

    public static async Task InsertProcessAsync(this UnitOfWork uow, Process p, CancellationToken ct)
    {
        try
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                """
                INSERT INTO processes (id, jurisdiction, name, fiscal_year, level, budget_ceiling, stage, opened_at)
                VALUES (@Id, @Jurisdiction, @Name, @FiscalYear, @Level, @BudgetCeiling, @Stage, @OpenedAt)
                """,
                new { p.Id, p.Jurisdiction, p.Name, p.FiscalYear, Level = p.Level.ToString(), p.BudgetCeiling, Stage = p.Stage.ToString(), p.OpenedAt }, ct));
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            throw new ConflictException("fiscalYear", $"{p.Jurisdiction} already has a process for {p.FiscalYear}");
        }
    }

    public static async Task<Process> GetProcessAsync(this UnitOfWork uow, Guid id, CancellationToken ct, bool forUpdate = false)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<ProcessRow>(uow.Command(
            $"""
            SELECT id, jurisdiction, name, fiscal_year AS FiscalYear, level, budget_ceiling AS BudgetCeiling, stage, opened_at AS OpenedAt
            FROM processes WHERE id = @id {(forUpdate ? "FOR UPDATE" : "")}
            """, new { id }, ct));
        return row?.ToDomain() ?? throw new NotFoundException("Process", id);
    }

    public static async Task<IReadOnlyList<(Process Process, int AccreditedAgents)>> ListProcessesAsync(this UnitOfWork uow, string? jurisdiction, CancellationToken ct)
    {
        var rows = await uow.Connection.QueryAsync<ProcessSummaryRow>(uow.Command(
            """
            SELECT p.id, p.jurisdiction, p.name, p.fiscal_year AS FiscalYear, p.level, p.budget_ceiling AS BudgetCeiling, p.stage, p.opened_at AS OpenedAt,
                   (SELECT count(*)::int FROM agents a WHERE a.process_id = p.id AND a.status = 'Accredited') AS AccreditedAgents
            FROM processes p WHERE @jurisdiction::text IS NULL OR p.jurisdiction = @jurisdiction
            ORDER BY p.fiscal_year DESC, p.jurisdiction
            """, new { jurisdiction }, ct));
        return rows.Select(r => (new ProcessRow(r.Id, r.Jurisdiction, r.Name, r.FiscalYear, r.Level, r.BudgetCeiling, r.Stage, r.OpenedAt).ToDomain(), r.AccreditedAgents)).ToList();
    }

    public static Task UpdateStageAsync(this UnitOfWork uow, Process p, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command("UPDATE processes SET stage = @Stage WHERE id = @Id", new { p.Id, Stage = p.Stage.ToString() }, ct));

    public static async Task InsertAgentAsync(this UnitOfWork uow, ParticipatingAgent a, CancellationToken ct)
    {
        try
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                """
                INSERT INTO agents (id, process_id, full_name, dni, organisation, status, registered_at)
                VALUES (@Id, @ProcessId, @FullName, @Dni, @Organisation, @Status, @now)
                """,
                new { a.Id, a.ProcessId, a.FullName, a.Dni, a.Organisation, Status = a.Status.ToString(), now = uow.Now }, ct));
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            throw new ConflictException("dni", "This DNI is already registered in the process");
        }
    }

    public static async Task<ParticipatingAgent> GetAgentAsync(this UnitOfWork uow, Guid processId, Guid agentId, CancellationToken ct)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<AgentRow>(uow.Command(
            "SELECT id, process_id AS ProcessId, full_name AS FullName, dni, organisation, status FROM agents WHERE id = @agentId AND process_id = @processId FOR UPDATE",
            new { agentId, processId }, ct));
        return row is null
            ? throw new NotFoundException("Agent", agentId)
            : ParticipatingAgent.Restore(row.Id, row.ProcessId, row.FullName, row.Dni.Trim(), row.Organisation, row.Status);
    }

    public static Task UpdateAgentStatusAsync(this UnitOfWork uow, ParticipatingAgent a, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            "UPDATE agents SET status = @Status, accredited_at = CASE WHEN @Status = 'Accredited' THEN @now ELSE accredited_at END WHERE id = @Id",
            new { a.Id, Status = a.Status.ToString(), now = uow.Now }, ct));

    public static Task<int> CountAccreditedAsync(this UnitOfWork uow, Guid processId, CancellationToken ct) =>
        uow.Connection.ExecuteScalarAsync<int>(uow.Command("SELECT count(*)::int FROM agents WHERE process_id = @processId AND status = 'Accredited'", new { processId }, ct));

    private sealed record ProcessRow(Guid Id, string Jurisdiction, string Name, int FiscalYear, string Level, decimal BudgetCeiling, string Stage, DateTime OpenedAt)
    {
        public Process ToDomain() => Process.Restore(Id, Jurisdiction, Name, FiscalYear, Level, BudgetCeiling, Stage, new DateTimeOffset(OpenedAt, TimeSpan.Zero));
    }

    private sealed record ProcessSummaryRow(Guid Id, string Jurisdiction, string Name, int FiscalYear, string Level, decimal BudgetCeiling, string Stage, DateTime OpenedAt, int AccreditedAgents);

    private sealed record AgentRow(Guid Id, Guid ProcessId, string FullName, string Dni, string Organisation, string Status);
}
