using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Security;
using PBServices.Registration.Domain;
using PBServices.Registration.Infrastructure;

namespace PBServices.Registration.Apis;

public static class TrainingApi
{
    public static RouteGroupBuilder MapTrainingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/registration/processes/{processId:guid}/training-sessions")
            .WithTag("Training", "Training sessions for accredited agents, in person or online, and their attendance.");
        api.MapPost("/", ScheduleTraining).RequireAuthorization(Roles.ProcessAdmin)
            .WithSummary("Schedule a training session within the training window")
            .Refuses(StatusCodes.Status409Conflict, "The process is past Preparation.");
        api.MapGet("/", ListTrainingSessions).AllowAnonymous()
            .WithSummary("The training sessions of a process, with their number of attendees");
        api.MapPost("/{sessionId:guid}/attendance", RecordAttendance).RequireAuthorization(Policies.AttendanceRecorder)
            .WithSummary("Record attendance: an officer checks an agent in, or the agent checks in online")
            .Refuses(StatusCodes.Status409Conflict, "Not the day of the session, the agent is not accredited, or the attendance is already recorded.");
        return api;
    }

    public sealed record ScheduleRequest(DateOnly? Date, string? Topic, string? Place, string? OnlineLink);
    public sealed record SessionResponse(Guid Id, DateOnly Date, string Topic, string? Place, string? OnlineLink, int Attendees);
    public sealed record AttendanceRequest(Guid? AgentId);
    public sealed record AttendanceResponse(Guid SessionId, Guid AgentId, string CheckedInBy, DateTimeOffset At);

    private static async Task<Created<SessionResponse>> ScheduleTraining(Guid processId, ScheduleRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        var session = TrainingSession.Schedule(process, request.Date, request.Topic, request.Place, request.OnlineLink, uow.Now);
        await uow.InsertTrainingSessionAsync(session, ct);
        uow.Audit(Actor.As(user, Roles.ProcessAdmin), "training.scheduled", processId, session.Id.ToString(), new { session.Date, session.Topic, session.Place, session.OnlineLink });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/registration/processes/{processId}/training-sessions/{session.Id}", ToResponse(session, 0));
    }

    private static async Task<Ok<SessionResponse[]>> ListTrainingSessions(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        await uow.GetProcessAsync(processId, ct);
        return TypedResults.Ok((await uow.ListTrainingSessionsAsync(processId, ct)).Select(s => ToResponse(s.Session, s.Attendees)).ToArray());
    }

    private static async Task<Ok<AttendanceResponse>> RecordAttendance(Guid processId, Guid sessionId, AttendanceRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        var session = await uow.GetTrainingSessionAsync(processId, sessionId, ct);
        var officer = user.IsOfficerFor(process);
        Guid agentId;
        if (officer)
        {
            agentId = request.AgentId ?? throw new DomainException("agentId", "The agent the officer checks in");
        }
        else
        {
            // An agent checks in only themself: their token's subject is their agent id.
            user.EnsureTakesPartIn(process);
            agentId = Guid.TryParse(user.Subject(), out var self) ? self : throw new ForbiddenException("The agent's token names no agent");
            if (request.AgentId is { } other && other != agentId)
            {
                throw new ForbiddenException("An agent checks in only themself");
            }
        }
        var agent = await uow.GetAgentAsync(processId, agentId, ct, field: "agentId");
        var attended = session.CheckIn(process, agent, uow.Now);
        var actor = officer ? Actor.As(user, Roles.ProcessAdmin) : Actor.As(user, Roles.Agent);
        await uow.InsertAttendanceAsync(sessionId, agentId, actor.Subject, bySelf: !officer, ct);
        uow.Publish(attended);
        uow.Audit(actor, "training.attended", processId, agentId.ToString(), new { SessionId = sessionId, BySelf = !officer });
        await uow.CommitAsync(ct);
        return TypedResults.Ok(new AttendanceResponse(sessionId, agentId, officer ? "Officer" : "Self", uow.Now));
    }

    private static SessionResponse ToResponse(TrainingSession s, int attendees) => new(s.Id, s.Date, s.Topic, s.Place, s.OnlineLink, attendees);
}
