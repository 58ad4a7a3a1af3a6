using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Inbox;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Coordination.Domain;
using PBServices.Coordination.Infrastructure;

namespace PBServices.Coordination.IntegrationEvents;

/// <summary>A jurisdiction's prioritised list arrives for coordination and formalization.</summary>
public sealed class ListPrioritizedHandler(UnitOfWorkFactory db, ILogger<ListPrioritizedHandler> logger) : IdempotentConsumer<ListPrioritized>(db, logger)
{
    protected override Task HandleAsync(ListPrioritized e, UnitOfWork uow, CancellationToken ct) => uow.InsertReceivedAsync(CoordinatedList.Receive(e), ct);
}
