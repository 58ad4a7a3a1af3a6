using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Security;
using PBServices.BuildingBlocks.Processes;
using PBServices.Contracts;
using PBServices.Coordination.Domain;
using PBServices.Coordination.Infrastructure;

namespace PBServices.Coordination.Apis;

public static class CoordinationApi
{
    public static IEndpointRouteBuilder MapCoordinationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/coordination")
            .WithTag("Coordination", "The prioritised list of a process as coordination receives it, and its formalization with the signed Acta.");
        api.MapGet("/processes/{processId:guid}/list", GetList)
            .AllowAnonymous()
            .WithName("GetCoordinatedList")
            .WithSummary("Get the list of a process as coordination holds it: its projects, status and, once formalized, the Acta reference");
        api.MapPost("/processes/{processId:guid}/list/formalization", Formalize).RequireAuthorization(Roles.Council)
            .WithName("FormalizeList")
            .WithSummary("Formalize a process's list with the reference of the signed Acta, which sends it to the Ministry")
            .Refuses(StatusCodes.Status409Conflict, "The process is not in Formalization, the list is already formalized, or it has no project.");
        return app;
    }

    public sealed record FormalizeRequest(string? ActaReference);
    public sealed record ListResponse(Guid ListId, Guid ProcessId, string Jurisdiction, string Status, decimal BudgetCeiling, decimal TotalCost, string? ActaReference, DateTimeOffset? ApprovedAt, IReadOnlyList<ListedProject> Projects);

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
        var process = await uow.GetProcessStageAsync(processId, ct);
        var formalized = list.Formalize(process, r.ActaReference, uow.Now);
        await uow.MarkFormalizedAsync(list, user.Identity?.Name ?? "unknown", ct);
        uow.Publish(formalized);
        uow.Audit(Actor.As(user, Roles.Council), "list.formalized", processId, list.Id.ToString(),
            new { formalized.ActaReference, formalized.ApprovedAt, formalized.Projects });
        await uow.CommitAsync(ct);
        return TypedResults.Ok(ToResponse(list));
    }

    private static ListResponse ToResponse(CoordinatedList l) =>
        new(l.Id, l.ProcessId, l.Jurisdiction, l.Status.ToString(), l.BudgetCeiling, l.Projects.Sum(p => p.Cost), l.ActaReference, l.ApprovedAt, l.Projects);
}
