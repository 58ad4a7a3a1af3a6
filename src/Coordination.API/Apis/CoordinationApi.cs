using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Data;
using PBServices.Contracts;
using PBServices.Coordination.Domain;
using PBServices.Coordination.Infrastructure;

namespace PBServices.Coordination.Apis;

public static class CoordinationApi
{
    public static IEndpointRouteBuilder MapCoordinationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/coordination")
            .WithTag("Coordination", "The prioritised list of a process as coordination receives it, and its status up to its formalization.");
        api.MapGet("/processes/{processId:guid}/list", GetList)
            .AllowAnonymous()
            .WithName("GetCoordinatedList")
            .WithSummary("Get the list of a process as coordination holds it: its projects, status and, once formalized, the Acta reference");
        return app;
    }

    public sealed record ListResponse(Guid ListId, Guid ProcessId, string Jurisdiction, string Status, decimal BudgetCeiling, decimal TotalCost, string? ActaReference, DateTimeOffset? ApprovedAt, IReadOnlyList<ListedProject> Projects);

    private static async Task<Ok<ListResponse>> GetList(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        return TypedResults.Ok(ToResponse(await uow.GetByProcessAsync(processId, ct)));
    }

    private static ListResponse ToResponse(CoordinatedList l) =>
        new(l.Id, l.ProcessId, l.Jurisdiction, l.Status.ToString(), l.BudgetCeiling, l.Projects.Sum(p => p.Cost), l.ActaReference, l.ApprovedAt, l.Projects);
}
