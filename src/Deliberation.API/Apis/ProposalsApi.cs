using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Security;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
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
            .WithSummary("List a process's proposals at their current version, with their assessment status, score and the cost prioritisation uses");
        api.MapGet("/processes/{processId:guid}/proposals/{proposalId:guid}", GetProposal)
            .AllowAnonymous()
            .WithSummary("Get a proposal at its current version, with the technical team's verdict on that version: recommendation, adjusted cost and reasons");
        api.MapGet("/processes/{processId:guid}/proposals/{proposalId:guid}/versions", ListVersions)
            .AllowAnonymous()
            .WithSummary("Every version of a proposal, oldest first, each with the technical team's verdict on it once given");
        api.MapPut("/processes/{processId:guid}/proposals/{proposalId:guid}", ReplaceProposal).RequireAuthorization(Roles.Agent)
            .WithSummary("As its proposer, replace a proposal with a new version (every field): an edit while it waits for assessment, a revision after it was observed")
            .Refuses(StatusCodes.Status403Forbidden, "The agent is not the proposer, or no longer accredited.")
            .Refuses(StatusCodes.Status409Conflict, "The proposal is assessed (viable or not) or withdrawn, the vote has opened, or the process is not in Concertation.");
        api.MapPatch("/processes/{processId:guid}/proposals/{proposalId:guid}", PatchProposal).RequireAuthorization(Roles.Agent)
            .WithSummary("As its proposer, change some fields of a proposal (the others stay): a new version, as with PUT")
            .Refuses(StatusCodes.Status403Forbidden, "The agent is not the proposer, or no longer accredited.")
            .Refuses(StatusCodes.Status409Conflict, "The proposal is assessed (viable or not) or withdrawn, the vote has opened, or the process is not in Concertation.");
        api.MapPost("/processes/{processId:guid}/proposals/{proposalId:guid}/withdrawal", WithdrawProposal).RequireAuthorization(Roles.Agent)
            .WithSummary("As its proposer, withdraw a proposal with a reason; it stays listed as withdrawn and never enters a vote or a list")
            .Refuses(StatusCodes.Status403Forbidden, "The agent is not the proposer.")
            .Refuses(StatusCodes.Status409Conflict, "The proposal is already withdrawn, the vote has opened, or the process is not in Concertation.");
        api.MapPost("/processes/{processId:guid}/prioritized-list", Prioritize).RequireAuthorization(Roles.ProcessAdmin)
            .WithSummary("Prioritise within the budget ceiling and send the list to coordination: the result of the agents' vote where they voted, else greedily by the criteria matrix's weighted totals where it has scores (rule greedy-criteria), else by the technical scores (rule greedy)")
            .Refuses(StatusCodes.Status409Conflict, "The process is not in Concertation, proposals still wait for the technical assessment or their criteria scores, none is viable, or the process already has a prioritised list.");
        api.MapGet("/processes/{processId:guid}/prioritized-list", GetPrioritizedList)
            .AllowAnonymous()
            .WithSummary("Get a process's prioritised list: the funded projects in rank order and their total cost");
        return app;
    }

    /// <summary><paramref name="Districts"/>: the districts (ubigeo) whose residents benefit; a district's proposal benefits the district itself when none is named.</summary>
    public sealed record SubmitProposalRequest(string? Title, string? Description, decimal Cost, string? Location, int Beneficiaries, string? PlanObjective,
        IReadOnlyList<string>? Districts = null);
    public sealed record ProposalChangeRequest(string? Title, string? Description, decimal? Cost, string? Location, int? Beneficiaries, string? PlanObjective,
        IReadOnlyList<string>? Districts = null);
    public sealed record WithdrawalRequest(string? Reason);
    /// <summary><paramref name="Cost"/> is the proposer's; <paramref name="EffectiveCost"/> the one the vote and the list use (the adjusted cost where the technical team set one).</summary>
    public sealed record ProposalResponse(Guid Id, Guid ProcessId, string Title, decimal Cost, string Status, decimal? Score, int Version = 1,
        AssessmentRecommendation? Recommendation = null, decimal? AdjustedCost = null, decimal? EffectiveCost = null);
    public sealed record AssessmentSummary(int Version, AssessmentRecommendation Recommendation, decimal Score, decimal? AdjustedCost, string Reasons);
    public sealed record ProposalDetailResponse(Guid Id, Guid ProcessId, int Version, string Title, string Description, decimal Cost, string Location, int Beneficiaries,
        string PlanObjective, string Status, decimal EffectiveCost, AssessmentSummary? Assessment, string? WithdrawalReason, IReadOnlyList<string> Districts);
    public sealed record VersionAssessmentResponse(AssessmentRecommendation Recommendation, decimal Score, decimal? AdjustedCost, string Reasons, DateTimeOffset AssessedAt);
    public sealed record ProposalVersionResponse(int Version, string Title, string Description, decimal Cost, string Location, int Beneficiaries, string PlanObjective,
        DateTimeOffset CreatedAt, VersionAssessmentResponse? Assessment, IReadOnlyList<string> Districts);
    public sealed record PrioritizedListResponse(Guid ListId, Guid ProcessId, string Rule, decimal BudgetCeiling, decimal TotalCost, IReadOnlyList<ListedProject> Projects);

    private static async Task<Created<ProposalResponse>> SubmitProposal(Guid processId, SubmitProposalRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        var agentId = user.SubjectId();
        var agent = await uow.FindAccreditedAgentAsync(agentId, ct);
        var (proposal, submitted) = Proposal.Submit(process, agent, agentId, r.Title, r.Description, r.Cost, r.Location, r.Beneficiaries, r.PlanObjective, uow.Now, r.Districts);
        await uow.InsertProposalAsync(proposal, ct);
        uow.Publish(submitted);
        uow.Audit(Actor.As(user, Roles.Agent), "proposal.submitted", processId, proposal.Id.ToString(),
            new { proposal.Title, proposal.Description, proposal.Cost, proposal.Location, proposal.Beneficiaries, proposal.PlanObjective, proposal.Districts });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/deliberation/processes/{processId}/proposals/{proposal.Id}",
            new ProposalResponse(proposal.Id, processId, proposal.Title, proposal.Cost, proposal.Status.ToString(), null, proposal.Version, EffectiveCost: proposal.EffectiveCost));
    }

    private static async Task<Ok<ProposalDetailResponse>> GetProposal(Guid processId, Guid proposalId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        return TypedResults.Ok(ToDetail(await uow.GetProposalAsync(processId, proposalId, ct)));
    }

    private static async Task<Ok<ProposalVersionResponse[]>> ListVersions(Guid processId, Guid proposalId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        await uow.GetProposalAsync(processId, proposalId, ct);
        var versions = await uow.GetVersionsAsync(proposalId, ct);
        return TypedResults.Ok(versions.Select(v => new ProposalVersionResponse(v.Version, v.Content.Title, v.Content.Description, v.Content.Cost, v.Content.Location,
            v.Content.Beneficiaries, v.Content.PlanObjective, v.CreatedAt,
            v.Assessment is { } a ? new VersionAssessmentResponse(a.Recommendation, a.Score, a.AdjustedCost, a.Reasons, a.AssessedAt) : null, v.Content.Districts)).ToArray());
    }

    private static Task<Ok<ProposalDetailResponse>> ReplaceProposal(Guid processId, Guid proposalId, ProposalChangeRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct) =>
        ChangeAsync(processId, proposalId, r, replace: true, user, db, ct);

    private static Task<Ok<ProposalDetailResponse>> PatchProposal(Guid processId, Guid proposalId, ProposalChangeRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct) =>
        ChangeAsync(processId, proposalId, r, replace: false, user, db, ct);

    private static async Task<Ok<ProposalDetailResponse>> ChangeAsync(Guid processId, Guid proposalId, ProposalChangeRequest r, bool replace, ClaimsPrincipal user,
        UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        var proposal = await uow.GetProposalAsync(processId, proposalId, ct, forUpdate: true);
        var agentId = user.SubjectId();
        var revision = proposal.Status == ProposalStatus.Observed;
        var revised = proposal.Revise(process, await uow.FindAccreditedAgentAsync(agentId, ct), agentId, await uow.VoteBegunAsync(processId, ct),
            new ProposalChange(r.Title, r.Description, r.Cost, r.Location, r.Beneficiaries, r.PlanObjective, r.Districts), replace);
        await uow.UpdateProposalAsync(proposal, ct);
        await uow.InsertVersionAsync(proposal, ct);
        uow.Publish(revised);
        uow.Audit(Actor.As(user, Roles.Agent), revision ? "proposal.revised" : "proposal.edited", processId, proposal.Id.ToString(),
            new { proposal.Version, proposal.Title, proposal.Description, proposal.Cost, proposal.Location, proposal.Beneficiaries, proposal.PlanObjective, proposal.Districts });
        await uow.CommitAsync(ct);
        return TypedResults.Ok(ToDetail(proposal));
    }

    private static async Task<Ok<ProposalDetailResponse>> WithdrawProposal(Guid processId, Guid proposalId, WithdrawalRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        var proposal = await uow.GetProposalAsync(processId, proposalId, ct, forUpdate: true);
        proposal.Withdraw(process, user.SubjectId(), await uow.VoteBegunAsync(processId, ct), r.Reason);
        await uow.UpdateProposalAsync(proposal, ct);
        uow.Audit(Actor.As(user, Roles.Agent), "proposal.withdrawn", processId, proposal.Id.ToString(), new { proposal.Version, Status = proposal.Status.ToString() }, proposal.WithdrawalReason);
        await uow.CommitAsync(ct);
        return TypedResults.Ok(ToDetail(proposal));
    }

    private static ProposalDetailResponse ToDetail(Proposal p) =>
        new(p.Id, p.ProcessId, p.Version, p.Title, p.Description, p.Cost, p.Location, p.Beneficiaries, p.PlanObjective, p.Status.ToString(), p.EffectiveCost,
            p.Recommendation is { } rec ? new AssessmentSummary(p.Version, rec, p.Score ?? 0m, p.AdjustedCost, p.AssessmentReasons ?? "") : null, p.WithdrawalReason, p.Districts);

    private static async Task<Ok<ProposalResponse[]>> ListProposals(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        await uow.GetProcessAsync(processId, ct);
        var proposals = await uow.GetProposalsAsync(processId, ct);
        return TypedResults.Ok(proposals.Select(p => new ProposalResponse(p.Id, processId, p.Title, p.Cost, p.Status.ToString(), p.Score, p.Version, p.Recommendation,
            p.AdjustedCost, p.EffectiveCost)).ToArray());
    }

    private static async Task<Created<PrioritizedListResponse>> Prioritize(Guid processId, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        // Locked: a criteria score committed while the list is drawn would not be in it.
        await uow.LockProcessAsync(processId, ct);
        // Where the agents voted, their ballots decide; otherwise the criteria matrix's weighted totals where it
        // has scores, else the technical team's scores, greedily.
        var round = await uow.FindRoundOfProcessAsync(processId, ct);
        var (list, prioritized) = round is null
            ? PrioritizedList.Prioritize(process, await uow.GetProposalsAsync(processId, ct, forShare: true), uow.Now, await CriteriaRankingAsync(uow, processId, ct))
            : PrioritizedList.FromVote(process, round, (await uow.TallyAsync(process, round, ct)).Outcome, uow.Now);
        await uow.InsertPrioritizedListAsync(list, ct);
        uow.Publish(prioritized);
        uow.Audit(Actor.As(user, Roles.ProcessAdmin), "list.prioritized", processId, list.Id.ToString(), new { list.Rule, list.BudgetCeiling, list.Total, Projects = list.Items });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/deliberation/processes/{processId}/prioritized-list",
            new PrioritizedListResponse(list.Id, processId, list.Rule, list.BudgetCeiling, list.Total, list.Items));
    }

    private static async Task<CriteriaRanking?> CriteriaRankingAsync(UnitOfWork uow, Guid processId, CancellationToken ct) =>
        await uow.FindCriteriaMatrixAsync(processId, ct) is { } matrix
            ? CriteriaRanking.Of(matrix, await uow.GetProposalsAsync(processId, ct), await uow.GetCriterionScoresAsync(processId, ct))
            : null;

    private static async Task<Results<Ok<PrioritizedListResponse>, NotFound>> GetPrioritizedList(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var list = await uow.GetPrioritizedListAsync(processId, ct);
        return list is { } l
            ? TypedResults.Ok(new PrioritizedListResponse(l.Id, processId, l.Rule, l.Ceiling, l.Total, l.Items))
            : TypedResults.NotFound();
    }
}
