using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Inbox;
using PBServices.Contracts.IntegrationEvents;
using PBServices.TechnicalAssessment.Infrastructure;

namespace PBServices.TechnicalAssessment.IntegrationEvents;

/// <summary>
/// Keeps the process's level (whose competence a proposal is, by the checklist) and its Concertation window (after which
/// pending work is overdue). A second consumer of ProcessOpened beside the stage copy: the inbox is keyed per consumer.
/// </summary>
public sealed class ProcessOpenedCalendarCopy(UnitOfWorkFactory db, ILogger<ProcessOpenedCalendarCopy> logger) : IdempotentConsumer<ProcessOpened>(db, logger)
{
    protected override Task HandleAsync(ProcessOpened e, UnitOfWork uow, CancellationToken ct) => uow.KeepCalendarAsync(e, ct);
}
