using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.OpenApi;
using PBServices.BuildingBlocks.Security;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Oversight.Domain;
using PBServices.Oversight.Infrastructure;

namespace PBServices.Oversight.Apis;

/// <summary>
/// The committee's side: what is overdue, its findings and requests for information, the government's answers by the
/// deadline the process sets, and escalation to the council, which sends a finding with the next year's submission.
/// </summary>
public static class FindingsApi
{
    public static IEndpointRouteBuilder MapFindingsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/oversight")
            .WithTag("Findings", "The oversight committee's findings and requests for information, the government's answers, escalation to the council, and what is overdue.");
        api.MapGet("/processes/{processId:guid}/alerts", GetAlerts).RequireAuthorization(Access.Reader)
            .WithName("GetOversightAlerts")
            .WithSummary("What is overdue today: projects not in the opening budget after its deadline, projects with no progress for longer than the process allows, unanswered findings past their due date")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/processes/{processId:guid}/findings", GetFindings).RequireAuthorization(Access.Reader)
            .WithName("GetFindings")
            .WithSummary("The committee's findings and requests of a process, with the answers and escalations, oldest first")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/processes/{processId:guid}/findings", RaiseFinding).RequireAuthorization(Roles.Oversight)
            .WithName("RaiseFinding")
            .WithSummary("Record a finding of the committee, or a request for information, on the process or one of its projects; the government answers within the process's deadline")
            .Refuses(StatusCodes.Status409Conflict, "The process's list is not formalized yet.");
        api.MapPost("/findings/{findingId:guid}/answers", AnswerFinding).RequireAuthorization(Roles.ProcessAdmin)
            .WithName("AnswerFinding")
            .WithSummary("The government's answer to a finding or request (answers are added, never changed)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/findings/{findingId:guid}/escalation", EscalateFinding).RequireAuthorization(Roles.Oversight)
            .WithName("EscalateFinding")
            .WithSummary("Escalate a finding to the council, with the reason; it goes, as part of the oversight report, with the jurisdiction's next submission to the Ministry")
            .Refuses(StatusCodes.Status409Conflict, "The finding is already escalated.");
        return app;
    }

    public sealed record FindingRequest(FindingKind? Kind, string? Text, Guid? ProposalId);

    public sealed record AnswerRequest(string? Text);

    public sealed record EscalationRequest(string? Reason);

    public sealed record AnswerResponse(string Text, DateTimeOffset AnsweredAt);

    /// <summary><paramref name="RaisedBy"/> and <paramref name="EscalatedBy"/> are the members' names, as the public acta records them.</summary>
    public sealed record FindingResponse(Guid Id, Guid ProcessId, Guid? ProposalId, string? ProjectTitle, FindingKind Kind, string Text, string RaisedBy,
        DateTimeOffset RaisedAt, DateTimeOffset AnswerDue, bool Overdue, AnswerResponse[] Answers, string? EscalatedBy, DateTimeOffset? EscalatedAt,
        string? EscalationReason);

    private static async Task<Ok<Alert[]>> GetAlerts(Guid processId, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginReadAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        Access.EnsureReads(user, process, uow.Now);
        var projects = await uow.GetProjectsOfAsync([processId], ct);
        var findings = await uow.GetFindingsOfAsync(processId, ct);
        return TypedResults.Ok(Alerts.For(process, projects, findings, uow.Now).ToArray());
    }

    private static async Task<Ok<FindingResponse[]>> GetFindings(Guid processId, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginReadAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        Access.EnsureReads(user, process, uow.Now);
        var titles = (await uow.GetProjectsOfAsync([processId], ct)).ToDictionary(p => p.ProposalId, p => p.Title);
        return TypedResults.Ok((await uow.GetFindingsOfAsync(processId, ct)).Select(f => ToResponse(process, f, titles, uow.Now)).ToArray());
    }

    private static async Task<Created<FindingResponse>> RaiseFinding(Guid processId, FindingRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        var (actor, member) = Access.Committee(user, process, uow.Now);
        var project = r.ProposalId is { } pid ? await uow.GetProjectAsync(pid, ct) : null;
        var (finding, raised) = Finding.Raise(process, member, r.Kind, r.Text, project, uow.Now);
        await uow.InsertFindingAsync(finding, ct);
        uow.Publish(raised);
        uow.Audit(actor, "finding.raised", processId, finding.Id.ToString(), new { Kind = finding.Kind.ToString(), finding.ProposalId, finding.Text, finding.AnswerDue });
        await uow.CommitAsync(ct);
        var titles = project is null ? new Dictionary<Guid, string>() : new Dictionary<Guid, string> { [project.ProposalId] = project.Title };
        return TypedResults.Created($"/api/oversight/processes/{processId}/findings", ToResponse(process, finding, titles, uow.Now));
    }

    private static async Task<Ok<FindingResponse>> AnswerFinding(Guid findingId, AnswerRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var finding = await uow.GetFindingAsync(findingId, ct, forUpdate: true);
        var process = await uow.GetProcessAsync(finding.ProcessId, ct);
        var actor = Access.Government(user, process);
        var answer = finding.AnswerWith(r.Text, actor.Subject, uow.Now);
        await uow.InsertAnswerAsync(findingId, answer, ct);
        uow.Audit(actor, "finding.answered", process.ProcessId, findingId.ToString(), new { answer.Id, answer.Text, Late = finding.Overdue(uow.Now) });
        await uow.CommitAsync(ct);
        return TypedResults.Ok(await ReadAsync(db, process, findingId, ct));
    }

    private static async Task<Ok<FindingResponse>> EscalateFinding(Guid findingId, EscalationRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var finding = await uow.GetFindingAsync(findingId, ct, forUpdate: true);
        var process = await uow.GetProcessAsync(finding.ProcessId, ct);
        var (actor, member) = Access.Committee(user, process, uow.Now);
        var title = finding.ProposalId is { } pid ? (await uow.GetProjectAsync(pid, ct)).Title : null;
        var escalated = finding.Escalate(process, member, r.Reason, title, uow.Now);
        await uow.EscalateAsync(finding, ct);
        uow.Publish(escalated);
        uow.Audit(actor, "finding.escalated", process.ProcessId, findingId.ToString(), new { escalated.EscalatedAt, Answers = escalated.Answers.Count }, escalated.EscalationReason);
        await uow.CommitAsync(ct);
        return TypedResults.Ok(await ReadAsync(db, process, findingId, ct));
    }

    private static async Task<FindingResponse> ReadAsync(UnitOfWorkFactory db, OversightProcess process, Guid findingId, CancellationToken ct)
    {
        await using var uow = await db.BeginReadAsync(ct);
        var finding = await uow.GetFindingAsync(findingId, ct);
        var titles = (await uow.GetProjectsOfAsync([process.ProcessId], ct)).ToDictionary(p => p.ProposalId, p => p.Title);
        return ToResponse(process, finding, titles, uow.Now);
    }

    private static FindingResponse ToResponse(OversightProcess process, Finding f, IReadOnlyDictionary<Guid, string> titles, DateTimeOffset now)
    {
        string Name(Guid? agent) => process.Committee.FirstOrDefault(m => m.AgentId == agent)?.FullName ?? "";
        return new FindingResponse(f.Id, f.ProcessId, f.ProposalId, f.ProposalId is { } p ? titles.GetValueOrDefault(p) : null, f.Kind, f.Text, Name(f.RaisedBy), f.RaisedAt,
            f.AnswerDue, f.Overdue(now), f.Answers.Select(a => new AnswerResponse(a.Text, a.AnsweredAt)).ToArray(), f.EscalatedBy is null ? null : Name(f.EscalatedBy),
            f.EscalatedAt, f.EscalationReason);
    }
}
