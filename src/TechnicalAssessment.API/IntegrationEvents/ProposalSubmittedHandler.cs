using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Inbox;
using PBServices.Contracts.IntegrationEvents;
using PBServices.TechnicalAssessment.Infrastructure;
using DomainAssessment = PBServices.TechnicalAssessment.Domain.TechnicalAssessment;

namespace PBServices.TechnicalAssessment.IntegrationEvents;

/// <summary>Every submitted proposal enters the technical team's queue.</summary>
public sealed class ProposalSubmittedHandler(UnitOfWorkFactory db, ILogger<ProposalSubmittedHandler> logger) : IdempotentConsumer<ProposalSubmitted>(db, logger)
{
    protected override Task HandleAsync(ProposalSubmitted e, UnitOfWork uow, CancellationToken ct) =>
        uow.InsertAsync(DomainAssessment.Queue(e, uow.Now), ct);
}
