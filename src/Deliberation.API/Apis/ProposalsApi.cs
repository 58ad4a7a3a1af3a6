using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Security;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Deliberation.Domain;
using PBServices.Deliberation.Infrastructure;

namespace PBServices.Deliberation.Apis;

public static class ProposalsApi
{
    public static IEndpointRouteBuilder MapProposalsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/deliberation").WithTags("Proposals");
        api.MapPost("/processes/{processId:guid}/proposals", SubmitProposal).RequireAuthorization(Roles.Agent);
        api.MapGet("/processes/{processId:guid}/proposals", ListProposals)
            .AllowAnonymous();
        api.MapPost("/processes/{processId:guid}/prioritized-list", Prioritize).RequireAuthorization(Roles.ProcessAdmin);
        api.MapGet("/processes/{processId:guid}/prioritized-list", GetPrioritizedList)
            .AllowAnonymous();
        return app;
    }

    public sealed record SubmitProposalRequest(string? Title, string? Description, decimal Cost, string? Location, int Beneficiaries, string? PlanObjective);
    public sealed record ProposalResponse(Guid Id, Guid ProcessId, string Title, decimal Cost, string Status, decimal? Score);
    public sealed record PrioritizedListResponse(Guid ListId, Guid ProcessId, string Rule, decimal BudgetCeiling, decimal TotalCost, IReadOnlyList<PrioritizedItem> Projects);

    private static async Task<Created<ProposalResponse>> SubmitProposal(Guid processId, SubmitProposalRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        var agentId = user.SubjectId();
        var agent = await uow.FindAccreditedAgentAsync(agentId, ct);
        var proposal = Proposal.Submit(process, agent, agentId, r.Title, r.Description, r.Cost, r.Location, r.Beneficiaries, r.PlanObjective, uow.Now);
        await uow.InsertProposalAsync(proposal, ct);
        uow.Publish(new ProposalSubmitted
        {
            ProcessId = process.Id,
            Jurisdiction = process.Jurisdiction,
            ProposalId = proposal.Id,
            AgentId = agentId,
            Title = proposal.Title,
            Description = proposal.Description,
            Cost = proposal.Cost,
            Location = proposal.Location,
            Beneficiaries = proposal.Beneficiaries,
            PlanObjective = proposal.PlanObjective,
        });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/deliberation/processes/{processId}/proposals/{proposal.Id}",
            new ProposalResponse(proposal.Id, processId, proposal.Title, proposal.Cost, proposal.Status.ToString(), null));
    }

    private static async Task<Ok<ProposalResponse[]>> ListProposals(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        await uow.GetProcessAsync(processId, ct);
        var proposals = await uow.GetProposalsAsync(processId, ct);
        return TypedResults.Ok(proposals.Select(p => new ProposalResponse(p.Id, processId, p.Title, p.Cost, p.Status.ToString(), p.Score)).ToArray());
    }

    private static async Task<Created<PrioritizedListResponse>> Prioritize(Guid processId, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        var list = PrioritizedList.Prioritize(process, await uow.GetProposalsAsync(processId, ct), uow.Now);
        await uow.InsertPrioritizedListAsync(list, ct);
        uow.Publish(new ListPrioritized
        {
            ProcessId = process.Id,
            Jurisdiction = process.Jurisdiction,
            ListId = list.Id,
            Level = process.Level,
            FiscalYear = process.FiscalYear,
            BudgetCeiling = list.BudgetCeiling,
            Rule = list.Rule,
            Projects = list.Items.Select(i => new PrioritizedProject { ProposalId = i.ProposalId, Title = i.Title, Cost = i.Cost, Score = i.Score, Rank = i.Rank }).ToList(),
        });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/deliberation/processes/{processId}/prioritized-list",
            new PrioritizedListResponse(list.Id, processId, list.Rule, list.BudgetCeiling, list.Total, list.Items));
    }

    private static async Task<Results<Ok<PrioritizedListResponse>, NotFound>> GetPrioritizedList(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var list = await uow.GetPrioritizedListAsync(processId, ct);
        return list is { } l
            ? TypedResults.Ok(new PrioritizedListResponse(l.Id, processId, l.Rule, l.Ceiling, l.Total, l.Items))
            : TypedResults.NotFound();
    }
}
