using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Inbox;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Oversight.Infrastructure;

namespace PBServices.Oversight.IntegrationEvents;

/// <summary>Every process oversight may come to follow, with the law's default settings until the process-admin sets its own.</summary>
public sealed class ProcessOpenedHandler(UnitOfWorkFactory db, ILogger<ProcessOpenedHandler> logger) : IdempotentConsumer<ProcessOpened>(db, logger)
{
    protected override Task HandleAsync(ProcessOpened e, UnitOfWork uow, CancellationToken ct) => uow.InsertProcessAsync(e, ct);
}

/// <summary>The formalized list is what the committee follows: its projects, the co-financing agreed and the committee itself.</summary>
public sealed class ListFormalizedHandler(UnitOfWorkFactory db, ILogger<ListFormalizedHandler> logger) : IdempotentConsumer<ListFormalized>(db, logger)
{
    protected override Task HandleAsync(ListFormalized e, UnitOfWork uow, CancellationToken ct) => uow.InsertFormalizedAsync(e, ct);
}

/// <summary>The Ministry's decision on each project, beside what the government budgets for it.</summary>
public sealed class ProjectDecidedHandler(UnitOfWorkFactory db, ILogger<ProjectDecidedHandler> logger) : IdempotentConsumer<ProjectDecided>(db, logger)
{
    protected override Task HandleAsync(ProjectDecided e, UnitOfWork uow, CancellationToken ct) => uow.ApplyMinistryDecisionAsync(e, ct);
}
