using System.Text.Json.Serialization;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Processes;
using PBServices.Contracts;

namespace PBServices.Deliberation.Domain;

/// <summary>The workshops of a process (DESIGN.md section 1): diagnosis and prioritisation in Concertation, the formalization workshop in Formalization.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkshopKind>))]
public enum WorkshopKind
{
    Diagnosis,
    Prioritisation,
    Formalization,
}

/// <summary>Where a workshop is held, as its place and link say: in person, online, or both.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkshopMode>))]
public enum WorkshopMode
{
    InPerson,
    Online,
    Hybrid,
}

/// <summary>Who recorded an agent's attendance: an officer at the door, or the agent online.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CheckedInBy>))]
public enum CheckedInBy
{
    Officer,
    Self,
}

/// <summary>An agent's attendance at a workshop, recorded once.</summary>
public sealed record WorkshopAttendance(Guid WorkshopId, Guid AgentId, CheckedInBy By, string RecordedBy, DateTimeOffset At);

/// <summary>One version of a workshop's minutes; a correction is a later version with its reason, the earlier ones stay.</summary>
public sealed record WorkshopMinutes(Guid WorkshopId, int Version, string Text, string? Correction, DateTimeOffset RecordedAt);

/// <summary>
/// A workshop on the process's calendar, in person, online or both. Attendance opens on its day: an officer
/// checks agents in from that day on (a sign-in sheet may be entered after the session), an agent checks in
/// themself online only on the day and only where the workshop has an online link. Recording the minutes
/// closes the attendance, so no one is added once the record of the workshop exists.
/// </summary>
public sealed record Workshop(Guid Id, Guid ProcessId, WorkshopKind Kind, DateOnly Date, TimeOnly StartTime, string? Place, string? OnlineLink, string Agenda)
{
    public const int AgendaLength = 4000;
    public const int MinutesLength = 20000;

    public WorkshopMode Mode => (Place, OnlineLink) switch
    {
        (not null, not null) => WorkshopMode.Hybrid,
        (null, not null) => WorkshopMode.Online,
        _ => WorkshopMode.InPerson,
    };

    /// <summary>The stage whose calendar window holds the workshop's day.</summary>
    public static Stage StageOf(WorkshopKind kind) => kind == WorkshopKind.Formalization ? Stage.Formalization : Stage.Concertation;

    public static Workshop Schedule(ProcessCopy process, ProcessCalendar? calendar, WorkshopKind? kind, DateOnly? date, TimeOnly? startTime,
        string? place, string? onlineLink, string? agenda, DateTimeOffset now)
    {
        if (kind is not { } k || !Enum.IsDefined(k))
        {
            throw new DomainException("kind", $"One of {string.Join(", ", Enum.GetNames<WorkshopKind>())}");
        }
        var stage = StageOf(k);
        // Planned ahead, from Preparation, but not once the process has left the workshop's stage.
        StageRule.Require(process.Stage, $"Scheduling a {k} workshop", Enum.GetValues<Stage>().Where(s => s <= stage).ToArray());
        if (date is not { } day || day == default)
        {
            throw new DomainException("date", "The day of the workshop, yyyy-MM-dd (Peru)");
        }
        if (calendar?.Of(stage) is { } window && !window.Contains(day))
        {
            throw new DomainException("date", $"A {k} workshop is held within {stage}'s window, {window} (Lima)");
        }
        if (startTime is not { } start)
        {
            throw new DomainException("startTime", "The time it starts, HH:mm (Peru)");
        }
        var where = string.IsNullOrEmpty(place) ? null : Guard.Text("place", place, 300);
        string? link = null;
        if (!string.IsNullOrEmpty(onlineLink))
        {
            if (onlineLink.Length > 500 || !Uri.TryCreate(onlineLink, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                throw new DomainException("onlineLink", "An https:// address of at most 500 characters");
            }
            link = uri.ToString();
        }
        if (where is null && link is null)
        {
            throw new DomainException("place", "A place, an online link (https://), or both");
        }
        return new Workshop(Guid.CreateVersion7(now), process.Id, k, day, new TimeOnly(start.Hour, start.Minute), where, link, Guard.Text("agenda", agenda, AgendaLength));
    }

    /// <summary>Checks an agent in; <paramref name="bySelf"/> when the agent checks in online rather than an officer at the door.</summary>
    public void RequireCheckIn(Participant? agent, bool bySelf, bool minutesRecorded, DateTimeOffset now)
    {
        var today = DateWindow.DayInPeru(now);
        if (today < Date)
        {
            throw new ConflictException("workshopId", $"Attendance opens on the day of the workshop, {Date:yyyy-MM-dd}; today is {today:yyyy-MM-dd} (Lima)");
        }
        if (minutesRecorded)
        {
            throw new ConflictException("workshopId", "The minutes of this workshop are recorded: its attendance is closed");
        }
        if (bySelf)
        {
            if (OnlineLink is null)
            {
                throw new ConflictException("workshopId", "This workshop is held in person only: an officer checks agents in at the door");
            }
            if (today != Date)
            {
                throw new ConflictException("workshopId", $"An agent checks in online on the day of the workshop, {Date:yyyy-MM-dd}; today is {today:yyyy-MM-dd} (Lima)");
            }
        }
        if (agent is null || agent.ProcessId != ProcessId)
        {
            throw new ConflictException("agentId", "Not an accredited agent of this process");
        }
        if (agent.Revoked)
        {
            throw new ConflictException("agentId", "This agent's accreditation was revoked");
        }
    }

    /// <summary>The next version of the minutes, on or after the workshop's day; a correction says what it corrects.</summary>
    public WorkshopMinutes RecordMinutes(WorkshopMinutes? latest, string? text, string? correction, DateTimeOffset now)
    {
        var today = DateWindow.DayInPeru(now);
        if (today < Date)
        {
            throw new ConflictException("workshopId", $"Minutes are recorded after the workshop is held, from {Date:yyyy-MM-dd}; today is {today:yyyy-MM-dd} (Lima)");
        }
        var minutes = Guard.Text("text", text, MinutesLength);
        if (latest is null)
        {
            if (!string.IsNullOrEmpty(correction))
            {
                throw new DomainException("correction", "The first minutes correct nothing: leave the correction out");
            }
            return new WorkshopMinutes(Id, 1, minutes, null, now);
        }
        var reason = string.IsNullOrWhiteSpace(correction)
            ? throw new DomainException("correction", $"The minutes are recorded (version {latest.Version}): a new version says what it corrects")
            : Guard.Text("correction", correction, 1000);
        if (minutes == latest.Text)
        {
            throw new ConflictException("text", $"The same text as version {latest.Version}");
        }
        return new WorkshopMinutes(Id, latest.Version + 1, minutes, reason, now);
    }
}
