using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Security;
using PBServices.Contracts.IntegrationEvents;
using PBServices.TechnicalAssessment.Infrastructure;
using DomainAssessment = PBServices.TechnicalAssessment.Domain.TechnicalAssessment;

namespace PBServices.TechnicalAssessment.Apis;

public static class AssessmentsApi
{
    public static IEndpointRouteBuilder MapAssessmentsApi(this IEndpointRouteBuilder app)
    {
        // The technical team's by default; a proposal's assessment is public, and AllowAnonymous overrides the group's policy.
        var api = app.MapGroup("/api/assessment").WithTags("Assessments").RequireAuthorization(Roles.TechnicalTeam);
        api.MapGet("/queue", GetQueue);
        api.MapGet("/proposals/{proposalId:guid}", GetAssessment)
            .AllowAnonymous();
        api.MapPost("/proposals/{proposalId:guid}/recommendation", Recommend);
        return app;
    }

    public sealed record RecommendationRequest(bool Viable, decimal Score, string? Reasons);
    public sealed record AssessmentResponse(Guid AssessmentId, Guid ProposalId, Guid ProcessId, string Title, decimal Cost, string Status, bool? Viable, decimal? Score, string? Reasons);

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
        a.Recommend(r.Viable, r.Score, r.Reasons, user.Identity?.Name ?? "unknown");
        await uow.CompleteAsync(a, ct);
        uow.Publish(new AssessmentCompleted
        {
            ProcessId = a.ProcessId,
            Jurisdiction = a.Jurisdiction,
            AssessmentId = a.Id,
            ProposalId = a.ProposalId,
            Viable = a.Viable!.Value,
            Score = a.Score!.Value,
            Reasons = a.Reasons!,
        });
        await uow.CommitAsync(ct);
        return TypedResults.Ok(ToResponse(a));
    }

    private static AssessmentResponse ToResponse(DomainAssessment a) =>
        new(a.Id, a.ProposalId, a.ProcessId, a.Title, a.Cost, a.Status.ToString(), a.Viable, a.Score, a.Reasons);
}
