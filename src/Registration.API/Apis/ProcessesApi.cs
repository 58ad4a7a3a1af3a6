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
        app.MapGet("/api/registration/jurisdictions/{ubigeo}", GetJurisdiction).AllowAnonymous()
            .WithTag("Jurisdictions", "Districts, provinces and regions by their ubigeo, with their level and the jurisdiction above them.")
            .WithSummary("Get a jurisdiction by its ubigeo: its level and parent");

        var api = app.MapGroup("/api/registration/processes")
            .WithTag("Processes", "A jurisdiction's participatory-budgeting processes: their calendar, rules and stages.");
        api.MapPost("/", OpenProcess).RequireAuthorization(Roles.ProcessAdmin)
            .InAnyJurisdiction("Opens a process of the token's own jurisdiction")
            .WithSummary("Open a participatory-budgeting process for the token's jurisdiction, with its calendar and rules")
            .Refuses(StatusCodes.Status409Conflict, "The jurisdiction already has a process for that fiscal year.");
        // Participatory budgeting is public (docs/architecture.md, "Trust boundaries"): residents follow a process without signing in.
        api.MapGet("/", ListProcesses)
            .AllowAnonymous()
            .WithSummary("List the processes, optionally of one jurisdiction (ubigeo), newest fiscal year first");
        api.MapGet("/{processId:guid}", GetProcess)
            .AllowAnonymous()
            .WithSummary("Get a process: its level, budget ceiling, calendar, rules, stage and number of accredited agents");
        api.MapPost("/{processId:guid}/stage", AdvanceStage).RequireAuthorization(Roles.ProcessAdmin)
            .WithSummary("Advance a process to its next stage, once the calendar opens it")
            .Refuses(StatusCodes.Status409Conflict, "The stage asked for is not the one that follows the current stage, or its window has not opened.");
        return api;
    }

    public sealed record OpenProcessRequest(string? Name, int FiscalYear, string? Level, decimal BudgetCeiling, ProcessCalendar? Calendar, ProcessRules? Rules);
    public sealed record ProcessResponse(Guid Id, string Jurisdiction, string Name, int FiscalYear, GovernmentLevel Level, decimal BudgetCeiling, Stage Stage, int AccreditedAgents,
        ProcessCalendar? Calendar, ProcessRules? Rules, IReadOnlyList<PreparationStep> OpenSteps, DateTimeOffset? EligibleListPublishedAt);
    public sealed record AdvanceStageRequest(string? ToStage);
    public sealed record JurisdictionResponse(string Code, GovernmentLevel Level, string? Parent);

    private static async Task<Results<Ok<JurisdictionResponse>, NotFound>> GetJurisdiction(string ubigeo, UnitOfWorkFactory db, CancellationToken ct)
    {
        var code = Ubigeo.Parse("ubigeo", ubigeo);
        await using var uow = await db.BeginAsync(ct);
        // Only jurisdictions that have had a process or an organisation are on record.
        return await uow.GetJurisdictionAsync(code, ct) is { } j
            ? TypedResults.Ok(new JurisdictionResponse(j.Code, Enum.Parse<GovernmentLevel>(j.Level), j.Parent))
            : TypedResults.NotFound();
    }

    private static async Task<Created<ProcessResponse>> OpenProcess(OpenProcessRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var (process, opened) = Process.Open(user.Jurisdiction(), request.Name, request.FiscalYear, request.Level, request.BudgetCeiling, request.Calendar, request.Rules, uow.Now);
        await uow.InsertProcessAsync(process, ct);
        uow.Publish(opened);
        uow.Audit(Actor.As(user, Roles.ProcessAdmin), "process.opened", process.Id, process.Id.ToString(),
            new { process.Name, process.FiscalYear, process.Level, process.BudgetCeiling, process.Stage, process.Calendar, process.Rules });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/registration/processes/{process.Id}", ToResponse(process, 0, uow.Now));
    }

    /// <summary>The processes of one jurisdiction when asked (?jurisdiction=ubigeo), else all of them (as for PE, the nation); newest fiscal year first.</summary>
    private static async Task<Ok<ProcessResponse[]>> ListProcesses(string? jurisdiction, UnitOfWorkFactory db, CancellationToken ct)
    {
        var filter = string.IsNullOrEmpty(jurisdiction) ? null : Guard.Jurisdiction("jurisdiction", jurisdiction);
        await using var uow = await db.BeginAsync(ct);
        var processes = await uow.ListProcessesAsync(filter == PbClaims.NationalJurisdiction ? null : filter, ct);
        return TypedResults.Ok(processes.Select(p => ToResponse(p.Process, p.AccreditedAgents, uow.Now)).ToArray());
    }

    private static async Task<Ok<ProcessResponse>> GetProcess(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        return TypedResults.Ok(ToResponse(process, await uow.CountAccreditedAsync(processId, ct), uow.Now));
    }

    private static async Task<Ok<ProcessResponse>> AdvanceStage(Guid processId, AdvanceStageRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        if (!Stages.TryParse(request.ToStage, out var next))
        {
            throw new DomainException("toStage", $"Unknown stage '{request.ToStage}'; stages are {string.Join(", ", Enum.GetNames<Stage>())}");
        }
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct, forUpdate: true);
        user.EnsureActsFor(process.Jurisdiction);
        var advanced = process.AdvanceTo(next, Calendar.Today(uow.Now));
        await uow.UpdateStageAsync(process, ct);
        uow.Publish(advanced);
        uow.Audit(Actor.As(user, Roles.ProcessAdmin), "process.stage-advanced", process.Id, process.Id.ToString(), new { advanced.FromStage, advanced.ToStage });
        var accredited = await uow.CountAccreditedAsync(processId, ct);
        await uow.CommitAsync(ct);
        return TypedResults.Ok(ToResponse(process, accredited, uow.Now));
    }

    internal static ProcessResponse ToResponse(Process p, int accredited, DateTimeOffset now) =>
        new(p.Id, p.Jurisdiction, p.Name, p.FiscalYear, p.Level, p.BudgetCeiling, p.Stage, accredited, p.Calendar, p.Rules, p.OpenSteps(Calendar.Today(now)), p.EligibleListPublishedAt);
}
