using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Security;
using PBServices.BuildingBlocks.Processes;
using PBServices.Contracts.IntegrationEvents;
using PBServices.TechnicalAssessment.Infrastructure;
using DomainAssessment = PBServices.TechnicalAssessment.Domain.TechnicalAssessment;

namespace PBServices.TechnicalAssessment.Apis;

public static class AssessmentsApi
{
    public static IEndpointRouteBuilder MapAssessmentsApi(this IEndpointRouteBuilder app)
    {
        // The technical team's by default; a proposal's assessment is public, and AllowAnonymous overrides the group's policy.
        var api = app.MapGroup("/api/assessment").RequireAuthorization(Roles.TechnicalTeam)
            .WithTag("Assessments", "The technical team's work: the queue of submitted proposals and a recommendation on each one.");
        api.MapGet("/queue", GetQueue)
            .WithName("GetAssessmentQueue")
            .WithSummary("List the proposals of the token's jurisdiction in the order they arrived for assessment, optionally of one process");
        api.MapGet("/proposals/{proposalId:guid}", GetAssessment)
            .AllowAnonymous()
            .WithSummary("Get the technical assessment of a proposal: its status and, once done, the verdict, score and reasons");
        api.MapPost("/proposals/{proposalId:guid}/recommendation", Recommend)
            .WithSummary("Record the technical team's recommendation on a proposal's newest version: viable, viable at an adjusted cost, observed (back to the proposer) or not viable, with a score and the reasons")
            .Refuses(StatusCodes.Status409Conflict, "The process is not in Concertation, the proposal has already been assessed, or the version named is not the newest.");
        return app;
    }

    /// <summary>
    /// <paramref name="Recommendation"/> is the verdict; without it <paramref name="Viable"/> says Viable or NotViable. <paramref name="Version"/>, when given,
    /// is the version the assessor read: refused if the proposer has revised it since.
    /// </summary>
    public sealed record RecommendationRequest(bool? Viable, decimal Score, string? Reasons, AssessmentRecommendation? Recommendation = null, decimal? AdjustedCost = null, int? Version = null);
    public sealed record AssessmentResponse(Guid AssessmentId, Guid ProposalId, Guid ProcessId, string Title, decimal Cost, string Status, bool? Viable, decimal? Score, string? Reasons,
        int Version, AssessmentRecommendation? Recommendation, decimal? AdjustedCost);

    private static async Task<Ok<AssessmentResponse[]>> GetQueue(Guid? processId, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var queue = await uow.GetQueueAsync(user.Jurisdiction(), processId, ct);
        return TypedResults.Ok(queue.Select(ToResponse).ToArray());
    }

    private static async Task<Ok<AssessmentResponse>> GetAssessment(Guid proposalId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        return TypedResults.Ok(ToResponse(await uow.GetByProposalAsync(proposalId, ct)));
    }

    private static async Task<Ok<AssessmentResponse>> Recommend(Guid proposalId, RecommendationRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var a = await uow.GetByProposalAsync(proposalId, ct, forUpdate: true);
        user.EnsureActsFor(a.Jurisdiction);
        var process = await uow.GetProcessStageAsync(a.ProcessId, ct);
        var completed = a.Recommend(process, r.Viable, r.Score, r.Reasons, user.Identity?.Name ?? "unknown", r.Recommendation, r.AdjustedCost, r.Version);
        await uow.CompleteAsync(a, ct);
        uow.Publish(completed);
        uow.Audit(Actor.As(user, Roles.TechnicalTeam), "assessment.completed", a.ProcessId, a.ProposalId.ToString(),
            new { a.Version, Recommendation = a.Recommendation?.ToString(), a.Viable, a.Score, a.AdjustedCost }, a.Reasons);
        await uow.CommitAsync(ct);
        return TypedResults.Ok(ToResponse(a));
    }

    private static AssessmentResponse ToResponse(DomainAssessment a) =>
        new(a.Id, a.ProposalId, a.ProcessId, a.Title, a.Cost, a.Status.ToString(), a.Viable, a.Score, a.Reasons, a.Version, a.Recommendation, a.AdjustedCost);
}
