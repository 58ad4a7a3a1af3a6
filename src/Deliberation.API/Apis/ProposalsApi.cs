using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Security;
using PBServices.Contracts;
using PBServices.Deliberation.Domain;
using PBServices.Deliberation.Infrastructure;

namespace PBServices.Deliberation.Apis;

public static class ProposalsApi
{
    public static IEndpointRouteBuilder MapProposalsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/deliberation")
            .WithTag("Proposals", "Project proposals of accredited agents, and the prioritised list of viable proposals within the budget ceiling.");
        api.MapPost("/processes/{processId:guid}/proposals", SubmitProposal).RequireAuthorization(Roles.Agent)
            .WithSummary("Submit a public-investment project proposal to a process, as an accredited agent")
            .Refuses(StatusCodes.Status409Conflict, "The process is not in Concertation, the stage that takes proposals.");
        api.MapGet("/processes/{processId:guid}/proposals", ListProposals)
            .AllowAnonymous()
            .WithSummary("List a process's proposals with their assessment status and score");
        api.MapPost("/processes/{processId:guid}/prioritized-list", Prioritize).RequireAuthorization(Roles.ProcessAdmin)
            .WithSummary("Prioritise within the budget ceiling and send the list to coordination: the result of the agents' vote where they voted, else the technical scores, greedily")
            .Refuses(StatusCodes.Status409Conflict, "The process is not in Concertation, proposals still wait for the technical assessment, none is viable, or the process already has a prioritised list.");
        api.MapGet("/processes/{processId:guid}/prioritized-list", GetPrioritizedList)
            .AllowAnonymous()
            .WithSummary("Get a process's prioritised list: the funded projects in rank order and their total cost");
        return app;
    }

    public sealed record SubmitProposalRequest(string? Title, string? Description, decimal Cost, string? Location, int Beneficiaries, string? PlanObjective);
    public sealed record ProposalResponse(Guid Id, Guid ProcessId, string Title, decimal Cost, string Status, decimal? Score);
    public sealed record PrioritizedListResponse(Guid ListId, Guid ProcessId, string Rule, decimal BudgetCeiling, decimal TotalCost, IReadOnlyList<ListedProject> Projects);

    private static async Task<Created<ProposalResponse>> SubmitProposal(Guid processId, SubmitProposalRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        var agentId = user.SubjectId();
        var agent = await uow.FindAccreditedAgentAsync(agentId, ct);
        var (proposal, submitted) = Proposal.Submit(process, agent, agentId, r.Title, r.Description, r.Cost, r.Location, r.Beneficiaries, r.PlanObjective, uow.Now);
        await uow.InsertProposalAsync(proposal, ct);
        uow.Publish(submitted);
        uow.Audit(Actor.As(user, Roles.Agent), "proposal.submitted", processId, proposal.Id.ToString(),
            new { proposal.Title, proposal.Description, proposal.Cost, proposal.Location, proposal.Beneficiaries, proposal.PlanObjective });
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
        // Where the agents voted, their ballots decide; otherwise the technical team's scores, greedily.
        var round = await uow.FindRoundOfProcessAsync(processId, ct);
        var (list, prioritized) = round is null
            ? PrioritizedList.Prioritize(process, await uow.GetProposalsAsync(processId, ct), uow.Now)
            : PrioritizedList.FromVote(process, round, (await uow.TallyAsync(process, round, ct)).Outcome, uow.Now);
        await uow.InsertPrioritizedListAsync(list, ct);
        uow.Publish(prioritized);
        uow.Audit(Actor.As(user, Roles.ProcessAdmin), "list.prioritized", processId, list.Id.ToString(), new { list.Rule, list.BudgetCeiling, list.Total, Projects = list.Items });
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
