using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Inbox;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Deliberation.Domain;
using PBServices.Deliberation.Infrastructure;

namespace PBServices.Deliberation.IntegrationEvents;

/// <summary>Records the technical team's verdict and score on the proposal, which ranks it in prioritisation.</summary>
public sealed class AssessmentCompletedHandler(UnitOfWorkFactory db, ILogger<AssessmentCompletedHandler> logger) : IdempotentConsumer<AssessmentCompleted>(db, logger)
{
    protected override async Task HandleAsync(AssessmentCompleted e, UnitOfWork uow, CancellationToken ct)
    {
        if (!await uow.RecordAssessmentAsync(AssessmentOutcome.From(e), ct))
        {
            throw new InvalidOperationException($"Assessment for unknown proposal {e.ProposalId}");
        }
    }
}
