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

/// <summary>The published list of eligible agents, the objections to it, and the accreditation of what remains.</summary>
public static class AccreditationApi
{
    public static RouteGroupBuilder MapAccreditationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/registration/processes/{processId:guid}")
            .WithTag("Accreditation", "The published list of eligible agents, objections (tachas) to its entries, accreditation and revocation.");
        api.MapPost("/eligible-list", PublishEligibleList).RequireAuthorization(Roles.ProcessAdmin)
            .WithSummary("Publish the list of eligible agents, which opens it to objections")
            .Refuses(StatusCodes.Status409Conflict, "Outside the publication window, or already published.");
        api.MapGet("/eligible-list", GetEligibleList).AllowAnonymous()
            .WithSummary("The published list of eligible agents: names, roles and organisations (never a DNI), and what became of each entry");
        api.MapPost("/objections", FileObjection).RequireAuthorization(Policies.Objector)
            .WithSummary("Object to an entry of the published list, with grounds and evidence")
            .Refuses(StatusCodes.Status409Conflict, "Outside the objection period, the list is not published, the entry is not eligible, or you already objected to it.");
        api.MapGet("/objections", ListObjections).Permits(Roles.Resident, Roles.Agent, Roles.ProcessAdmin)
            .WithSummary("The objections of a process (the process-admin), or those the signed-in person filed");
        api.MapPost("/objections/{objectionId:guid}/resolution", ResolveObjection).RequireAuthorization(Roles.ProcessAdmin)
            .WithSummary("The committee resolves an objection: upheld (the entry is struck) or dismissed, with reasons")
            .Refuses(StatusCodes.Status409Conflict, "The objection is already resolved, or resolution has closed.");
        api.MapPost("/accreditation", AccreditList).RequireAuthorization(Roles.ProcessAdmin)
            .WithSummary("Accredit the final list: every eligible entry that no upheld objection struck")
            .Refuses(StatusCodes.Status409Conflict, "Outside the accreditation window, the list is not published, objections are pending, or the list is already accredited.");
        api.MapPost("/agents/{agentId:guid}/revocation", RevokeAccreditation).RequireAuthorization(Roles.ProcessAdmin)
            .WithSummary("Revoke an agent's accreditation, with the reason; the agent can no longer propose or vote")
            .Refuses(StatusCodes.Status409Conflict, "The agent is not accredited.");
        api.MapGet("/agents/{agentId:guid}", GetAgent).Permits(Roles.Agent, Roles.ProcessAdmin)
            .WithSummary("An agent's own record (the agent, or the process-admin): status, training and seats");
        return api;
    }

    public sealed record EligibleListResponse(Guid ProcessId, DateTimeOffset PublishedAt, ListEntry[] Entries);
    public sealed record ObjectionRequest(Guid AgentId, string? Grounds, string? Evidence);
    public sealed record ObjectionResponse(Guid Id, Guid AgentId, ObjectionStatus Status, string Grounds, string? Evidence, DateTimeOffset FiledAt, string? Resolution, DateTimeOffset? ResolvedAt);
    public sealed record ResolutionRequest(string? Decision, string? Reasons);
    public sealed record AccreditationResponse(int Accredited, Guid[] Agents);
    public sealed record RevocationRequest(string? Reason);
    public sealed record AgentResponse(Guid Id, Guid ProcessId, string FullName, string Organisation, AgentStatus Status, bool Trained, SeatView[] Seats);

    private static async Task<Ok<EligibleListResponse>> PublishEligibleList(Guid processId, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct, forUpdate: true);
        user.EnsureActsFor(process.Jurisdiction);
        process.PublishEligibleList(Calendar.Today(uow.Now), uow.Now);
        await uow.UpdateListPublishedAsync(process, ct);
        var entries = await uow.ListEligibleEntriesAsync(processId, ct);
        uow.Audit(Actor.As(user, Roles.ProcessAdmin), "eligible-list.published", processId, processId.ToString(),
            new { process.EligibleListPublishedAt, Entries = entries.Select(e => e.AgentId) });
        await uow.CommitAsync(ct);
        return TypedResults.Ok(new EligibleListResponse(processId, process.EligibleListPublishedAt!.Value, entries.ToArray()));
    }

    private static async Task<Results<Ok<EligibleListResponse>, NotFound>> GetEligibleList(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        if (process.EligibleListPublishedAt is not { } published)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(new EligibleListResponse(processId, published, (await uow.ListEligibleEntriesAsync(processId, ct)).ToArray()));
    }

    private static async Task<Created<ObjectionResponse>> FileObjection(Guid processId, ObjectionRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        // Locked like accreditation, so an objection is never filed while the list is being accredited.
        var process = await uow.GetProcessAsync(processId, ct, forUpdate: true);
        user.EnsureTakesPartIn(process);
        var entry = await uow.GetAgentAsync(processId, request.AgentId, ct, field: "agentId");
        var actor = user.AsOneOf(Roles.Resident, Roles.Agent);
        var objection = Objection.File(process, entry, actor.Subject, request.Grounds, request.Evidence, uow.Now);
        await uow.InsertObjectionAsync(objection, ct);
        uow.Audit(actor, "objection.filed", processId, objection.Id.ToString(), new { objection.AgentId, objection.Grounds, objection.Evidence });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/registration/processes/{processId}/objections/{objection.Id}", ToResponse(objection));
    }

    private static async Task<Ok<ObjectionResponse[]>> ListObjections(Guid processId, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        // The grounds can name people: the committee reads them all, an objector (a resident or agent of the place) only their own.
        var officer = user.IsOfficerFor(process);
        if (!officer)
        {
            _ = user.AsOneOf(Roles.Resident, Roles.Agent);
            user.EnsureTakesPartIn(process);
        }
        var filedBy = officer ? null : user.Subject();
        return TypedResults.Ok((await uow.ListObjectionsAsync(processId, filedBy, ct)).Select(ToResponse).ToArray());
    }

    private static async Task<Ok<ObjectionResponse>> ResolveObjection(Guid processId, Guid objectionId, ResolutionRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct, forUpdate: true);
        user.EnsureActsFor(process.Jurisdiction);
        var objection = await uow.GetObjectionAsync(processId, objectionId, ct);
        var entry = await uow.GetAgentAsync(processId, objection.AgentId, ct);
        objection.Resolve(process, entry, request.Decision, request.Reasons, uow.Now);
        var actor = Actor.As(user, Roles.ProcessAdmin);
        await uow.UpdateObjectionAsync(objection, actor.Subject, ct);
        await uow.UpdateAgentAsync(entry, ct);
        uow.Audit(actor, "objection.resolved", processId, objectionId.ToString(), new { objection.Status, objection.AgentId, AgentStatus = entry.Status }, objection.Resolution);
        await uow.CommitAsync(ct);
        return TypedResults.Ok(ToResponse(objection));
    }

    private static async Task<Ok<AccreditationResponse>> AccreditList(Guid processId, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        user.EnsureActsFor((await uow.GetProcessAsync(processId, ct)).Jurisdiction);
        // A repeat is refused before it queues for the lock behind the accreditation it repeats (a burst would otherwise
        // wait on it one by one): an accredited list never has an eligible entry again, so this unlocked reading holds.
        RefuseRepeat(await uow.CountEligibleAndAccreditedAsync(processId, ct));
        // Locked, so objections cannot be filed or resolved half-way through.
        var process = await uow.GetProcessAsync(processId, ct, forUpdate: true);
        process.RequirePublished("Accreditation");
        process.RequireStep(PreparationStep.Accreditation, "Accreditation", Calendar.Today(uow.Now));
        if (await uow.CountPendingObjectionsAsync(processId, ct) is var pending and > 0)
        {
            throw new ConflictException("objections", $"{pending} objection(s) are pending; the committee resolves every objection before accrediting the list");
        }
        var eligible = await uow.ListAgentsAsync(processId, nameof(AgentStatus.Eligible), ct);
        if (eligible.Count == 0)
        {
            RefuseRepeat((0, await uow.CountAccreditedAsync(processId, ct)));
        }
        var actor = Actor.As(user, Roles.ProcessAdmin);
        foreach (var (agent, type, organisationId) in eligible)
        {
            var organisation = organisationId is { } id ? await uow.FindOrganisationAsync(id, ct) : null;
            uow.Publish(agent.Accredit(process, type, organisation?.Territory));
            await uow.UpdateAgentAsync(agent, ct);
            uow.Audit(actor, "agent.accredited", processId, agent.Id.ToString(), new { agent.FullName, agent.Organisation, agent.Status });
        }
        await uow.CommitAsync(ct);
        return TypedResults.Ok(new AccreditationResponse(eligible.Count, eligible.Select(e => e.Agent.Id).ToArray()));
    }

    /// <summary>
    /// Once the list is published no entry becomes eligible again, so nothing eligible beside accredited agents means the
    /// request repeats an accreditation (a second click, a retry): refused, not answered as a success that accredited no one.
    /// </summary>
    private static void RefuseRepeat((int Eligible, int Accredited) list)
    {
        if (list is { Eligible: 0, Accredited: > 0 })
        {
            throw new ConflictException("eligibleList", $"The list is already accredited ({list.Accredited} agent(s)); no eligible entry is left to accredit");
        }
    }

    private static async Task<Ok<AgentResponse>> RevokeAccreditation(Guid processId, Guid agentId, RevocationRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        var agent = await uow.GetAgentAsync(processId, agentId, ct);
        var revoked = agent.Revoke(process, request.Reason);
        await uow.UpdateAgentAsync(agent, ct);
        uow.Publish(revoked);
        uow.Audit(Actor.As(user, Roles.ProcessAdmin), "agent.accreditation-revoked", processId, agentId.ToString(), new { agent.Status }, revoked.Reason);
        // Read inside the transaction: once committed, the unit of work runs no more queries.
        var response = await ToResponseAsync(uow, agent, ct);
        await uow.CommitAsync(ct);
        return TypedResults.Ok(response);
    }

    private static async Task<Ok<AgentResponse>> GetAgent(Guid processId, Guid agentId, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        var isSelf = user.HasClaim(PbClaims.Role, Roles.Agent) && user.Subject() == agentId.ToString();
        if (!isSelf && !user.IsOfficerFor(process))
        {
            throw new ForbiddenException("An agent's record is read by the agent and the process's officers");
        }
        if (isSelf)
        {
            // The agent's own record, through a token that acts for the process's place: not one of another jurisdiction with the same subject.
            user.EnsureTakesPartIn(process);
        }
        return TypedResults.Ok(await ToResponseAsync(uow, await uow.GetAgentAsync(processId, agentId, ct), ct));
    }

    private static async Task<AgentResponse> ToResponseAsync(UnitOfWork uow, ParticipatingAgent a, CancellationToken ct) =>
        new(a.Id, a.ProcessId, a.FullName, a.Organisation, a.Status, await uow.HasTrainedAsync(a.Id, ct),
            (await uow.ListSeatsAsync(a.ProcessId, ct)).Where(s => s.AgentId == a.Id).ToArray());

    private static ObjectionResponse ToResponse(Objection o) => new(o.Id, o.AgentId, o.Status, o.Grounds, o.Evidence, o.FiledAt, o.Resolution, o.ResolvedAt);
}
