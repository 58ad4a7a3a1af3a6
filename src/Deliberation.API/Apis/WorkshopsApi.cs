using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Security;
using PBServices.Deliberation.Domain;
using PBServices.Deliberation.Infrastructure;

namespace PBServices.Deliberation.Apis;

public static class WorkshopsApi
{
    public static RouteGroupBuilder MapWorkshopsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/deliberation/processes/{processId:guid}/workshops")
            .WithTag("Workshops", "The diagnosis, prioritisation and formalization workshops of a process, in person or online: the calendar, the attendance of accredited agents, the minutes.");
        api.MapPost("/", ScheduleWorkshop).RequireAuthorization(Roles.ProcessAdmin)
            .WithSummary("Schedule a workshop on a day of its stage's window (diagnosis and prioritisation in Concertation, formalization in Formalization), with a place, an https link, or both")
            .Refuses(StatusCodes.Status409Conflict, "The process is past the workshop's stage.");
        api.MapGet("/", ListWorkshops).AllowAnonymous()
            .WithSummary("The workshop calendar of a process, with how many attended each (no names) and whether its minutes are recorded");
        api.MapGet("/{workshopId:guid}", GetWorkshop).AllowAnonymous()
            .WithSummary("A workshop with its agenda, its number of attendees, and every version of its minutes");
        api.MapPost("/{workshopId:guid}/attendance", CheckIn).RequireAuthorization(Policies.AttendanceRecorder)
            .WithSummary("Record an agent's attendance: the process-admin checks an agent in (agentId) from the workshop's day until its minutes are recorded; an agent checks themself in online, on the day, at a workshop with an online link")
            .Refuses(StatusCodes.Status403Forbidden, "An agent checks in only themself.")
            .Refuses(StatusCodes.Status409Conflict, "Before the workshop's day, after its minutes, online at an in-person workshop or not on its day, an agent not accredited or revoked, or the attendance already recorded.");
        api.MapGet("/{workshopId:guid}/attendance", ListAttendance).RequireAuthorization(Roles.ProcessAdmin)
            .WithSummary("Who attended a workshop, by name, how each was checked in and by whom: for the process-admin");
        api.MapPost("/{workshopId:guid}/minutes", RecordMinutes).RequireAuthorization(Roles.ProcessAdmin)
            .WithSummary("Record the minutes of a held workshop; once recorded they stay, and a correction is the next version with its reason")
            .Refuses(StatusCodes.Status409Conflict, "Before the workshop's day, the same text as the last version, or another version recorded meanwhile.");
        return api;
    }

    public sealed record ScheduleRequest(WorkshopKind? Kind, DateOnly? Date, TimeOnly? StartTime, string? Place, string? OnlineLink, string? Agenda);
    public sealed record MinutesResponse(int Version, string Text, string? Correction, DateTimeOffset RecordedAt);
    public sealed record WorkshopResponse(Guid Id, Guid ProcessId, WorkshopKind Kind, DateOnly Date, TimeOnly StartTime, string? Place, string? OnlineLink, WorkshopMode Mode,
        string Agenda, int Attendees, bool MinutesRecorded, IReadOnlyList<MinutesResponse> Minutes);
    public sealed record CalendarEntry(Guid Id, WorkshopKind Kind, DateOnly Date, TimeOnly StartTime, string? Place, string? OnlineLink, WorkshopMode Mode,
        int Attendees, bool MinutesRecorded);
    public sealed record AttendanceRequest(Guid? AgentId);
    public sealed record AttendanceResponse(Guid WorkshopId, Guid AgentId, CheckedInBy CheckedInBy, DateTimeOffset At);
    public sealed record AttendeeResponse(Guid AgentId, string FullName, CheckedInBy CheckedInBy, string RecordedBy, DateTimeOffset At);
    public sealed record MinutesRequest(string? Text, string? Correction);

    private static async Task<Created<WorkshopResponse>> ScheduleWorkshop(Guid processId, ScheduleRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        var actor = Actor.As(user, Roles.ProcessAdmin);
        var workshop = Workshop.Schedule(process, await uow.GetCalendarAsync(processId, ct), request.Kind, request.Date, request.StartTime,
            request.Place, request.OnlineLink, request.Agenda, uow.Now);
        await uow.InsertWorkshopAsync(workshop, actor.Subject, ct);
        uow.Audit(actor, "workshop.scheduled", processId, workshop.Id.ToString(),
            new { workshop.Kind, workshop.Date, workshop.StartTime, workshop.Place, workshop.OnlineLink, workshop.Agenda });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/deliberation/processes/{processId}/workshops/{workshop.Id}", ToResponse(workshop, 0, []));
    }

    private static async Task<Ok<CalendarEntry[]>> ListWorkshops(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        await uow.GetProcessAsync(processId, ct);
        return TypedResults.Ok((await uow.ListWorkshopsAsync(processId, ct))
            .Select(l => new CalendarEntry(l.Workshop.Id, l.Workshop.Kind, l.Workshop.Date, l.Workshop.StartTime, l.Workshop.Place, l.Workshop.OnlineLink, l.Workshop.Mode,
                l.Attendees, l.MinutesVersions > 0))
            .ToArray());
    }

    private static async Task<Ok<WorkshopResponse>> GetWorkshop(Guid processId, Guid workshopId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var workshop = await uow.GetWorkshopAsync(processId, workshopId, ct);
        return TypedResults.Ok(ToResponse(workshop, await uow.CountAttendeesAsync(workshopId, ct), await uow.ListMinutesAsync(workshopId, ct)));
    }

    private static async Task<Created<AttendanceResponse>> CheckIn(Guid processId, Guid workshopId, AttendanceRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        // A token holding both roles checks in as the officer: the office's act is the stronger record.
        var officer = user.HasClaim(PbClaims.Role, Roles.ProcessAdmin);
        Guid agentId;
        if (officer)
        {
            agentId = request.AgentId ?? throw new DomainException("agentId", "The agent the officer checks in");
        }
        else
        {
            // An agent's token names the agent: they check in only themself.
            agentId = user.SubjectId();
            if (request.AgentId is { } other && other != agentId)
            {
                throw new ForbiddenException("An agent checks in only themself");
            }
        }
        var actor = Actor.As(user, officer ? Roles.ProcessAdmin : Roles.Agent);
        var workshop = await uow.GetWorkshopAsync(processId, workshopId, ct, lockFor: WorkshopLock.Share);
        var minutesRecorded = (await uow.ListMinutesAsync(workshopId, ct)).Count > 0;
        workshop.RequireCheckIn(await uow.FindParticipantAsync(agentId, ct), bySelf: !officer, minutesRecorded, uow.Now);
        var attendance = new WorkshopAttendance(workshopId, agentId, officer ? CheckedInBy.Officer : CheckedInBy.Self, actor.Subject, uow.Now);
        await uow.InsertAttendanceAsync(attendance, ct);
        uow.Audit(actor, "workshop.attended", processId, agentId.ToString(), new { WorkshopId = workshopId, workshop.Kind, CheckedInBy = attendance.By });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/deliberation/processes/{processId}/workshops/{workshopId}/attendance",
            new AttendanceResponse(workshopId, agentId, attendance.By, attendance.At));
    }

    private static async Task<Ok<AttendeeResponse[]>> ListAttendance(Guid processId, Guid workshopId, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        await uow.GetWorkshopAsync(processId, workshopId, ct);
        return TypedResults.Ok((await uow.ListAttendeesAsync(workshopId, ct)).Select(a => new AttendeeResponse(a.AgentId, a.FullName, a.By, a.RecordedBy, a.At)).ToArray());
    }

    private static async Task<Created<MinutesResponse>> RecordMinutes(Guid processId, Guid workshopId, MinutesRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        var actor = Actor.As(user, Roles.ProcessAdmin);
        // Locked: the minutes close the attendance, so no check-in commits beside them unseen.
        var workshop = await uow.GetWorkshopAsync(processId, workshopId, ct, lockFor: WorkshopLock.Update);
        var minutes = workshop.RecordMinutes((await uow.ListMinutesAsync(workshopId, ct)).LastOrDefault(), request.Text, request.Correction, uow.Now);
        await uow.InsertMinutesAsync(minutes, actor.Subject, ct);
        uow.Audit(actor, minutes.Version == 1 ? "workshop.minutes-recorded" : "workshop.minutes-corrected", processId, workshopId.ToString(),
            new { minutes.Version, minutes.Text, Attendees = await uow.CountAttendeesAsync(workshopId, ct) }, minutes.Correction);
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/deliberation/processes/{processId}/workshops/{workshopId}", ToMinutes(minutes));
    }

    private static MinutesResponse ToMinutes(WorkshopMinutes m) => new(m.Version, m.Text, m.Correction, m.RecordedAt);

    private static WorkshopResponse ToResponse(Workshop w, int attendees, IReadOnlyList<WorkshopMinutes> minutes) =>
        new(w.Id, w.ProcessId, w.Kind, w.Date, w.StartTime, w.Place, w.OnlineLink, w.Mode, w.Agenda, attendees, minutes.Count > 0, minutes.Select(ToMinutes).ToList());
}
