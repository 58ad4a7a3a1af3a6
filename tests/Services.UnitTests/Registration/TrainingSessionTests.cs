using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Registration.Domain;
using static PBServices.UnitTests.Registration.Preparation;

namespace PBServices.UnitTests.Registration;

public sealed class TrainingSessionTests
{
    private const string Topic = "Ley 28056 y el ciclo del presupuesto participativo";

    private static TrainingSession Schedule(Process process, string day = "2026-04-08", string? place = "Auditorio municipal, Av. Larco 400", string? link = null) =>
        TrainingSession.Schedule(process, Day(day), Topic, place, link, OpenedAt);

    [Fact]
    public void A_session_in_person_is_scheduled_inside_the_training_window()
    {
        var process = Open();

        var session = Schedule(process);

        Assert.Equal(Day("2026-04-08"), session.Date);
        Assert.Equal(Topic, session.Topic);
        Assert.Equal("Auditorio municipal, Av. Larco 400", session.Place);
        Assert.Null(session.OnlineLink);
        Assert.Equal(process.Id, session.ProcessId);
    }

    [Fact]
    public void A_session_online_needs_an_https_link()
    {
        var process = Open();

        var online = Schedule(process, place: null, link: "https://meet.example.pe/pp-2027");
        var http = Assert.Throws<DomainException>(() => Schedule(process, place: null, link: "http://meet.example.pe/pp-2027"));
        var notALink = Assert.Throws<DomainException>(() => Schedule(process, place: null, link: "meet.example.pe/pp-2027"));

        Assert.Equal("https://meet.example.pe/pp-2027", online.OnlineLink);
        Assert.Null(online.Place);
        Assert.Equal("onlineLink", http.Field);
        Assert.Equal("An https:// address of at most 500 characters", http.Message);
        Assert.Equal("onlineLink", notALink.Field);
    }

    [Fact]
    public void A_session_needs_a_place_or_a_link()
    {
        var e = Assert.Throws<DomainException>(() => Schedule(Open(), place: null, link: ""));

        Assert.Equal("place", e.Field);
        Assert.Equal("A place, an online link, or both", e.Message);
    }

    [Theory]
    [InlineData("2026-04-05")]
    [InlineData("2026-04-18")]
    public void A_session_outside_the_training_window_is_refused(string day)
    {
        var e = Assert.Throws<DomainException>(() => Schedule(Open(), day: day));

        Assert.Equal("date", e.Field);
        Assert.Equal("Training runs from 2026-04-06 to 2026-04-17", e.Message);
    }

    [Theory]
    [InlineData("2026-04-06")]
    [InlineData("2026-04-17")]
    public void The_first_and_last_days_of_training_are_accepted(string day)
    {
        Assert.Equal(Day(day), Schedule(Open(), day: day).Date);
    }

    [Fact]
    public void A_session_without_a_topic_or_a_date_is_refused()
    {
        var process = Open();

        var topic = Assert.Throws<DomainException>(() => TrainingSession.Schedule(process, Day("2026-04-08"), "", "Auditorio", null, OpenedAt));
        var date = Assert.Throws<DomainException>(() => TrainingSession.Schedule(process, null, Topic, "Auditorio", null, OpenedAt));

        Assert.Equal("topic", topic.Field);
        Assert.Equal("date", date.Field);
    }

    [Fact]
    public void An_accredited_agent_checks_in_on_the_day_of_the_session()
    {
        var process = Open();
        var session = Schedule(process);
        var agent = Agent(process);

        var attended = session.CheckIn(process, agent, At("2026-04-08", hour: 18));

        Assert.Equal(agent.Id, attended.AgentId);
        Assert.Equal(session.Id, attended.SessionId);
        Assert.Equal(Day("2026-04-08"), attended.Date);
        Assert.Equal(process.Id, attended.ProcessId);
        Assert.Equal(Miraflores, attended.Jurisdiction);
    }

    [Fact]
    public void The_day_of_the_check_in_is_Lima_s()
    {
        var process = Open();
        var session = Schedule(process);
        // 03:00 UTC on the 9th is still the evening of the 8th in Lima.
        var evening = new DateTimeOffset(2026, 4, 9, 3, 0, 0, TimeSpan.Zero);

        Assert.Equal(session.Id, session.CheckIn(process, Agent(process), evening).SessionId);
        var e = Assert.Throws<ConflictException>(() => session.CheckIn(process, Agent(process), evening.AddHours(2)));
        Assert.Equal("Attendance is recorded on the day of the session, 2026-04-08; today is 2026-04-09", e.Message);
    }

    [Fact]
    public void A_check_in_on_another_day_is_refused()
    {
        var process = Open();
        var session = Schedule(process);

        var e = Assert.Throws<ConflictException>(() => session.CheckIn(process, Agent(process), At("2026-04-07")));

        Assert.Equal("sessionId", e.Field);
        Assert.Contains("today is 2026-04-07", e.Message);
    }

    [Theory]
    [InlineData("Eligible")]
    [InlineData("Revoked")]
    [InlineData("Excluded")]
    public void Only_an_accredited_agent_checks_in(string status)
    {
        var process = Open();
        var session = Schedule(process);

        var e = Assert.Throws<ConflictException>(() => session.CheckIn(process, Agent(process, status: status), At("2026-04-08")));

        Assert.Equal("agentId", e.Field);
        Assert.Equal($"Only accredited agents attend training; this one is {status}", e.Message);
    }

    [Fact]
    public void Training_is_not_scheduled_once_Preparation_is_over()
    {
        var process = Open();
        process.AdvanceTo(Stage.Concertation, Day("2026-04-20"));

        var e = Assert.Throws<ConflictException>(() => Schedule(process));

        Assert.Equal("stage", e.Field);
    }
}
