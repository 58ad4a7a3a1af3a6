using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Security;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Registration.Domain;
using PBServices.Registration.Infrastructure;

namespace PBServices.Registration.Apis;

public static class ProcessesApi
{
    public static RouteGroupBuilder MapProcessesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/registration/processes").WithTags("Processes");
        api.MapPost("/", OpenProcess).RequireAuthorization(Roles.ProcessAdmin);
        // Participatory budgeting is public (DESIGN.md section 4): residents follow a process without signing in.
        api.MapGet("/", ListProcesses)
            .AllowAnonymous();
        api.MapGet("/{processId:guid}", GetProcess)
            .AllowAnonymous();
        api.MapPost("/{processId:guid}/stage", AdvanceStage).RequireAuthorization(Roles.ProcessAdmin);
        // Any signed-in resident may apply (not an integrator: read-only); accreditation is the process-admin's decision.
        api.MapPost("/{processId:guid}/agents", RegisterAgent).RequireAuthorization(Roles.Resident);
        api.MapPost("/{processId:guid}/agents/{agentId:guid}/accreditation", AccreditAgent).RequireAuthorization(Roles.ProcessAdmin);
        return api;
    }

    public sealed record OpenProcessRequest(string? Name, int FiscalYear, string? Level, decimal BudgetCeiling);
    public sealed record ProcessResponse(Guid Id, string Jurisdiction, string Name, int FiscalYear, string Level, decimal BudgetCeiling, string Stage, int AccreditedAgents);
    public sealed record AdvanceStageRequest(string? ToStage);
    public sealed record RegisterAgentRequest(string? FullName, string? Dni, string? Organisation);
    public sealed record AgentResponse(Guid Id, Guid ProcessId, string FullName, string Organisation, string Status);

    private static async Task<Created<ProcessResponse>> OpenProcess(OpenProcessRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = Process.Open(user.Jurisdiction(), request.Name, request.FiscalYear, request.Level, request.BudgetCeiling, uow.Now);
        await uow.InsertProcessAsync(process, ct);
        uow.Publish(new ProcessOpened
        {
            ProcessId = process.Id,
            Jurisdiction = process.Jurisdiction,
            Name = process.Name,
            FiscalYear = process.FiscalYear,
            Level = process.Level.ToString(),
            BudgetCeiling = process.BudgetCeiling,
            Stage = process.Stage.ToString(),
        });
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
        if (!Enum.TryParse<Stage>(request.ToStage, ignoreCase: true, out var next) || !Enum.IsDefined(next))
        {
            throw new BuildingBlocks.Errors.DomainException("toStage", $"Unknown stage '{request.ToStage}'; stages are {string.Join(", ", Enum.GetNames<Stage>())}");
        }
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct, forUpdate: true);
        user.EnsureActsFor(process.Jurisdiction);
        var from = process.AdvanceTo(next);
        await uow.UpdateStageAsync(process, ct);
        uow.Publish(new StageAdvanced { ProcessId = process.Id, Jurisdiction = process.Jurisdiction, FromStage = from.ToString(), ToStage = next.ToString() });
        var accredited = await uow.CountAccreditedAsync(processId, ct);
        await uow.CommitAsync(ct);
        return TypedResults.Ok(ToResponse(process, accredited));
    }

    private static async Task<Created<AgentResponse>> RegisterAgent(Guid processId, RegisterAgentRequest request, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        var agent = ParticipatingAgent.Register(process, request.FullName, request.Dni, request.Organisation, uow.Now);
        await uow.InsertAgentAsync(agent, ct);
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/registration/processes/{processId}/agents/{agent.Id}", ToResponse(agent));
    }

    private static async Task<Ok<AgentResponse>> AccreditAgent(Guid processId, Guid agentId, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        var agent = await uow.GetAgentAsync(processId, agentId, ct);
        agent.Accredit();
        await uow.UpdateAgentStatusAsync(agent, ct);
        uow.Publish(new AgentAccredited
        {
            ProcessId = processId,
            Jurisdiction = process.Jurisdiction,
            AgentId = agent.Id,
            FullName = agent.FullName,
            Organisation = agent.Organisation,
        });
        await uow.CommitAsync(ct);
        return TypedResults.Ok(ToResponse(agent));
    }

    private static ProcessResponse ToResponse(Process p, int accredited) =>
        new(p.Id, p.Jurisdiction, p.Name, p.FiscalYear, p.Level.ToString().ToLowerInvariant(), p.BudgetCeiling, p.Stage.ToString(), accredited);

    private static AgentResponse ToResponse(ParticipatingAgent a) => new(a.Id, a.ProcessId, a.FullName, a.Organisation, a.Status.ToString());
}
