using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Security;
using PBServices.Contracts;
using PBServices.Deliberation.Domain;
using PBServices.Deliberation.Infrastructure;

namespace PBServices.Deliberation.Apis;

public static class CriteriaApi
{
    /// <summary>The six criteria Peruvian PB offices usually weigh; a suggestion the process-admin may send as it is or change.</summary>
    private const string SuggestedMatrix = """
        The matrix the process-admin sends (weights are positive exact decimals that need not sum to 1 or 100;
        scales are whole numbers from 0 to 100). The usual six criteria, as a starting point:

        {"criteria": [
          {"name": "Población beneficiada", "weight": 25, "scaleMin": 0, "scaleMax": 5},
          {"name": "Brecha de pobreza", "weight": 20, "scaleMin": 0, "scaleMax": 5},
          {"name": "Acceso a servicios básicos", "weight": 20, "scaleMin": 0, "scaleMax": 5},
          {"name": "Alineamiento con el Plan de Desarrollo Concertado", "weight": 15, "scaleMin": 0, "scaleMax": 5},
          {"name": "Cofinanciamiento", "weight": 10, "scaleMin": 0, "scaleMax": 5},
          {"name": "Sostenibilidad", "weight": 10, "scaleMin": 0, "scaleMax": 5}
        ]}

        The matrix may be sent again, replacing the previous one, until the first score is recorded; then it is fixed.
        """;

    private const string RankingMethod =
        "weighted total = Σ weight × mean ÷ Σ weight, where mean is a criterion's scores summed over its scorers ÷ scorers; " +
        "computed in exact decimals and rounded once to two decimals, half away from zero; highest total first, equal totals by proposal id (ascending text); unscored proposals unranked";

    public static IEndpointRouteBuilder MapCriteriaApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/deliberation/processes/{processId:guid}")
            .WithTag("Criteria", "The process's criteria matrix (weighted criteria on whole-number scales), the scores given by whom the process's rules name, and the ranking by weighted total that the prioritised list uses where no vote was held.");
        api.MapPut("/criteria", DefineCriteria).RequireAuthorization(Roles.ProcessAdmin)
            .WithSummary("Define the process's criteria matrix: names, weights and scales")
            .WithDescription(SuggestedMatrix)
            .Refuses(StatusCodes.Status409Conflict, "The process is not in Concertation, a score has been recorded (the matrix is fixed), or the list is prioritised.");
        api.MapGet("/criteria", GetCriteria).AllowAnonymous()
            .WithSummary("The process's criteria matrix, who scores it, and whether it is fixed");
        api.MapGet("/criteria/ranking", GetCriteriaRanking).AllowAnonymous()
            .WithSummary("Every viable proposal with its mean score per criterion, weighted total, number of scorers and rank")
            .WithDescription(RankingMethod);
        api.MapPut("/proposals/{proposalId:guid}/scores", RecordScores)
            // The process's rules name which of these scores (CriteriaMatrix.ScorerRole).
            .Permits(Roles.Agent, Roles.ProcessAdmin, Roles.TechnicalTeam)
            .WithSummary("Record (or change) the caller's scores of a viable proposal, one for every criterion, as the role the process's rules name")
            .Refuses(StatusCodes.Status403Forbidden, "The caller's role is not the one rules.criteriaScoredBy names, or (agents scoring) the agent may not vote.")
            .Refuses(StatusCodes.Status409Conflict, "No matrix yet, the proposal is not viable, the process is not in Concertation, or the list is prioritised.");
        return app;
    }

    public sealed record DefineCriteriaRequest(List<CriterionInput?>? Criteria);
    public sealed record CriteriaMatrixResponse(Guid ProcessId, CriteriaScoredBy ScoredBy, bool Fixed, decimal TotalWeight, IReadOnlyList<Criterion> Criteria);
    public sealed record RecordScoresRequest(List<ScoreInput?>? Scores);
    public sealed record ScoreValue(Guid CriterionId, string Name, int Value);
    public sealed record ScoresResponse(Guid ProcessId, Guid ProposalId, string ScorerId, string Role, IReadOnlyList<ScoreValue> Scores);
    public sealed record RankingResponse(Guid ProcessId, CriteriaScoredBy ScoredBy, decimal TotalWeight, string Method, IReadOnlyList<Criterion> Criteria, IReadOnlyList<RankedProposal> Proposals);

    private static async Task<Ok<CriteriaMatrixResponse>> DefineCriteria(Guid processId, DefineCriteriaRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        await uow.LockProcessAsync(processId, ct);
        var matrix = CriteriaMatrix.Define(process, request.Criteria, await uow.HasCriteriaScoresAsync(processId, ct), await uow.IsPrioritizedAsync(processId, ct), uow.Now);
        await uow.ReplaceCriteriaMatrixAsync(matrix, ct);
        uow.Audit(Actor.As(user, Roles.ProcessAdmin), "criteria.defined", processId, processId.ToString(),
            new { Criteria = matrix.Criteria.Select(c => new { c.Id, c.Name, c.Weight, c.ScaleMin, c.ScaleMax }) });
        await uow.CommitAsync(ct);
        return TypedResults.Ok(ToResponse(process, matrix, isFixed: false));
    }

    private static async Task<Results<Ok<CriteriaMatrixResponse>, NotFound>> GetCriteria(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        return await uow.FindCriteriaMatrixAsync(processId, ct) is { } matrix
            ? TypedResults.Ok(ToResponse(process, matrix, await uow.HasCriteriaScoresAsync(processId, ct)))
            : TypedResults.NotFound();
    }

    private static async Task<Results<Ok<RankingResponse>, NotFound>> GetCriteriaRanking(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        if (await uow.FindCriteriaMatrixAsync(processId, ct) is not { } matrix)
        {
            return TypedResults.NotFound();
        }
        var ranking = CriteriaRanking.Of(matrix, await uow.GetProposalsAsync(processId, ct), await uow.GetCriterionScoresAsync(processId, ct));
        return TypedResults.Ok(new RankingResponse(processId, ScoredBy(process), matrix.TotalWeight, RankingMethod, matrix.Criteria, ranking.Proposals));
    }

    private static async Task<Ok<ScoresResponse>> RecordScores(Guid processId, Guid proposalId, RecordScoresRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        var subject = user.FindFirstValue(PbClaims.Subject) ?? throw new ForbiddenException("The token carries no subject");
        // Only an agent's subject is an agent id; technicians and officers are named by their accounts.
        var eligibility = CriteriaMatrix.ScorerRole(process) == Roles.Agent && user.HasClaim(PbClaims.Role, Roles.Agent)
            ? Eligibility.Of(process, user.SubjectId(), await uow.FindParticipantAsync(user.SubjectId(), ct))
            : null;
        var scorer = CriteriaMatrix.Admit(process, subject, role => user.HasClaim(PbClaims.Role, role), eligibility);
        var matrix = await uow.FindCriteriaMatrixAsync(processId, ct)
            ?? throw new ConflictException("criteria", "The process has no criteria matrix yet: the process-admin defines it first");
        var proposal = (await uow.GetProposalsAsync(processId, ct)).SingleOrDefault(p => p.Id == proposalId)
            ?? throw new NotFoundException("Proposal", proposalId);
        var scores = matrix.Score(process, scorer, proposal, request.Scores, await uow.IsPrioritizedAsync(processId, ct));
        await uow.UpsertCriterionScoresAsync(matrix, scorer, scores, ct);
        var values = matrix.Criteria.Select(c => new ScoreValue(c.Id, c.Name, scores.Single(s => s.CriterionId == c.Id).Value)).ToList();
        uow.Audit(Actor.As(user, scorer.Role), "criteria.scored", processId, proposalId.ToString(),
            new { Proposal = proposalId, Scores = values.Select(v => new { v.CriterionId, v.Value }) });
        await uow.CommitAsync(ct);
        return TypedResults.Ok(new ScoresResponse(processId, proposalId, scorer.Id, scorer.Role, values));
    }

    private static CriteriaScoredBy ScoredBy(ProcessCopy process) => process.Rules?.CriteriaScoredBy ?? CriteriaScoredBy.TechnicalTeam;

    private static CriteriaMatrixResponse ToResponse(ProcessCopy process, CriteriaMatrix matrix, bool isFixed) =>
        new(process.Id, ScoredBy(process), isFixed, matrix.TotalWeight, matrix.Criteria);
}
