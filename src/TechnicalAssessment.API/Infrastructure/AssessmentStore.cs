using Dapper;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using DomainAssessment = PBServices.TechnicalAssessment.Domain.TechnicalAssessment;

namespace PBServices.TechnicalAssessment.Infrastructure;

internal static class AssessmentStore
{
    private const string Columns = "id, proposal_id AS ProposalId, process_id AS ProcessId, jurisdiction, title, cost, status, viable, score, reasons, assessor";

    public static Task InsertAsync(this UnitOfWork uow, DomainAssessment a, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO assessments (id, proposal_id, process_id, jurisdiction, title, cost, status, queued_at)
            VALUES (@Id, @ProposalId, @ProcessId, @Jurisdiction, @Title, @Cost, @Status, @now)
            ON CONFLICT (proposal_id) DO NOTHING
            """, new { a.Id, a.ProposalId, a.ProcessId, a.Jurisdiction, a.Title, a.Cost, Status = a.Status.ToString(), now = uow.Now }, ct));

    public static async Task<DomainAssessment> GetByProposalAsync(this UnitOfWork uow, Guid proposalId, CancellationToken ct, bool forUpdate = false)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<Row>(uow.Command(
            $"SELECT {Columns} FROM assessments WHERE proposal_id = @proposalId {(forUpdate ? "FOR UPDATE" : "")}", new { proposalId }, ct));
        return row?.ToDomain() ?? throw new NotFoundException("Assessment of proposal", proposalId);
    }

    public static async Task<IReadOnlyList<DomainAssessment>> GetQueueAsync(this UnitOfWork uow, string jurisdiction, Guid? processId, CancellationToken ct)
    {
        var rows = await uow.Connection.QueryAsync<Row>(uow.Command(
            $"SELECT {Columns} FROM assessments WHERE jurisdiction = @jurisdiction AND (@processId::uuid IS NULL OR process_id = @processId) ORDER BY queued_at, id",
            new { jurisdiction, processId }, ct));
        return rows.Select(r => r.ToDomain()).ToList();
    }

    public static Task CompleteAsync(this UnitOfWork uow, DomainAssessment a, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            "UPDATE assessments SET status = @Status, viable = @Viable, score = @Score, reasons = @Reasons, assessor = @Assessor, completed_at = @now WHERE id = @Id",
            new { a.Id, Status = a.Status.ToString(), a.Viable, a.Score, a.Reasons, a.Assessor, now = uow.Now }, ct));

    private sealed record Row(Guid Id, Guid ProposalId, Guid ProcessId, string Jurisdiction, string Title, decimal Cost, string Status, bool? Viable, decimal? Score, string? Reasons, string? Assessor)
    {
        public DomainAssessment ToDomain() => DomainAssessment.Restore(Id, ProposalId, ProcessId, Jurisdiction, Title, Cost, Status, Viable, Score, Reasons, Assessor);
    }
}
