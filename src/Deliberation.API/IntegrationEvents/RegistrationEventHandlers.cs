using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Inbox;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Deliberation.Infrastructure;

namespace PBServices.Deliberation.IntegrationEvents;

public sealed class ProcessOpenedHandler(UnitOfWorkFactory db, ILogger<ProcessOpenedHandler> logger) : IdempotentConsumer<ProcessOpened>(db, logger)
{
    protected override Task HandleAsync(ProcessOpened e, UnitOfWork uow, CancellationToken ct) => uow.InsertProcessAsync(e, ct);
}

public sealed class StageAdvancedHandler(UnitOfWorkFactory db, ILogger<StageAdvancedHandler> logger) : IdempotentConsumer<StageAdvanced>(db, logger)
{
    protected override async Task HandleAsync(StageAdvanced e, UnitOfWork uow, CancellationToken ct)
    {
        if (!await uow.AdvanceStageAsync(e, ct))
        {
            // The ProcessOpened copy has not arrived yet (separate queues): fail so the retry finds it.
            throw new InvalidOperationException($"Process {e.ProcessId} is not known in stage {e.FromStage} yet");
        }
    }
}

public sealed class AgentAccreditedHandler(UnitOfWorkFactory db, ILogger<AgentAccreditedHandler> logger) : IdempotentConsumer<AgentAccredited>(db, logger)
{
    protected override Task HandleAsync(AgentAccredited e, UnitOfWork uow, CancellationToken ct) => uow.UpsertAccreditedAgentAsync(e, ct);
}

public sealed class AgentAccreditationRevokedHandler(UnitOfWorkFactory db, ILogger<AgentAccreditationRevokedHandler> logger) : IdempotentConsumer<AgentAccreditationRevoked>(db, logger)
{
    protected override Task HandleAsync(AgentAccreditationRevoked e, UnitOfWork uow, CancellationToken ct) => uow.RevokeAgentAsync(e.AgentId, ct);
}

/// <summary>Attendance counts where the process requires training to vote; it may arrive before or after the accreditation.</summary>
public sealed class TrainingAttendedHandler(UnitOfWorkFactory db, ILogger<TrainingAttendedHandler> logger) : IdempotentConsumer<TrainingAttended>(db, logger)
{
    protected override async Task HandleAsync(TrainingAttended e, UnitOfWork uow, CancellationToken ct)
    {
        await uow.GetProcessAsync(e.ProcessId, ct);
        await uow.RecordTrainingAsync(e, ct);
    }
}
