using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using static PBServices.EndToEnd.Tests.Answers;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// The workshops of a process through the gateway: scheduled on their stage's window, in person or online,
/// attended once by each accredited agent (at the door or online), their minutes kept; and the rule that
/// only agents who attended the prioritisation workshop vote.
/// </summary>
public sealed class WorkshopTests(SystemFixture system)
{
    public sealed record MinutesDto(int Version, string Text, string? Correction, DateTimeOffset RecordedAt);
    public sealed record WorkshopDto(Guid Id, Guid ProcessId, string Kind, DateOnly Date, TimeOnly StartTime, string? Place, string? OnlineLink, string Mode, string Agenda,
        int Attendees, bool MinutesRecorded, List<MinutesDto> Minutes);
    public sealed record CalendarEntryDto(Guid Id, string Kind, DateOnly Date, TimeOnly StartTime, string? Place, string? OnlineLink, string Mode, int Attendees, bool MinutesRecorded);
    public sealed record AttendanceDto(Guid WorkshopId, Guid AgentId, string CheckedInBy, DateTimeOffset At);
    public sealed record AttendeeDto(Guid AgentId, string FullName, string CheckedInBy, string RecordedBy, DateTimeOffset At);
    public sealed record EligibilityDto(Guid AgentId, bool MayPropose, bool MayVote, bool TrainingRequired, bool Trained, List<string> Reasons,
        bool PrioritisationWorkshopRequired, bool AttendedPrioritisationWorkshop);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static string Today => ProcessStory.TodayInLima.ToString("yyyy-MM-dd");
    private HttpClient Public => system.Gateway;

    [Fact]
    public async Task Workshops_of_each_kind_are_scheduled_in_their_window_attended_once_per_agent_and_their_minutes_kept_the_public_calendar_naming_no_one()
    {
        const string jurisdiction = "120101"; // Huancayo
        var story = await ProcessStory.OpenAsync(system, jurisdiction, "Presupuesto Participativo Huancayo 2027", 2_000_000m, Ct);
        var agents = await story.AccreditAgentsAsync(("Yolanda Quispe Caso", "47100101", "Comité vecinal Ocopilla"), ("Teodoro Rojas Poma", "47100102", "Club de madres San Carlos"));
        var (yolanda, teodoro) = (agents[0], agents[1]);
        var teodoroClient = story.Agent;
        var yolandaClient = system.As(await system.TokenAsync("agent", jurisdiction, yolanda.Id.ToString()));
        await WaitAccreditedAsync(story, yolanda.Id);
        await WaitAccreditedAsync(story, teodoro.Id);
        var path = $"/api/deliberation/processes/{story.Process.Id}/workshops";

        // Diagnosis and prioritisation in Concertation's window, formalization in Formalization's: the compressed calendar puts them all on today.
        var diagnosis = await ScheduleAsync(story, new { kind = "Diagnosis", date = Today, startTime = "09:00", place = "Auditorio municipal de Huancayo", agenda = "1. Brechas del distrito 2. Mapa de actores" });
        var prioritisation = await ScheduleAsync(story, new
        {
            kind = "Prioritisation", date = Today, startTime = "15:30", place = "Coliseo Wanka", onlineLink = "https://reuniones.munihuancayo.gob.pe/priorizacion",
            agenda = "1. Criterios de priorización 2. Proyectos viables",
        });
        var formalization = await ScheduleAsync(story, new { kind = "Formalization", date = Today, startTime = "10:00", onlineLink = "https://reuniones.munihuancayo.gob.pe/formalizacion", agenda = "Acta de acuerdos" });
        Assert.Equal(("InPerson", "Hybrid", "Online"), (diagnosis.Mode, prioritisation.Mode, formalization.Mode));
        Assert.Equal(new TimeOnly(15, 30), prioritisation.StartTime);

        // Refused and nothing stored: a day outside the window, no place nor link, a link that is not https, an agent scheduling.
        var tomorrow = ProcessStory.TodayInLima.AddDays(1).ToString("yyyy-MM-dd");
        await ProblemAsync(story.Admin.PostAsJsonAsync(path, new { kind = "Prioritisation", date = tomorrow, startTime = "09:00", place = "Coliseo Wanka", agenda = "x" }, Ct),
            HttpStatusCode.BadRequest, "date", "Concertation's window");
        await ProblemAsync(story.Admin.PostAsJsonAsync(path, new { kind = "Formalization", date = tomorrow, startTime = "09:00", place = "Coliseo Wanka", agenda = "x" }, Ct),
            HttpStatusCode.BadRequest, "date", "Formalization's window");
        await ProblemAsync(story.Admin.PostAsJsonAsync(path, new { kind = "Diagnosis", date = Today, startTime = "09:00", agenda = "x" }, Ct),
            HttpStatusCode.BadRequest, "place", "A place, an online link");
        await ProblemAsync(story.Admin.PostAsJsonAsync(path, new { kind = "Diagnosis", date = Today, startTime = "09:00", onlineLink = "http://reuniones.munihuancayo.gob.pe/x", agenda = "x" }, Ct),
            HttpStatusCode.BadRequest, "onlineLink", "https://");
        await ProblemAsync(story.Admin.PostAsJsonAsync(path, new { kind = "Assembly", date = Today, startTime = "09:00", place = "Coliseo Wanka", agenda = "x" }, Ct),
            HttpStatusCode.BadRequest, "kind", "Not a valid value");
        Assert.Equal(HttpStatusCode.Forbidden, (await teodoroClient.PostAsJsonAsync(path, new { kind = "Diagnosis", date = Today, startTime = "09:00", place = "Local", agenda = "x" }, Ct)).StatusCode);
        Assert.Equal(3, (await Public.GetFromJsonAsync<List<CalendarEntryDto>>(path, Ct))!.Count);

        // The officer checks Yolanda in at the door; Teodoro checks in online where there is a link, not at an in-person workshop.
        var atDoor = await ExpectAsync<AttendanceDto>(story.Admin.PostAsJsonAsync($"{path}/{diagnosis.Id}/attendance", new { agentId = yolanda.Id }, Ct), HttpStatusCode.Created);
        Assert.Equal((yolanda.Id, "Officer"), (atDoor.AgentId, atDoor.CheckedInBy));
        await ProblemAsync(story.Admin.PostAsJsonAsync($"{path}/{diagnosis.Id}/attendance", new { agentId = yolanda.Id }, Ct), HttpStatusCode.Conflict, "agentId", "already recorded");
        await ProblemAsync(teodoroClient.PostAsJsonAsync($"{path}/{diagnosis.Id}/attendance", new { }, Ct), HttpStatusCode.Conflict, "workshopId", "in person only");
        var online = await ExpectAsync<AttendanceDto>(teodoroClient.PostAsJsonAsync($"{path}/{prioritisation.Id}/attendance", new { }, Ct), HttpStatusCode.Created);
        Assert.Equal((teodoro.Id, "Self"), (online.AgentId, online.CheckedInBy));
        await ProblemAsync(teodoroClient.PostAsJsonAsync($"{path}/{prioritisation.Id}/attendance", new { }, Ct), HttpStatusCode.Conflict, "agentId", "already recorded");
        // An agent checks in only themself; someone not accredited here is not checked in at all.
        Assert.Equal(HttpStatusCode.Forbidden, (await teodoroClient.PostAsJsonAsync($"{path}/{prioritisation.Id}/attendance", new { agentId = yolanda.Id }, Ct)).StatusCode);
        await ProblemAsync(story.Admin.PostAsJsonAsync($"{path}/{prioritisation.Id}/attendance", new { agentId = Guid.NewGuid() }, Ct), HttpStatusCode.Conflict, "agentId", "Not an accredited agent");
        var stranger = system.As(await system.TokenAsync("agent", jurisdiction, Guid.NewGuid().ToString()));
        await ProblemAsync(stranger.PostAsJsonAsync($"{path}/{formalization.Id}/attendance", new { }, Ct), HttpStatusCode.Conflict, "agentId", "Not an accredited agent");
        await ExpectAsync<AttendanceDto>(yolandaClient.PostAsJsonAsync($"{path}/{formalization.Id}/attendance", new { }, Ct), HttpStatusCode.Created);

        // The public calendar counts attendees and names no one; the office reads the names.
        var calendarBody = await BodyAsync(Public.GetAsync(path, Ct), HttpStatusCode.OK);
        var calendar = JsonSerializer.Deserialize<List<CalendarEntryDto>>(calendarBody, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal([("Diagnosis", 1), ("Formalization", 1), ("Prioritisation", 1)], calendar.Select(c => (c.Kind, c.Attendees)).Order());
        foreach (var secret in new[] { yolanda.FullName, teodoro.FullName, yolanda.Id.ToString(), teodoro.Id.ToString() })
        {
            Assert.DoesNotContain(secret, calendarBody, StringComparison.OrdinalIgnoreCase);
        }
        var attendees = await ExpectAsync<List<AttendeeDto>>(story.Admin.GetAsync($"{path}/{prioritisation.Id}/attendance", Ct), HttpStatusCode.OK);
        Assert.Equal([(teodoro.Id, teodoro.FullName, "Self")], attendees.Select(a => (a.AgentId, a.FullName, a.CheckedInBy)));
        Assert.Equal(HttpStatusCode.Forbidden, (await teodoroClient.GetAsync($"{path}/{prioritisation.Id}/attendance", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Public.GetAsync($"{path}/{prioritisation.Id}/attendance", Ct)).StatusCode);

        // The minutes, once recorded, stay: a correction is the next version with its reason, and the attendance is closed.
        var first = await ExpectAsync<MinutesDto>(story.Admin.PostAsJsonAsync($"{path}/{diagnosis.Id}/minutes",
            new { text = "Se identificaron cuatro brechas: agua, pistas, salud y educación." }, Ct), HttpStatusCode.Created);
        Assert.Equal((1, null), (first.Version, first.Correction));
        await ProblemAsync(story.Admin.PostAsJsonAsync($"{path}/{diagnosis.Id}/minutes", new { text = "Se identificaron cinco brechas." }, Ct),
            HttpStatusCode.BadRequest, "correction", "says what it corrects");
        Assert.Equal(HttpStatusCode.Forbidden, (await teodoroClient.PostAsJsonAsync($"{path}/{diagnosis.Id}/minutes", new { text = "Otra acta" }, Ct)).StatusCode);
        var second = await ExpectAsync<MinutesDto>(story.Admin.PostAsJsonAsync($"{path}/{diagnosis.Id}/minutes",
            new { text = "Se identificaron cinco brechas: agua, pistas, salud, educación y seguridad.", correction = "Faltó la brecha de seguridad ciudadana" }, Ct), HttpStatusCode.Created);
        Assert.Equal(2, second.Version);
        await ProblemAsync(story.Admin.PostAsJsonAsync($"{path}/{diagnosis.Id}/attendance", new { agentId = teodoro.Id }, Ct), HttpStatusCode.Conflict, "workshopId", "attendance is closed");

        var read = await ExpectAsync<WorkshopDto>(Public.GetAsync($"{path}/{diagnosis.Id}", Ct), HttpStatusCode.OK);
        Assert.Equal(("1. Brechas del distrito 2. Mapa de actores", "Auditorio municipal de Huancayo", 1, true), (read.Agenda, read.Place, read.Attendees, read.MinutesRecorded));
        Assert.Equal([(1, first.Text, (string?)null), (2, second.Text, "Faltó la brecha de seguridad ciudadana")], read.Minutes.Select(m => (m.Version, m.Text, m.Correction)));
        Assert.True((await Public.GetFromJsonAsync<List<CalendarEntryDto>>(path, Ct))!.Single(c => c.Id == diagnosis.Id).MinutesRecorded);

        // Every write is on the audit trail, under the role it was made in.
        var trail = await ExpectAsync<List<JsonElement>>(story.Admin.GetAsync($"/api/deliberation/audit?processId={story.Process.Id}", Ct), HttpStatusCode.OK);
        var actions = trail.Select(e => (Action: e.GetProperty("action").GetString(), Role: e.GetProperty("role").GetString())).ToList();
        Assert.Equal(3, actions.Count(a => a == ("workshop.scheduled", "process-admin")));
        Assert.Single(actions, a => a == ("workshop.attended", "process-admin"));
        Assert.Equal(2, actions.Count(a => a == ("workshop.attended", "agent")));
        Assert.Single(actions, a => a == ("workshop.minutes-recorded", "process-admin"));
        Assert.Single(actions, a => a == ("workshop.minutes-corrected", "process-admin"));
    }

    [Fact]
    public async Task An_agent_who_missed_the_prioritisation_workshop_sees_why_and_is_refused_a_ballot_until_checked_in()
    {
        const string jurisdiction = "120102"; // Carhuacallanga
        var rules = new
        {
            agentsPerOrganisation = 2, trainingRequiredToVote = false, ballotFormat = "Approval", allocationRule = "greedy", oversightCommitteeSize = 4,
            delegateSeats = 4, directiveCommitteeSeats = 3, quotas = Array.Empty<object>(), prioritisationWorkshopRequiredToVote = true,
        };
        var story = await ProcessStory.OpenAsync(system, jurisdiction, "Presupuesto Participativo Carhuacallanga 2027", 800_000m, Ct, rules: rules);
        var shown = await ExpectAsync<JsonElement>(Public.GetAsync($"/api/registration/processes/{story.Process.Id}", Ct), HttpStatusCode.OK);
        Assert.True(shown.GetProperty("rules").GetProperty("prioritisationWorkshopRequiredToVote").GetBoolean());

        var agents = await story.AccreditAgentsAsync(("Maximina Huaroc Cerrón", "47200101", "Comunidad campesina Carhuacallanga"), ("Lucio Inga Parián", "47200102", "Ronda campesina Chicche"));
        var (maximina, lucio) = (agents[0], agents[1]);
        var maximinaClient = system.As(await system.TokenAsync("agent", jurisdiction, maximina.Id.ToString()));
        var lucioClient = story.Agent;
        var eligibility = $"/api/deliberation/processes/{story.Process.Id}/eligibility";
        var missed = await WaitAccreditedAsync(story, lucio.Id);
        Assert.Equal((true, false, true, false), (missed.MayPropose, missed.MayVote, missed.PrioritisationWorkshopRequired, missed.AttendedPrioritisationWorkshop));
        Assert.Equal(["PrioritisationWorkshopNotAttended"], missed.Reasons);
        await WaitAccreditedAsync(story, maximina.Id);

        await story.StartConcertationAsync();
        var workshop = await ScheduleAsync(story, new { kind = "Prioritisation", date = Today, startTime = "10:00", onlineLink = "https://reuniones.carhuacallanga.gob.pe/taller", agenda = "Priorización de proyectos" });
        // A diagnosis workshop attended does not stand in for the prioritisation one.
        var diagnosis = await ScheduleAsync(story, new { kind = "Diagnosis", date = Today, startTime = "08:00", place = "Local comunal", agenda = "Diagnóstico" });
        await ExpectAsync<AttendanceDto>(story.Admin.PostAsJsonAsync($"/api/deliberation/processes/{story.Process.Id}/workshops/{diagnosis.Id}/attendance", new { agentId = lucio.Id }, Ct),
            HttpStatusCode.Created);
        await ExpectAsync<AttendanceDto>(maximinaClient.PostAsJsonAsync($"/api/deliberation/processes/{story.Process.Id}/workshops/{workshop.Id}/attendance", new { }, Ct), HttpStatusCode.Created);
        var attended = await ExpectAsync<EligibilityDto>(maximinaClient.GetAsync(eligibility, Ct), HttpStatusCode.OK);
        Assert.Equal((true, true), (attended.MayVote, attended.AttendedPrioritisationWorkshop));
        Assert.Empty(attended.Reasons);

        var water = await story.ProposeAsync("Agua potable Chicche", 300_000m);
        await story.AssessAsync((water, true, 70m, "Viable"));
        var round = await ExpectAsync<JsonElement>(story.Admin.PostAsJsonAsync($"/api/deliberation/processes/{story.Process.Id}/rounds", new { }, Ct), HttpStatusCode.Created);
        var ballots = $"/api/deliberation/processes/{story.Process.Id}/rounds/{round.GetProperty("id").GetGuid()}/ballots";

        var stillMissed = await ExpectAsync<EligibilityDto>(lucioClient.GetAsync(eligibility, Ct), HttpStatusCode.OK);
        Assert.Equal(["PrioritisationWorkshopNotAttended"], stillMissed.Reasons);
        var refused = await ProblemAsync(lucioClient.PostAsJsonAsync(ballots, new { projects = new[] { water.Id } }, Ct), HttpStatusCode.Forbidden, null, null);
        Assert.Contains("PrioritisationWorkshopNotAttended", refused.Detail);
        await ExpectAsync<JsonElement>(maximinaClient.PostAsJsonAsync(ballots, new { projects = new[] { water.Id } }, Ct), HttpStatusCode.Created);

        // Checked in late by the officer from the sign-in sheet, Lucio may vote.
        await ExpectAsync<AttendanceDto>(story.Admin.PostAsJsonAsync($"/api/deliberation/processes/{story.Process.Id}/workshops/{workshop.Id}/attendance", new { agentId = lucio.Id }, Ct),
            HttpStatusCode.Created);
        var now = await ExpectAsync<EligibilityDto>(lucioClient.GetAsync(eligibility, Ct), HttpStatusCode.OK);
        Assert.Equal((true, true), (now.MayVote, now.AttendedPrioritisationWorkshop));
        await ExpectAsync<JsonElement>(lucioClient.PostAsJsonAsync(ballots, new { projects = new[] { water.Id } }, Ct), HttpStatusCode.Created);
        Assert.Equal(2, (await Public.GetFromJsonAsync<JsonElement>(ballots[..^"/ballots".Length], Ct)).GetProperty("voters").GetInt32());
    }

    internal static async Task<WorkshopDto> ScheduleAsync(ProcessStory story, object request)
    {
        var workshop = await ExpectAsync<WorkshopDto>(story.Admin.PostAsJsonAsync($"/api/deliberation/processes/{story.Process.Id}/workshops", request, Ct), HttpStatusCode.Created);
        Assert.Equal((0, false), (workshop.Attendees, workshop.MinutesRecorded));
        return workshop;
    }

    /// <summary>Deliberation learns of the accreditation from registration's event.</summary>
    internal static async Task<EligibilityDto> WaitAccreditedAsync(ProcessStory story, Guid agentId) =>
        await Eventually.Get(async () =>
        {
            var r = await story.Admin.GetAsync($"/api/deliberation/processes/{story.Process.Id}/eligibility?agentId={agentId}", Ct);
            var e = r.IsSuccessStatusCode ? await r.Content.ReadFromJsonAsync<EligibilityDto>(Ct) : null;
            return e is { MayPropose: true } ? e : null;
        }, "deliberation to learn of the process and the accreditation");
}
