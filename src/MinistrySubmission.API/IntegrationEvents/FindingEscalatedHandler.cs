using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Inbox;
using PBServices.Contracts.IntegrationEvents;
using PBServices.MinistrySubmission.Domain;
using PBServices.MinistrySubmission.Infrastructure;

namespace PBServices.MinistrySubmission.IntegrationEvents;

/// <summary>A finding escalated to the council waits here for the jurisdiction's next package, which carries it to the Ministry.</summary>
public sealed class FindingEscalatedHandler(UnitOfWorkFactory db, ILogger<FindingEscalatedHandler> logger) : IdempotentConsumer<FindingEscalated>(db, logger)
{
    protected override async Task HandleAsync(FindingEscalated e, UnitOfWork uow, CancellationToken ct)
    {
        if (!await uow.InsertEscalatedFindingAsync(OversightReport.Received(e), ct))
        {
            logger.LogInformation("Finding {FindingId} of {Jurisdiction} was escalated before (event {EventId}); the first escalation is the one reported",
                e.FindingId, e.Jurisdiction, e.EventId);
        }
    }
}
