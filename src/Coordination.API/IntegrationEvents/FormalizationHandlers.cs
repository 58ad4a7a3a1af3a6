using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Inbox;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Coordination.Infrastructure;

namespace PBServices.Coordination.IntegrationEvents;

/// <summary>Keeps the process's rules, for the oversight committee's size and quotas; the stage copy is a consumer of its own.</summary>
public sealed class ProcessOpenedRulesCopy(UnitOfWorkFactory db, ILogger<ProcessOpenedRulesCopy> logger) : IdempotentConsumer<ProcessOpened>(db, logger)
{
    protected override Task HandleAsync(ProcessOpened e, UnitOfWork uow, CancellationToken ct) => uow.InsertRulesAsync(e, ct);
}

/// <summary>Coordination's own copy of the accredited agents: who may be recorded present, stand for the committee, vote in it and sign the acta.</summary>
public sealed class AgentAccreditedHandler(UnitOfWorkFactory db, ILogger<AgentAccreditedHandler> logger) : IdempotentConsumer<AgentAccredited>(db, logger)
{
    protected override Task HandleAsync(AgentAccredited e, UnitOfWork uow, CancellationToken ct) => uow.UpsertAgentAsync(e, ct);
}

public sealed class AgentAccreditationRevokedHandler(UnitOfWorkFactory db, ILogger<AgentAccreditationRevokedHandler> logger) : IdempotentConsumer<AgentAccreditationRevoked>(db, logger)
{
    protected override Task HandleAsync(AgentAccreditationRevoked e, UnitOfWork uow, CancellationToken ct) => uow.RevokeAgentAsync(e.AgentId, ct);
}

/// <summary>The agents approved the final list at the formalization workshop: the acta may now be drawn up.</summary>
public sealed class FinalListVotedHandler(UnitOfWorkFactory db, ILogger<FinalListVotedHandler> logger) : IdempotentConsumer<FinalListVoted>(db, logger)
{
    protected override async Task HandleAsync(FinalListVoted e, UnitOfWork uow, CancellationToken ct)
    {
        // The list arrives with ListPrioritized on another queue: fail so the retry finds it.
        await uow.GetByProcessAsync(e.ProcessId, ct);
        await uow.InsertFinalVoteAsync(e, ct);
    }
}
