using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Inbox;
using PBServices.Contracts.IntegrationEvents;
using PBServices.TechnicalAssessment.Infrastructure;
using DomainAssessment = PBServices.TechnicalAssessment.Domain.TechnicalAssessment;

namespace PBServices.TechnicalAssessment.IntegrationEvents;

/// <summary>A revised proposal is assessed again, as its new version; a pending assessment of an earlier version is superseded.</summary>
public sealed class ProposalRevisedHandler(UnitOfWorkFactory db, ILogger<ProposalRevisedHandler> logger) : IdempotentConsumer<ProposalRevised>(db, logger)
{
    protected override Task HandleAsync(ProposalRevised e, UnitOfWork uow, CancellationToken ct) =>
        uow.InsertAsync(DomainAssessment.Queue(e, uow.Now), ct);
}
