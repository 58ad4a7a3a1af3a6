using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Inbox;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Deliberation.Infrastructure;

namespace PBServices.Deliberation.IntegrationEvents;

/// <summary>Keeps the list coordination closed: the one the agents vote on at the formalization workshop.</summary>
public sealed class ListCoordinatedHandler(UnitOfWorkFactory db, ILogger<ListCoordinatedHandler> logger) : IdempotentConsumer<ListCoordinated>(db, logger)
{
    protected override Task HandleAsync(ListCoordinated e, UnitOfWork uow, CancellationToken ct) => uow.InsertCoordinatedListAsync(e, ct);
}
