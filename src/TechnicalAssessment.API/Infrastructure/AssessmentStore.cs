using Dapper;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts.IntegrationEvents;
using DomainAssessment = PBServices.TechnicalAssessment.Domain.TechnicalAssessment;

namespace PBServices.TechnicalAssessment.Infrastructure;

internal static class AssessmentStore
{
    private const string Columns = "id, proposal_id AS ProposalId, process_id AS ProcessId, jurisdiction, title, cost, status, viable, score, reasons, assessor, version, " +
        "recommendation, adjusted_cost AS AdjustedCost";

    /// <summary>
    /// Queues a version once, however often its event is delivered; whichever order versions arrive in, only the
    /// newest stays pending, the earlier pending ones are superseded.
    /// </summary>
    public static async Task InsertAsync(this UnitOfWork uow, DomainAssessment a, CancellationToken ct)
    {
        await uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO assessments (id, proposal_id, process_id, jurisdiction, title, cost, status, queued_at, version)
            VALUES (@Id, @ProposalId, @ProcessId, @Jurisdiction, @Title, @Cost, @Status, @now, @Version)
            ON CONFLICT (proposal_id, version) DO NOTHING
            """, new { a.Id, a.ProposalId, a.ProcessId, a.Jurisdiction, a.Title, a.Cost, Status = a.Status.ToString(), now = uow.Now, a.Version }, ct));
        await uow.Connection.ExecuteAsync(uow.Command(
            """
            UPDATE assessments SET status = 'Superseded'
            WHERE proposal_id = @ProposalId AND status = 'Pending' AND version < (SELECT max(version) FROM assessments WHERE proposal_id = @ProposalId)
            """, new { a.ProposalId }, ct));
    }

    /// <summary>The assessment of the proposal's newest version.</summary>
    public static async Task<DomainAssessment> GetByProposalAsync(this UnitOfWork uow, Guid proposalId, CancellationToken ct, bool forUpdate = false)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<Row>(uow.Command(
            $"SELECT {Columns} FROM assessments WHERE proposal_id = @proposalId ORDER BY version DESC LIMIT 1 {(forUpdate ? "FOR UPDATE" : "")}", new { proposalId }, ct));
        return row?.ToDomain() ?? throw new NotFoundException("Assessment of proposal", proposalId);
    }

    /// <summary>Each proposal once, at its newest version: superseded versions are not the team's work any more.</summary>
    public static async Task<IReadOnlyList<DomainAssessment>> GetQueueAsync(this UnitOfWork uow, string jurisdiction, Guid? processId, CancellationToken ct)
    {
        var rows = await uow.Connection.QueryAsync<Row>(uow.Command(
            $"""
            SELECT {Columns} FROM assessments
            WHERE jurisdiction = @jurisdiction AND (@processId::uuid IS NULL OR process_id = @processId) AND status <> 'Superseded'
              AND version = (SELECT max(version) FROM assessments v WHERE v.proposal_id = assessments.proposal_id)
            ORDER BY queued_at, id
            """, new { jurisdiction, processId }, ct));
        return rows.Select(r => r.ToDomain()).ToList();
    }

    public static Task CompleteAsync(this UnitOfWork uow, DomainAssessment a, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            UPDATE assessments SET status = @Status, viable = @Viable, score = @Score, reasons = @Reasons, assessor = @Assessor, completed_at = @now,
                recommendation = @recommendation, adjusted_cost = @AdjustedCost
            WHERE id = @Id
            """,
            new { a.Id, Status = a.Status.ToString(), a.Viable, a.Score, a.Reasons, a.Assessor, now = uow.Now, recommendation = a.Recommendation?.ToString(), a.AdjustedCost }, ct));

    private sealed record Row(Guid Id, Guid ProposalId, Guid ProcessId, string Jurisdiction, string Title, decimal Cost, string Status, bool? Viable, decimal? Score, string? Reasons,
        string? Assessor, int Version, string? Recommendation, decimal? AdjustedCost)
    {
        public DomainAssessment ToDomain() => DomainAssessment.Restore(Id, ProposalId, ProcessId, Jurisdiction, Title, Cost, Status, Viable, Score, Reasons, Assessor, Version,
            Recommendation is { } r ? Enum.Parse<AssessmentRecommendation>(r) : null, AdjustedCost);
    }
}
