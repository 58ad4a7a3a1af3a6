using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.OpenApi;
using PBServices.BuildingBlocks.Security;
using PBServices.BuildingBlocks.Text;
using PBServices.Oversight.Domain;
using PBServices.Oversight.Infrastructure;
using static PBServices.Oversight.Apis.ProgressApi;

namespace PBServices.Oversight.Apis;

/// <summary>
/// The government side records the execution of what was agreed: inclusion in the opening budget, milestones with the
/// amounts committed and spent, evidence, changes, who executes and what the co-financing parties delivered. Each
/// write locks the project, checks the rule in the domain, is audited and committed before it is acknowledged.
/// </summary>
public static class ExecutionApi
{
    public const long MaxEvidenceBytes = 10 * 1024 * 1024;

    public static IEndpointRouteBuilder MapExecutionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/oversight").RequireAuthorization(Roles.ProcessAdmin)
            .WithTag("Execution", "What the government side records of each agreed project: the opening budget, milestones, spending, evidence, changes, executor and contributions.");
        api.MapPut("/processes/{processId:guid}/settings", PutSettings)
            .WithName("SetOversightSettings")
            .WithSummary("Set the process's oversight settings: the budget deadline, the days to answer the committee, the days without progress that make a project overdue, the end of the committee's term");
        api.MapPost("/projects/{proposalId:guid}/budget", RecordBudget)
            .WithName("RecordBudgetInclusion")
            .WithSummary("Record the project's inclusion in the opening budget (PIA) with its investment code and amount, or that it was left out and why")
            .Refuses(StatusCodes.Status409Conflict, "The project is not of a formalized list.");
        api.MapPost("/projects/{proposalId:guid}/milestones", RecordMilestone)
            .WithName("RecordMilestone")
            .WithSummary("Report a milestone (technical file, tender, works start, progress, completion, handover) with its date, physical progress and the amounts committed and spent to date")
            .Refuses(StatusCodes.Status409Conflict, "Out of order, already recorded, not in the budget from the tender on, or the project was postponed.");
        api.MapPost("/projects/{proposalId:guid}/changes", RecordChange)
            .WithName("RecordProjectChange")
            .WithSummary("Record that the project was split, re-scoped or postponed, with who decided it and why")
            .Refuses(StatusCodes.Status409Conflict, "The project is completed or already postponed.");
        api.MapPut("/projects/{proposalId:guid}/executor", SetExecutor)
            .WithName("SetProjectExecutor")
            .WithSummary("Record who executes the works: the government, or a civil-society organisation under a named agreement");
        api.MapPost("/projects/{proposalId:guid}/contributions", RecordContribution)
            .WithName("RecordContribution")
            .WithSummary("Record a contribution in money, materials or labour (valued in soles) against a share of the co-financing agreed")
            .Refuses(StatusCodes.Status409Conflict, "The project has no co-financing agreed.");
        api.MapPost("/projects/{proposalId:guid}/evidence", UploadEvidence).DisableAntiforgery()
            .WithName("UploadEvidence")
            .WithSummary("Attach an evidence document to the project, or to one of its milestones (PDF, JPEG or PNG by content, at most 10 MB)");
        return app;
    }

    public sealed record SettingsRequest(DateOnly? BudgetDeadline, int? AnswerDays, int? StaleDays, DateOnly? TermEnds);

    public sealed record BudgetRequest(bool? Included, string? BudgetCode, decimal? Amount, string? Reason);

    public sealed record MilestoneRequest(MilestoneKind? Kind, DateOnly? Date, int? Progress, decimal? Committed, decimal? Spent, string? OverspendReason, string? Note);

    public sealed record ChangeRequest(ChangeKind? Kind, string? DecidedBy, string? Reason, decimal? NewCost, int? PostponedTo, List<SplitPart>? Parts);

    public sealed record ExecutorRequest(ExecutorKind? Kind, string? Organisation, string? Agreement);

    public sealed record ContributionRequest(string? PartyKind, string? Party, string? Contribution, decimal? Amount, DateOnly? Date, string? Note);

    private static async Task<Ok<ProcessProgress>> PutSettings(Guid processId, SettingsRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct, forUpdate: true);
        var actor = Access.Government(user, process);
        var settings = OversightSettings.Of(r.BudgetDeadline, r.AnswerDays, r.StaleDays, r.TermEnds, process.FiscalYear);
        await uow.UpdateSettingsAsync(processId, settings, ct);
        uow.Audit(actor, "oversight.settings-set", processId, processId.ToString(), new { Before = process.Settings, After = settings });
        var projects = await uow.GetProjectsOfAsync([processId], ct);
        await uow.CommitAsync(ct);
        return TypedResults.Ok(ToProgress(process with { Settings = settings }, projects));
    }

    private static async Task<Ok<ProjectDetail>> RecordBudget(Guid proposalId, BudgetRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct) =>
        await ChangeAsync(proposalId, user, db, ct, (uow, process, project, actor) =>
        {
            var entry = project.RecordBudget(r.Included, r.BudgetCode, r.Amount, r.Reason, actor.Subject, uow.Now);
            uow.Audit(actor, entry.Included ? "budget.included" : "budget.left-out", process.ProcessId, proposalId.ToString(),
                new { entry.Id, entry.Included, entry.BudgetCode, entry.Amount }, entry.Reason);
            return uow.InsertBudgetEntryAsync(proposalId, entry, ct);
        });

    private static async Task<Ok<ProjectDetail>> RecordMilestone(Guid proposalId, MilestoneRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct) =>
        await ChangeAsync(proposalId, user, db, ct, (uow, process, project, actor) =>
        {
            var m = project.RecordMilestone(r.Kind, r.Date, r.Progress, r.Committed, r.Spent, r.OverspendReason, r.Note, actor.Subject, uow.Now);
            uow.Audit(actor, "milestone.recorded", process.ProcessId, proposalId.ToString(),
                new { m.Id, Kind = m.Kind.ToString(), m.Date, m.Progress, m.Committed, m.Spent, m.Note }, m.OverspendReason);
            return uow.InsertMilestoneAsync(proposalId, m, ct);
        });

    private static async Task<Ok<ProjectDetail>> RecordChange(Guid proposalId, ChangeRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct) =>
        await ChangeAsync(proposalId, user, db, ct, (uow, process, project, actor) =>
        {
            var change = project.RecordChange(r.Kind, r.DecidedBy, r.Reason, r.NewCost, r.PostponedTo, r.Parts, process.FiscalYear, actor.Subject, uow.Now);
            project.Apply(change);
            uow.Audit(actor, "project.changed", process.ProcessId, proposalId.ToString(),
                new { change.Id, Kind = change.Kind.ToString(), change.DecidedBy, change.NewCost, change.PostponedTo, change.Parts }, change.Reason);
            return uow.InsertChangeAsync(project, change, ct);
        });

    private static async Task<Ok<ProjectDetail>> SetExecutor(Guid proposalId, ExecutorRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct) =>
        await ChangeAsync(proposalId, user, db, ct, (uow, process, project, actor) =>
        {
            var before = project.Executor;
            var executor = project.AssignExecutor(r.Kind, r.Organisation, r.Agreement);
            uow.Audit(actor, "project.executor-set", process.ProcessId, proposalId.ToString(), new { Before = before, After = executor });
            return uow.UpdateExecutorAsync(proposalId, executor, ct);
        });

    private static async Task<Ok<ProjectDetail>> RecordContribution(Guid proposalId, ContributionRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct) =>
        await ChangeAsync(proposalId, user, db, ct, (uow, process, project, actor) =>
        {
            var c = project.RecordContribution(r.PartyKind, r.Party, r.Contribution, r.Amount, r.Date, r.Note, actor.Subject, uow.Now);
            uow.Audit(actor, "contribution.recorded", process.ProcessId, proposalId.ToString(),
                new { c.Id, c.PartyKind, c.Party, Contribution = c.Kind, c.Amount, c.Date, c.Note });
            return uow.InsertContributionAsync(proposalId, c, ct);
        });

    private static async Task<Created<EvidenceResponse>> UploadEvidence(Guid proposalId, [FromForm] string? description, [FromForm] Guid? milestoneId, IFormFile? file,
        ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        var text = Guard.Text("description", description, 500);
        if (file is null)
        {
            throw new DomainException("file", "Attach the document as the form field 'file'");
        }
        if (file.Length is 0 or > MaxEvidenceBytes)
        {
            throw new DomainException("file", string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"1 byte to 10 MB (10,485,760 bytes); this file has {file.Length:N0} bytes"));
        }
        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, ct);
        var content = buffer.ToArray();
        var type = DocumentContent.TypeOf(content) ?? throw new DomainException("file", "Only PDF, JPEG or PNG documents, recognised by their content");
        await using var uow = await db.BeginAsync(ct);
        var project = await uow.GetProjectAsync(proposalId, ct, forUpdate: true);
        var process = await uow.GetProcessAsync(project.ProcessId, ct);
        var actor = Access.Government(user, process);
        if (milestoneId is { } mid && project.Milestones.All(m => m.Id != mid))
        {
            throw new DomainException("milestoneId", "Not a milestone of this project");
        }
        var evidence = new EvidenceInfo(Guid.CreateVersion7(uow.Now), proposalId, milestoneId, text, type, content.Length, Convert.ToHexStringLower(SHA256.HashData(content)),
            uow.Now);
        await uow.InsertEvidenceAsync(evidence, content, actor.Subject, ct);
        uow.Audit(actor, "evidence.attached", process.ProcessId, evidence.Id.ToString(),
            new { ProposalId = proposalId, evidence.MilestoneId, evidence.Description, evidence.ContentType, evidence.Size, evidence.Sha256 });
        await uow.CommitAsync(ct);
        var url = $"/api/oversight/projects/{proposalId}/evidence/{evidence.Id}";
        return TypedResults.Created(url, new EvidenceResponse(evidence.Id, evidence.MilestoneId, evidence.Description, evidence.ContentType, evidence.Size, evidence.Sha256,
            evidence.RecordedAt, url));
    }

    /// <summary>Load and lock the project → the government side of its jurisdiction only → the domain's change → store, audit → commit.</summary>
    private static async Task<Ok<ProjectDetail>> ChangeAsync(Guid proposalId, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct,
        Func<UnitOfWork, OversightProcess, AgreedProject, Actor, Task> change)
    {
        await using var uow = await db.BeginAsync(ct);
        var project = await uow.GetProjectAsync(proposalId, ct, forUpdate: true);
        var process = await uow.GetProcessAsync(project.ProcessId, ct);
        var actor = Access.Government(user, process);
        await change(uow, process, project, actor);
        var stored = await uow.GetProjectAsync(proposalId, ct);
        var evidence = await uow.ListEvidenceAsync([proposalId], ct);
        await uow.CommitAsync(ct);
        return TypedResults.Ok(ToDetail(process, stored, evidence));
    }
}
