using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Security;
using PBServices.Contracts;
using PBServices.Registration.Domain;
using PBServices.Registration.Infrastructure;

namespace PBServices.Registration.Apis;

public static class SeatsApi
{
    public static RouteGroupBuilder MapSeatsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/registration/processes/{processId:guid}/seats")
            .WithTag("Seats", "The delegates and the directive committee, assigned among accredited agents under the process's quotas.");
        api.MapPost("/", AssignSeat).RequireAuthorization(Roles.ProcessAdmin)
            .WithSummary("Assign an accredited agent a seat among the delegates or on the directive committee")
            .Refuses(StatusCodes.Status409Conflict, "The seat would break a quota (which one and by how much), the body is full, or the agent is not accredited.");
        api.MapGet("/", ListSeats).AllowAnonymous()
            .WithSummary("The seats of the delegates and the directive committee, in order");
        return api;
    }

    public sealed record AssignSeatRequest(string? Body, Guid AgentId);

    private static async Task<Created<SeatView>> AssignSeat(Guid processId, AssignSeatRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        if (!Stages.TryParseName<SeatBody>(request.Body, out var body))
        {
            throw new DomainException("body", $"One of {string.Join(", ", Enum.GetNames<SeatBody>().Where(b => b != nameof(SeatBody.OversightCommittee)))}");
        }
        if (body == SeatBody.OversightCommittee)
        {
            // The agents elect it at the formalization workshop, in coordination; no office assigns its seats.
            throw new DomainException("body", "The oversight committee is elected by the agents at the formalization workshop, not assigned");
        }
        await using var uow = await db.BeginAsync(ct);
        // Locked: two assignments at once must see each other's seat when they check the quotas.
        var process = await uow.GetProcessAsync(processId, ct, forUpdate: true);
        user.EnsureActsFor(process.Jurisdiction);
        // A holder since revoked still sits until the office reassigns the seat; quotas count who sits.
        var accredited = (await uow.ListAgentsAsync(processId, nameof(AgentStatus.Accredited), ct))
            .Concat(await uow.ListAgentsAsync(processId, nameof(AgentStatus.Revoked), ct))
            .ToDictionary(a => a.Agent.Id);
        var holders = (await uow.ListSeatHolderIdsAsync(processId, body, ct)).Select(id => new SeatHolder(accredited[id].Agent, accredited[id].Type)).ToList();
        var candidate = accredited.TryGetValue(request.AgentId, out var c)
            ? new SeatHolder(c.Agent, c.Type)
            : new SeatHolder(await uow.GetAgentAsync(processId, request.AgentId, ct, field: "agentId"), OrganisationType.Other);
        var seat = new Seats(process, body, holders).Assign(candidate);
        var actor = Actor.As(user, Roles.ProcessAdmin);
        await uow.InsertSeatAsync(processId, body, seat, request.AgentId, actor.Subject, ct);
        uow.Audit(actor, "seat.assigned", processId, request.AgentId.ToString(), new { Body = body, Seat = seat, candidate.Agent.FullName });
        await uow.CommitAsync(ct);
        var view = new SeatView(body.ToString(), seat, candidate.Agent.Id, candidate.Agent.FullName, candidate.Agent.Organisation, candidate.Agent.Gender?.ToString());
        return TypedResults.Created($"/api/registration/processes/{processId}/seats", view);
    }

    private static async Task<Ok<SeatView[]>> ListSeats(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        await uow.GetProcessAsync(processId, ct);
        return TypedResults.Ok((await uow.ListSeatsAsync(processId, ct)).ToArray());
    }
}
