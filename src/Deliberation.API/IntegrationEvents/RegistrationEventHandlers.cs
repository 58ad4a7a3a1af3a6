using Dapper;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Inbox;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.Deliberation.IntegrationEvents;

public sealed class ProcessOpenedHandler(UnitOfWorkFactory db, ILogger<ProcessOpenedHandler> logger) : IdempotentConsumer<ProcessOpened>(db, logger)
{
    protected override Task HandleAsync(ProcessOpened e, UnitOfWork uow, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO processes (id, jurisdiction, name, fiscal_year, level, budget_ceiling, stage)
            VALUES (@ProcessId, @Jurisdiction, @Name, @FiscalYear, @Level, @BudgetCeiling, @Stage)
            ON CONFLICT (id) DO NOTHING
            """, new { e.ProcessId, e.Jurisdiction, e.Name, e.FiscalYear, e.Level, e.BudgetCeiling, e.Stage }, ct));
}

public sealed class StageAdvancedHandler(UnitOfWorkFactory db, ILogger<StageAdvancedHandler> logger) : IdempotentConsumer<StageAdvanced>(db, logger)
{
    protected override async Task HandleAsync(StageAdvanced e, UnitOfWork uow, CancellationToken ct)
    {
        var updated = await uow.Connection.ExecuteAsync(uow.Command(
            "UPDATE processes SET stage = @ToStage WHERE id = @ProcessId AND stage = @FromStage", new { e.ProcessId, e.FromStage, e.ToStage }, ct));
        if (updated == 0)
        {
            // The ProcessOpened copy has not arrived yet (separate queues): fail so the retry finds it.
            throw new InvalidOperationException($"Process {e.ProcessId} is not known in stage {e.FromStage} yet");
        }
    }
}

public sealed class AgentAccreditedHandler(UnitOfWorkFactory db, ILogger<AgentAccreditedHandler> logger) : IdempotentConsumer<AgentAccredited>(db, logger)
{
    protected override Task HandleAsync(AgentAccredited e, UnitOfWork uow, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            "INSERT INTO accredited_agents (agent_id, process_id, full_name) VALUES (@AgentId, @ProcessId, @FullName) ON CONFLICT (agent_id) DO UPDATE SET revoked = false",
            new { e.AgentId, e.ProcessId, e.FullName }, ct));
}

public sealed class AgentAccreditationRevokedHandler(UnitOfWorkFactory db, ILogger<AgentAccreditationRevokedHandler> logger) : IdempotentConsumer<AgentAccreditationRevoked>(db, logger)
{
    protected override Task HandleAsync(AgentAccreditationRevoked e, UnitOfWork uow, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command("UPDATE accredited_agents SET revoked = true WHERE agent_id = @AgentId", new { e.AgentId }, ct));
}
