using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Inbox;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Deliberation.Domain;
using PBServices.Deliberation.Infrastructure;

namespace PBServices.Deliberation.IntegrationEvents;

/// <summary>
/// Records the technical team's verdict on the version it assessed: viable (perhaps at an adjusted cost),
/// observed (back to the proposer) or not viable. A verdict on a version the proposer has since replaced,
/// or on a withdrawn proposal, changes nothing: the newer version gets its own assessment.
/// </summary>
public sealed class AssessmentCompletedHandler(UnitOfWorkFactory db, ILogger<AssessmentCompletedHandler> logger) : IdempotentConsumer<AssessmentCompleted>(db, logger)
{
    protected override async Task HandleAsync(AssessmentCompleted e, UnitOfWork uow, CancellationToken ct)
    {
        var proposal = await uow.FindProposalAsync(e.ProposalId, ct, forUpdate: true)
            ?? throw new InvalidOperationException($"Assessment for unknown proposal {e.ProposalId}");
        var outcome = AssessmentOutcome.From(e);
        if (!proposal.Record(outcome))
        {
            logger.LogInformation("Assessment {AssessmentId} of proposal {ProposalId} version {Version} ignored: the proposal is at version {Current}, {Status}",
                e.AssessmentId, e.ProposalId, e.Version, proposal.Version, proposal.Status);
            return;
        }
        await uow.UpdateProposalAsync(proposal, ct);
        await uow.RecordVersionAssessmentAsync(outcome, ct);
    }
}
