using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Deliberation.Domain;

namespace PBServices.UnitTests.Deliberation;

public sealed class WorkshopTests
{
    // 10:00 in Lima on 1 June 2026, inside Concertation's window below.
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 15, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 6, 1);
    private static readonly Guid ProcessId = Guid.CreateVersion7();
    private static readonly DateWindow Day = new(new DateOnly(2026, 1, 5), new DateOnly(2026, 1, 5));
    private static readonly ProcessCalendar Calendar = new(Day, Day, Day, Day, Day,
        new DateWindow(new DateOnly(2026, 5, 4), new DateOnly(2026, 6, 30)), new(new(2026, 7, 1), new(2026, 7, 31)),
        new(new(2026, 8, 3), new(2026, 8, 7)), new(new(2026, 8, 10), new(2026, 8, 14)), new(new(2026, 8, 17), new(2027, 12, 31)));
    private static readonly Participant Agent = new(Guid.CreateVersion7(), ProcessId, Revoked: false, Trained: true);

    private static ProcessCopy Process(Stage stage = Stage.Concertation) =>
        new(ProcessId, "180300", "PP Ilo 2027", 2027, GovernmentLevel.Province, 2_500_000m, stage, new ProcessRules(2, true, BallotFormat.Approval, "mes-add1", 5, 4, 5, []));

    private static Workshop Schedule(WorkshopKind? kind = WorkshopKind.Prioritisation, DateOnly? date = null, string? place = "Auditorio municipal de Ilo",
        string? link = null, Stage stage = Stage.Concertation, TimeOnly? start = null, string? agenda = "1. Brechas priorizadas 2. Criterios 3. Votación") =>
        Workshop.Schedule(Process(stage), Calendar, kind, date ?? Today, start ?? new TimeOnly(9, 30), place, link, agenda, Now);

    private static void Refused<T>(Action act, string field, string rule) where T : DomainException
    {
        var e = Assert.Throws<T>(act);
        Assert.Equal(field, e.Field);
        Assert.Contains(rule, e.Message);
    }

    [Fact]
    public void Diagnosis_and_prioritisation_are_held_in_Concertation_s_window_and_formalization_in_Formalization_s()
    {
        Assert.Equal(Today, Schedule(WorkshopKind.Diagnosis).Date);
        Assert.Equal(new DateOnly(2026, 8, 5), Schedule(WorkshopKind.Formalization, new DateOnly(2026, 8, 5)).Date);

        Refused<DomainException>(() => Schedule(WorkshopKind.Prioritisation, new DateOnly(2026, 8, 5)), "date", "Concertation's window, 2026-05-04 to 2026-06-30");
        Refused<DomainException>(() => Schedule(WorkshopKind.Formalization, Today), "date", "Formalization's window, 2026-08-03 to 2026-08-07");
        Refused<DomainException>(() => Schedule(WorkshopKind.Diagnosis, new DateOnly(2026, 5, 3)), "date", "Concertation's window");
    }

    [Fact]
    public void A_workshop_is_planned_from_Preparation_but_not_once_the_process_has_left_its_stage()
    {
        Assert.Equal(WorkshopKind.Diagnosis, Schedule(WorkshopKind.Diagnosis, stage: Stage.Preparation).Kind);
        Assert.Equal(WorkshopKind.Formalization, Schedule(WorkshopKind.Formalization, new DateOnly(2026, 8, 4), stage: Stage.Coordination).Kind);

        Refused<ConflictException>(() => Schedule(WorkshopKind.Prioritisation, stage: Stage.Coordination), "stage", "the process is in Coordination");
        Refused<ConflictException>(() => Schedule(WorkshopKind.Formalization, new DateOnly(2026, 8, 4), stage: Stage.Submission), "stage", "the process is in Submission");
    }

    [Fact]
    public void A_workshop_has_a_place_an_https_link_or_both_and_its_mode_says_which()
    {
        Assert.Equal(WorkshopMode.InPerson, Schedule().Mode);
        Assert.Equal(WorkshopMode.Online, Schedule(place: null, link: "https://meet.ilo.gob.pe/taller").Mode);
        var hybrid = Schedule(link: "https://meet.ilo.gob.pe/taller");
        Assert.Equal((WorkshopMode.Hybrid, "Auditorio municipal de Ilo", "https://meet.ilo.gob.pe/taller"), (hybrid.Mode, hybrid.Place, hybrid.OnlineLink));

        Refused<DomainException>(() => Schedule(place: null, link: null), "place", "A place, an online link");
        Refused<DomainException>(() => Schedule(place: "", link: ""), "place", "A place, an online link");
        Refused<DomainException>(() => Schedule(link: "http://meet.ilo.gob.pe/taller"), "onlineLink", "https://");
        Refused<DomainException>(() => Schedule(link: "meet.ilo.gob.pe"), "onlineLink", "https://");
    }

    [Fact]
    public void A_workshop_needs_a_kind_a_day_a_start_time_and_an_agenda()
    {
        Refused<DomainException>(() => Schedule(kind: null), "kind", "Diagnosis, Prioritisation, Formalization");
        Refused<DomainException>(() => Schedule(kind: (WorkshopKind)7), "kind", "Diagnosis");
        Refused<DomainException>(() => Workshop.Schedule(Process(), Calendar, WorkshopKind.Diagnosis, null, new TimeOnly(9, 0), "Local comunal", null, "Agenda", Now), "date", "yyyy-MM-dd");
        Refused<DomainException>(() => Workshop.Schedule(Process(), Calendar, WorkshopKind.Diagnosis, Today, null, "Local comunal", null, "Agenda", Now), "startTime", "HH:mm");
        Refused<DomainException>(() => Schedule(agenda: " "), "agenda", "Required");
        Refused<DomainException>(() => Schedule(agenda: new string('a', Workshop.AgendaLength + 1)), "agenda", "4000");
        // Seconds are not a workshop's business.
        Assert.Equal(new TimeOnly(9, 30), Schedule(start: new TimeOnly(9, 30, 42)).StartTime);
    }

    [Fact]
    public void An_officer_checks_in_an_accredited_agent_from_the_workshop_s_day_until_the_minutes_close_the_attendance()
    {
        var workshop = Schedule();

        workshop.RequireCheckIn(Agent, bySelf: false, minutesRecorded: false, Now);
        // From the sign-in sheet, the next day.
        workshop.RequireCheckIn(Agent, bySelf: false, minutesRecorded: false, Now.AddDays(1));
        Refused<ConflictException>(() => workshop.RequireCheckIn(Agent, bySelf: false, minutesRecorded: false, Now.AddDays(-1)), "workshopId", "opens on the day of the workshop, 2026-06-01");
        Refused<ConflictException>(() => workshop.RequireCheckIn(Agent, bySelf: false, minutesRecorded: true, Now), "workshopId", "attendance is closed");
    }

    [Fact]
    public void An_agent_checks_in_online_only_on_the_day_and_only_where_the_workshop_has_a_link()
    {
        var inPerson = Schedule();
        var online = Schedule(place: null, link: "https://meet.ilo.gob.pe/taller");
        var hybrid = Schedule(link: "https://meet.ilo.gob.pe/taller");

        online.RequireCheckIn(Agent, bySelf: true, minutesRecorded: false, Now);
        hybrid.RequireCheckIn(Agent, bySelf: true, minutesRecorded: false, Now);
        Refused<ConflictException>(() => inPerson.RequireCheckIn(Agent, bySelf: true, minutesRecorded: false, Now), "workshopId", "in person only");
        Refused<ConflictException>(() => online.RequireCheckIn(Agent, bySelf: true, minutesRecorded: false, Now.AddDays(1)), "workshopId", "on the day of the workshop, 2026-06-01");
        // 23:30 in Lima is still the workshop's day, though it is the next day in UTC.
        online.RequireCheckIn(Agent, bySelf: true, minutesRecorded: false, new DateTimeOffset(2026, 6, 2, 4, 30, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Agents_not_accredited_here_or_revoked_are_not_checked_in()
    {
        var workshop = Schedule(link: "https://meet.ilo.gob.pe/taller");

        Refused<ConflictException>(() => workshop.RequireCheckIn(null, bySelf: false, minutesRecorded: false, Now), "agentId", "Not an accredited agent");
        Refused<ConflictException>(() => workshop.RequireCheckIn(Agent with { ProcessId = Guid.CreateVersion7() }, bySelf: false, minutesRecorded: false, Now), "agentId", "Not an accredited agent");
        Refused<ConflictException>(() => workshop.RequireCheckIn(Agent with { Revoked = true }, bySelf: true, minutesRecorded: false, Now), "agentId", "revoked");
    }

    [Fact]
    public void Minutes_are_recorded_after_the_workshop_is_held_and_a_correction_is_a_new_version_with_its_reason()
    {
        var workshop = Schedule();

        Refused<ConflictException>(() => workshop.RecordMinutes(null, "Acta del taller", null, Now.AddDays(-1)), "workshopId", "after the workshop is held, from 2026-06-01");
        Refused<DomainException>(() => workshop.RecordMinutes(null, "", null, Now), "text", "Required");
        Refused<DomainException>(() => workshop.RecordMinutes(null, "Acta del taller", "Corrige nada", Now), "correction", "correct nothing");

        var first = workshop.RecordMinutes(null, "Se priorizaron 5 brechas; asistieron 23 agentes.", null, Now);
        Assert.Equal((1, null), (first.Version, first.Correction));

        Refused<DomainException>(() => workshop.RecordMinutes(first, "Se priorizaron 6 brechas; asistieron 23 agentes.", null, Now.AddHours(2)), "correction", "says what it corrects");
        Refused<ConflictException>(() => workshop.RecordMinutes(first, "Se priorizaron 5 brechas; asistieron 23 agentes.", "Sin cambios", Now.AddHours(2)), "text", "same text as version 1");

        var second = workshop.RecordMinutes(first, "Se priorizaron 6 brechas; asistieron 23 agentes.", "Faltó la brecha de saneamiento en Pampa Inalámbrica", Now.AddHours(2));
        Assert.Equal((2, "Faltó la brecha de saneamiento en Pampa Inalámbrica", workshop.Id), (second.Version, second.Correction, second.WorkshopId));
    }
}
