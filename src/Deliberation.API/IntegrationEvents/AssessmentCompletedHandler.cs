using Dapper;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Inbox;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Deliberation.Domain;

namespace PBServices.Deliberation.IntegrationEvents;

/// <summary>Records the technical team's verdict and score on the proposal, which ranks it in prioritisation.</summary>
public sealed class AssessmentCompletedHandler(UnitOfWorkFactory db, ILogger<AssessmentCompletedHandler> logger) : IdempotentConsumer<AssessmentCompleted>(db, logger)
{
    protected override async Task HandleAsync(AssessmentCompleted e, UnitOfWork uow, CancellationToken ct)
    {
        var updated = await uow.Connection.ExecuteAsync(uow.Command(
            "UPDATE proposals SET status = @status, score = @Score, assessment_reasons = @Reasons WHERE id = @ProposalId",
            new { status = (e.Viable ? ProposalStatus.Viable : ProposalStatus.NotViable).ToString(), e.Score, e.Reasons, e.ProposalId }, ct));
        if (updated == 0)
        {
            throw new InvalidOperationException($"Assessment for unknown proposal {e.ProposalId}");
        }
    }
}
