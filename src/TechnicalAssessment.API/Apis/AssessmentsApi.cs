using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Security;
using PBServices.BuildingBlocks.Processes;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
using PBServices.TechnicalAssessment.Domain;
using PBServices.TechnicalAssessment.Infrastructure;
using DomainAssessment = PBServices.TechnicalAssessment.Domain.TechnicalAssessment;

namespace PBServices.TechnicalAssessment.Apis;

public static class AssessmentsApi
{
    public static IEndpointRouteBuilder MapAssessmentsApi(this IEndpointRouteBuilder app)
    {
        // The technical team's (members and lead) by default; a proposal's assessment is public, and AllowAnonymous overrides the group's policy.
        var api = app.MapGroup("/api/assessment").RequireAuthorization(Policies.TechnicalAssessor)
            .WithTag("Assessments", "The technical team's work: the queue of submitted proposals, assignment, the checklist and a recommendation on each version.");
        api.MapGet("/queue", GetQueue)
            .InAnyJurisdiction("The queue of the token's own jurisdiction")
            .WithName("GetAssessmentQueue")
            .WithSummary("List the proposals of the token's jurisdiction in the order they arrived for assessment: all (default), pending, mine (pending and assigned to the caller) or overdue (pending after Concertation ended)");
        api.MapGet("/proposals/{proposalId:guid}", GetAssessment)
            .AllowAnonymous()
            .WithSummary("Get the technical assessment of a proposal's newest version: the version assessed, its checklist and, once done, the verdict, score, reasons and observations");
        api.MapGet("/proposals/{proposalId:guid}/history", GetHistory)
            .AllowAnonymous()
            .WithName("GetAssessmentHistory")
            .WithSummary("List the assessment of every version of a proposal, oldest first, each with its checklist, assignment and recommendation");
        api.MapPost("/proposals/{proposalId:guid}/assignment", Assign)
            .RequireAuthorization(Roles.TechnicalTeamLead)
            .WithName("AssignAssessment")
            .WithSummary("Assign the pending assessment of a proposal's newest version to a member of the technical team, or reassign it")
            .Refuses(StatusCodes.Status409Conflict, "The process is not in Concertation, the assessment is completed or superseded, or it is already assigned to that member.");
        api.MapPut("/proposals/{proposalId:guid}/checklist", SaveChecklist)
            .WithName("SaveAssessmentChecklist")
            .WithSummary("Save the checklist of a proposal's newest version (viability, cost, plan alignment, competence, duplication), partially answered if need be, until the recommendation")
            .Refuses(StatusCodes.Status409Conflict, "The process is not in Concertation, or the assessment is completed or superseded.");
        api.MapPost("/proposals/{proposalId:guid}/recommendation", Recommend)
            .WithSummary("Record the technical team's recommendation on a proposal's newest version: viable, viable at an adjusted cost, observed (back to the proposer) or not viable, with a score and the reasons")
            .Refuses(StatusCodes.Status409Conflict,
                "The process is not in Concertation, the proposal has already been assessed, the version named is not the newest, the checklist is incomplete or disagrees with the recommendation.");
        return app;
    }

    /// <summary>
    /// <paramref name="Recommendation"/> is the verdict; without it <paramref name="Viable"/> says Viable or NotViable. <paramref name="Version"/>, when given,
    /// is the version the assessor read: refused if the proposer has revised it since. <paramref name="Observations"/> go with Observed: what the
    /// proposer must address (without a checklist, the reasons stand for them). Once the assessment is assigned or its checklist started, the
    /// adjusted cost is the checklist's and may be left out.
    /// </summary>
    public sealed record RecommendationRequest(bool? Viable, decimal Score, string? Reasons, AssessmentRecommendation? Recommendation = null, decimal? AdjustedCost = null,
        int? Version = null, string? Observations = null);

    /// <summary><paramref name="Assignee"/> is the member's subject, as their token names them.</summary>
    public sealed record AssignmentRequest(string? Assignee);

    /// <summary>Every section may be left out until the recommendation; a section given is answered consistently.</summary>
    public sealed record ChecklistRequest(PreInvestmentStatus? PreInvestment, string? ViabilityNote, CostFinding? CostFinding, decimal? AdjustedCost, string? CostJustification,
        bool? AlignedWithPlan, string? AlignmentNote, GovernmentLevel? Competence, Duplication? Duplication, Guid? DuplicateOfProposal, string? DuplicateOfProject,
        string? DuplicationNote);

    /// <summary><paramref name="Missing"/> names the first section not answered yet; null once complete.</summary>
    public sealed record ChecklistResponse(PreInvestmentStatus? PreInvestment, string? ViabilityNote, CostFinding? CostFinding, decimal? AdjustedCost, string? CostJustification,
        bool? AlignedWithPlan, string? AlignmentNote, GovernmentLevel? Competence, Duplication? Duplication, Guid? DuplicateOfProposal, string? DuplicateOfProject,
        string? DuplicationNote, bool Complete, string? Missing, DateTimeOffset? SavedAt);

    /// <summary>
    /// One version's assessment. Description, location, beneficiaries and plan objective are null only for assessments queued before the service kept
    /// them. <paramref name="AssignedTo"/> and <paramref name="ConcertationEnds"/> are the team's: null in the public reads, which say only whether
    /// and when it was assigned.
    /// </summary>
    public sealed record AssessmentResponse(Guid AssessmentId, Guid ProposalId, Guid ProcessId, string Title, decimal Cost, string Status, bool? Viable, decimal? Score, string? Reasons,
        int Version, AssessmentRecommendation? Recommendation, decimal? AdjustedCost, string? Description, string? Location, int? Beneficiaries, string? PlanObjective,
        DateTimeOffset QueuedAt, bool Assigned, DateTimeOffset? AssignedAt, string? AssignedTo, ChecklistResponse? Checklist, string? Observations, DateTimeOffset? CompletedAt,
        DateOnly? ConcertationEnds, bool Overdue);

    private static async Task<Ok<AssessmentResponse[]>> GetQueue(Guid? processId, string? view, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        var chosen = view?.ToLowerInvariant() switch
        {
            null or "" or "all" => QueueView.All,
            "pending" => QueueView.Pending,
            "mine" => QueueView.Mine,
            "overdue" => QueueView.Overdue,
            _ => throw new DomainException("view", "pending, mine or overdue (or leave it out for every proposal)"),
        };
        await using var uow = await db.BeginAsync(ct);
        var queue = await uow.GetQueueAsync(user.Jurisdiction(), processId, chosen, Member(user), ct);
        var now = uow.Now;
        return TypedResults.Ok(queue
            .Where(q => chosen != QueueView.Overdue || q.Assessment.IsOverdue(q.ConcertationEnds, now))
            .Select(q => ToTeamResponse(q.Assessment, q.ConcertationEnds, now)).ToArray());
    }

    private static async Task<Ok<AssessmentResponse>> GetAssessment(Guid proposalId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        return TypedResults.Ok(ToPublicResponse(await uow.GetByProposalAsync(proposalId, ct)));
    }

    private static async Task<Ok<AssessmentResponse[]>> GetHistory(Guid proposalId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        return TypedResults.Ok((await uow.GetHistoryAsync(proposalId, ct)).Select(ToPublicResponse).ToArray());
    }

    private static async Task<Ok<AssessmentResponse>> Assign(Guid proposalId, AssignmentRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var a = await uow.GetByProposalAsync(proposalId, ct, forUpdate: true);
        user.EnsureActsFor(a.Jurisdiction);
        var before = a.Assign(await uow.GetProcessStageAsync(a.ProcessId, ct), r.Assignee, Member(user), uow.Now);
        await uow.AssignAsync(a, ct);
        uow.Audit(Actor.As(user, Roles.TechnicalTeamLead), before is null ? "assessment.assigned" : "assessment.reassigned", a.ProcessId, a.ProposalId.ToString(),
            new { a.Version, a.AssignedTo, Before = before });
        await uow.CommitAsync(ct);
        return TypedResults.Ok(ToTeamResponse(a, null, uow.Now));
    }

    private static async Task<Ok<AssessmentResponse>> SaveChecklist(Guid proposalId, ChecklistRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var a = await uow.GetByProposalAsync(proposalId, ct, forUpdate: true);
        user.EnsureActsFor(a.Jurisdiction);
        var process = await uow.GetProcessStageAsync(a.ProcessId, ct);
        // The only proposal the checklist may name is looked up before the domain decides, which stays free of I/O.
        var ofProcess = r.DuplicateOfProposal is { } other && await uow.IsProposalOfProcessAsync(other, a.ProcessId, ct);
        var checklist = new AssessmentChecklist(r.PreInvestment, r.ViabilityNote, r.CostFinding, r.AdjustedCost, r.CostJustification, r.AlignedWithPlan, r.AlignmentNote,
            r.Competence, r.Duplication, r.DuplicateOfProposal, r.DuplicateOfProject, r.DuplicationNote);
        a.SaveChecklist(process, checklist, Member(user), IsLead(user), _ => ofProcess, uow.Now);
        await uow.SaveChecklistAsync(a, ct);
        uow.Audit(Actor.As(user, Role(user)), "assessment.checklist-saved", a.ProcessId, a.ProposalId.ToString(), new { a.Version, a.Checklist });
        await uow.CommitAsync(ct);
        return TypedResults.Ok(ToTeamResponse(a, null, uow.Now));
    }

    private static async Task<Ok<AssessmentResponse>> Recommend(Guid proposalId, RecommendationRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var a = await uow.GetByProposalAsync(proposalId, ct, forUpdate: true);
        user.EnsureActsFor(a.Jurisdiction);
        var process = await uow.GetProcessStageAsync(a.ProcessId, ct);
        var level = await uow.GetProcessLevelAsync(a.ProcessId, ct);
        var completed = a.Recommend(process, r.Viable, r.Score, r.Reasons, Member(user), r.Recommendation, r.AdjustedCost, r.Version, r.Observations, IsLead(user), level, uow.Now);
        await uow.CompleteAsync(a, ct);
        uow.Publish(completed);
        uow.Audit(Actor.As(user, Role(user)), "assessment.completed", a.ProcessId, a.ProposalId.ToString(),
            new { a.Version, Recommendation = a.Recommendation?.ToString(), a.Viable, a.Score, a.AdjustedCost, a.Observations }, a.Reasons);
        await uow.CommitAsync(ct);
        return TypedResults.Ok(ToTeamResponse(a, null, uow.Now));
    }

    private static string Member(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";

    private static bool IsLead(ClaimsPrincipal user) => user.IsInRole(Roles.TechnicalTeamLead);

    private static string Role(ClaimsPrincipal user) => IsLead(user) ? Roles.TechnicalTeamLead : Roles.TechnicalTeam;

    private static AssessmentResponse ToPublicResponse(DomainAssessment a) => ToResponse(a, assignedTo: null, concertationEnds: null, overdue: false);

    private static AssessmentResponse ToTeamResponse(DomainAssessment a, DateOnly? concertationEnds, DateTimeOffset now) =>
        ToResponse(a, a.AssignedTo, concertationEnds, a.IsOverdue(concertationEnds, now));

    private static AssessmentResponse ToResponse(DomainAssessment a, string? assignedTo, DateOnly? concertationEnds, bool overdue) =>
        new(a.Id, a.ProposalId, a.ProcessId, a.Title, a.Cost, a.Status.ToString(), a.Viable, a.Score, a.Reasons, a.Version, a.Recommendation, a.AdjustedCost,
            a.Description, a.Location, a.Beneficiaries, a.PlanObjective, a.QueuedAt, a.AssignedTo is not null, a.AssignedAt, assignedTo,
            a.Checklist is { } c
                ? new ChecklistResponse(c.PreInvestment, c.ViabilityNote, c.CostFinding, c.AdjustedCost, c.CostJustification, c.AlignedWithPlan, c.AlignmentNote, c.Competence,
                    c.Duplication, c.DuplicateOfProposal, c.DuplicateOfProject, c.DuplicationNote, c.MissingField() is null, c.MissingField(), a.ChecklistSavedAt)
                : null,
            a.Observations, a.CompletedAt, concertationEnds, overdue);
}
