using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Inbox;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Coordination.Domain;
using PBServices.Coordination.Infrastructure;

namespace PBServices.Coordination.IntegrationEvents;

/// <summary>A jurisdiction's prioritised list arrives for coordination and formalization; the agents' list is the coordinated list's first state.</summary>
public sealed class ListPrioritizedHandler(UnitOfWorkFactory db, ILogger<ListPrioritizedHandler> logger) : IdempotentConsumer<ListPrioritized>(db, logger)
{
    protected override async Task HandleAsync(ListPrioritized e, UnitOfWork uow, CancellationToken ct)
    {
        var list = CoordinatedList.Receive(e);
        await uow.InsertReceivedAsync(list, ct);
        await uow.InsertItemsAsync(list, ct);
    }
}
