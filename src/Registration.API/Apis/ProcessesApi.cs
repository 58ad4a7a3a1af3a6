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

public static class ProcessesApi
{
    public static RouteGroupBuilder MapProcessesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/registration/processes")
            .WithTag("Processes", "A jurisdiction's participatory-budgeting processes, their stages, and the residents who register as participating agents and are accredited.");
        api.MapPost("/", OpenProcess).RequireAuthorization(Roles.ProcessAdmin)
            .WithSummary("Open a participatory-budgeting process for the token's jurisdiction")
            .Refuses(StatusCodes.Status409Conflict, "The jurisdiction already has a process for that fiscal year.");
        // Participatory budgeting is public (docs/architecture.md, "Trust boundaries"): residents follow a process without signing in.
        api.MapGet("/", ListProcesses)
            .AllowAnonymous()
            .WithSummary("List the processes, optionally of one jurisdiction (ubigeo), newest fiscal year first");
        api.MapGet("/{processId:guid}", GetProcess)
            .AllowAnonymous()
            .WithSummary("Get a process: its level, budget ceiling, stage and number of accredited agents");
        api.MapPost("/{processId:guid}/stage", AdvanceStage).RequireAuthorization(Roles.ProcessAdmin)
            .WithSummary("Advance a process to its next stage")
            .Refuses(StatusCodes.Status409Conflict, "The stage asked for is not the one that follows the process's current stage.");
        // Any signed-in resident may apply (not an integrator: read-only); accreditation is the process-admin's decision.
        api.MapPost("/{processId:guid}/agents", RegisterAgent).RequireAuthorization(Roles.Resident)
            .WithSummary("Apply to register as a participating agent of a process")
            .Refuses(StatusCodes.Status409Conflict, "The process is past Preparation, or the DNI is already registered in it.");
        api.MapPost("/{processId:guid}/agents/{agentId:guid}/accreditation", AccreditAgent).RequireAuthorization(Roles.ProcessAdmin)
            .WithSummary("Accredit a registered participating agent, who may then propose and prioritise")
            .Refuses(StatusCodes.Status409Conflict, "The agent is already accredited, or its accreditation was revoked.");
        return api;
    }

    public sealed record OpenProcessRequest(string? Name, int FiscalYear, string? Level, decimal BudgetCeiling);
    public sealed record ProcessResponse(Guid Id, string Jurisdiction, string Name, int FiscalYear, GovernmentLevel Level, decimal BudgetCeiling, Stage Stage, int AccreditedAgents);
    public sealed record AdvanceStageRequest(string? ToStage);
    public sealed record RegisterAgentRequest(string? FullName, string? Dni, string? Organisation);
    public sealed record AgentResponse(Guid Id, Guid ProcessId, string FullName, string Organisation, string Status);

    private static async Task<Created<ProcessResponse>> OpenProcess(OpenProcessRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var (process, opened) = Process.Open(user.Jurisdiction(), request.Name, request.FiscalYear, request.Level, request.BudgetCeiling, uow.Now);
        await uow.InsertProcessAsync(process, ct);
        uow.Publish(opened);
        uow.Audit(Actor.As(user, Roles.ProcessAdmin), "process.opened", process.Id, process.Id.ToString(),
            new { process.Name, process.FiscalYear, process.Level, process.BudgetCeiling, process.Stage });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/registration/processes/{process.Id}", ToResponse(process, 0));
    }

    /// <summary>The processes of one jurisdiction when asked (?jurisdiction=ubigeo), else all of them (as for PE, the nation); newest fiscal year first.</summary>
    private static async Task<Ok<ProcessResponse[]>> ListProcesses(string? jurisdiction, UnitOfWorkFactory db, CancellationToken ct)
    {
        var filter = string.IsNullOrEmpty(jurisdiction) ? null : Guard.Jurisdiction("jurisdiction", jurisdiction);
        await using var uow = await db.BeginAsync(ct);
        var processes = await uow.ListProcessesAsync(filter == PbClaims.NationalJurisdiction ? null : filter, ct);
        return TypedResults.Ok(processes.Select(p => ToResponse(p.Process, p.AccreditedAgents)).ToArray());
    }

    private static async Task<Ok<ProcessResponse>> GetProcess(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        return TypedResults.Ok(ToResponse(process, await uow.CountAccreditedAsync(processId, ct)));
    }

    private static async Task<Ok<ProcessResponse>> AdvanceStage(Guid processId, AdvanceStageRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        if (!Stages.TryParse(request.ToStage, out var next))
        {
            throw new BuildingBlocks.Errors.DomainException("toStage", $"Unknown stage '{request.ToStage}'; stages are {string.Join(", ", Enum.GetNames<Stage>())}");
        }
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct, forUpdate: true);
        user.EnsureActsFor(process.Jurisdiction);
        var advanced = process.AdvanceTo(next);
        await uow.UpdateStageAsync(process, ct);
        uow.Publish(advanced);
        uow.Audit(Actor.As(user, Roles.ProcessAdmin), "process.stage-advanced", process.Id, process.Id.ToString(), new { advanced.FromStage, advanced.ToStage });
        var accredited = await uow.CountAccreditedAsync(processId, ct);
        await uow.CommitAsync(ct);
        return TypedResults.Ok(ToResponse(process, accredited));
    }

    private static async Task<Created<AgentResponse>> RegisterAgent(Guid processId, RegisterAgentRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        var agent = ParticipatingAgent.Register(process, request.FullName, request.Dni, request.Organisation, uow.Now);
        await uow.InsertAgentAsync(agent, ct);
        // The DNI is personal data: the trail names the agent, never the document number.
        uow.Audit(Actor.As(user, Roles.Resident), "agent.registered", processId, agent.Id.ToString(), new { agent.FullName, agent.Organisation, agent.Status });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/registration/processes/{processId}/agents/{agent.Id}", ToResponse(agent));
    }

    private static async Task<Ok<AgentResponse>> AccreditAgent(Guid processId, Guid agentId, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        var agent = await uow.GetAgentAsync(processId, agentId, ct);
        var accredited = agent.Accredit(process);
        await uow.UpdateAgentStatusAsync(agent, ct);
        uow.Publish(accredited);
        uow.Audit(Actor.As(user, Roles.ProcessAdmin), "agent.accredited", processId, agent.Id.ToString(), new { agent.Status });
        await uow.CommitAsync(ct);
        return TypedResults.Ok(ToResponse(agent));
    }

    private static ProcessResponse ToResponse(Process p, int accredited) =>
        new(p.Id, p.Jurisdiction, p.Name, p.FiscalYear, p.Level, p.BudgetCeiling, p.Stage, accredited);

    private static AgentResponse ToResponse(ParticipatingAgent a) => new(a.Id, a.ProcessId, a.FullName, a.Organisation, a.Status.ToString());
}
