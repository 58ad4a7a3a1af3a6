using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Inbox;
using PBServices.Contracts.IntegrationEvents;
using PBServices.MinistrySubmission.Infrastructure;

namespace PBServices.MinistrySubmission.IntegrationEvents;

/// <summary>The stage a process opened in, and when: the submission states every stage the process went through.</summary>
public sealed class ProcessOpenedStageHistory(UnitOfWorkFactory db, ILogger<ProcessOpenedStageHistory> logger) : IdempotentConsumer<ProcessOpened>(db, logger)
{
    protected override Task HandleAsync(ProcessOpened e, UnitOfWork uow, CancellationToken ct) =>
        uow.RecordStageEnteredAsync(e.ProcessId, e.Stage, e.OccurredAt, ct);
}

/// <summary>Each stage the process entered after it opened, and when.</summary>
public sealed class StageAdvancedStageHistory(UnitOfWorkFactory db, ILogger<StageAdvancedStageHistory> logger) : IdempotentConsumer<StageAdvanced>(db, logger)
{
    protected override Task HandleAsync(StageAdvanced e, UnitOfWork uow, CancellationToken ct) =>
        uow.RecordStageEnteredAsync(e.ProcessId, e.ToStage, e.OccurredAt, ct);
}
