using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Inbox;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Contracts.Submissions;
using PBServices.Coordination.Infrastructure;

namespace PBServices.Coordination.IntegrationEvents;

/// <summary>Keeps what impact classification reads of a proposal: its districts, beneficiaries, objective and cost.</summary>
public sealed class ProposalSubmittedCopy(UnitOfWorkFactory db, ILogger<ProposalSubmittedCopy> logger) : IdempotentConsumer<ProposalSubmitted>(db, logger)
{
    protected override Task HandleAsync(ProposalSubmitted e, UnitOfWork uow, CancellationToken ct) =>
        uow.UpsertProposalAsync(e.ProposalId, e.ProcessId, e.Jurisdiction, 1, e.Title, e.Cost, e.Location, e.Beneficiaries, e.PlanObjective, e.Districts, ct);
}

/// <summary>A revised proposal replaces its copy when it is newer.</summary>
public sealed class ProposalRevisedCopy(UnitOfWorkFactory db, ILogger<ProposalRevisedCopy> logger) : IdempotentConsumer<ProposalRevised>(db, logger)
{
    protected override Task HandleAsync(ProposalRevised e, UnitOfWork uow, CancellationToken ct) =>
        uow.UpsertProposalAsync(e.ProposalId, e.ProcessId, e.Jurisdiction, e.Version, e.Title, e.Cost, e.Location, e.Beneficiaries, e.PlanObjective, e.Districts, ct);
}

/// <summary>
/// The technical team's assessment of a proposal: the recommendation and adjusted cost the formalized list's dossier states to
/// the Ministry, and the finding that it is a matter of another level, which impact classification shows.
/// </summary>
public sealed class AssessmentCompetenceCopy(UnitOfWorkFactory db, ILogger<AssessmentCompetenceCopy> logger) : IdempotentConsumer<AssessmentCompleted>(db, logger)
{
    protected override Task HandleAsync(AssessmentCompleted e, UnitOfWork uow, CancellationToken ct) =>
        uow.SetAssessmentAsync(e.ProposalId, AssessmentOf(e), e.Competence, ct);

    /// <summary>Events from before recommendations had four kinds say only whether the proposal is viable.</summary>
    public static ProjectAssessment AssessmentOf(AssessmentCompleted e) =>
        new(e.Recommendation ?? (e.Viable ? AssessmentRecommendation.Viable : AssessmentRecommendation.NotViable),
            e.Recommendation == AssessmentRecommendation.ViableAtAdjustedCost ? e.AdjustedCost : null, e.Version);
}
