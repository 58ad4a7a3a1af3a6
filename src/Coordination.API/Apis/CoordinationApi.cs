using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Security;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Coordination.Domain;
using PBServices.Coordination.Infrastructure;

namespace PBServices.Coordination.Apis;

public static class CoordinationApi
{
    public static IEndpointRouteBuilder MapCoordinationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/coordination").WithTags("Coordination");
        api.MapGet("/processes/{processId:guid}/list", GetList)
            .AllowAnonymous();
        api.MapPost("/processes/{processId:guid}/list/formalization", Formalize).RequireAuthorization(Roles.Council);
        return app;
    }

    public sealed record FormalizeRequest(string? ActaReference);
    public sealed record ListResponse(Guid ListId, Guid ProcessId, string Jurisdiction, string Status, decimal BudgetCeiling, decimal TotalCost, string? ActaReference, DateTimeOffset? ApprovedAt, IReadOnlyList<ListProject> Projects);

    private static async Task<Ok<ListResponse>> GetList(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        return TypedResults.Ok(ToResponse(await uow.GetByProcessAsync(processId, ct)));
    }

    private static async Task<Ok<ListResponse>> Formalize(Guid processId, FormalizeRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var list = await uow.GetByProcessAsync(processId, ct, forUpdate: true);
        user.EnsureActsFor(list.Jurisdiction);
        list.Formalize(r.ActaReference, uow.Now);
        await uow.MarkFormalizedAsync(list, user.Identity?.Name ?? "unknown", ct);
        uow.Publish(new ListFormalized
        {
            ProcessId = list.ProcessId,
            Jurisdiction = list.Jurisdiction,
            ListId = list.Id,
            Level = list.Level,
            FiscalYear = list.FiscalYear,
            BudgetCeiling = list.BudgetCeiling,
            ActaReference = list.ActaReference!,
            ApprovedAt = list.ApprovedAt!.Value,
            Projects = list.Projects.Select(p => new FormalizedProject { ProposalId = p.ProposalId, Title = p.Title, Cost = p.Cost, Rank = p.Rank }).ToList(),
        });
        await uow.CommitAsync(ct);
        return TypedResults.Ok(ToResponse(list));
    }

    private static ListResponse ToResponse(CoordinatedList l) =>
        new(l.Id, l.ProcessId, l.Jurisdiction, l.Status.ToString(), l.BudgetCeiling, l.Projects.Sum(p => p.Cost), l.ActaReference, l.ApprovedAt, l.Projects);
}
