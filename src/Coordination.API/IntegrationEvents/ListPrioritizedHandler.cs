using Dapper;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Inbox;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Coordination.Domain;

namespace PBServices.Coordination.IntegrationEvents;

/// <summary>A jurisdiction's prioritised list arrives for coordination and formalization.</summary>
public sealed class ListPrioritizedHandler(UnitOfWorkFactory db, ILogger<ListPrioritizedHandler> logger) : IdempotentConsumer<ListPrioritized>(db, logger)
{
    protected override async Task HandleAsync(ListPrioritized e, UnitOfWork uow, CancellationToken ct)
    {
        await uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO lists (id, process_id, jurisdiction, level, fiscal_year, budget_ceiling, rule, status, received_at)
            VALUES (@ListId, @ProcessId, @Jurisdiction, @Level, @FiscalYear, @BudgetCeiling, @Rule, @status, @now)
            """, new { e.ListId, e.ProcessId, e.Jurisdiction, e.Level, e.FiscalYear, e.BudgetCeiling, e.Rule, status = ListStatus.Received.ToString(), now = uow.Now }, ct));
        foreach (var p in e.Projects)
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                "INSERT INTO list_projects (list_id, proposal_id, title, cost, score, rank) VALUES (@ListId, @ProposalId, @Title, @Cost, @Score, @Rank)",
                new { e.ListId, p.ProposalId, p.Title, p.Cost, p.Score, p.Rank }, ct));
        }
    }
}
