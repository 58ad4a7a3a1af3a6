using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.Registration.Domain;

/// <summary>A training session for accredited agents, in person or online.</summary>
public sealed record TrainingSession(Guid Id, Guid ProcessId, DateOnly Date, string Topic, string? Place, string? OnlineLink)
{
    public static TrainingSession Schedule(Process process, DateOnly? date, string? topic, string? place, string? onlineLink, DateTimeOffset now)
    {
        BuildingBlocks.Processes.StageRule.Require(process.Stage, "Scheduling training", Stage.Preparation);
        var about = Guard.Text("topic", topic, 300);
        if (date is not { } day || day == default)
        {
            throw new DomainException("date", "The date of the session, yyyy-MM-dd");
        }
        if (process.Calendar is { } calendar && !calendar.Training.Contains(day))
        {
            throw new DomainException("date", $"Training runs from {calendar.Training.From:yyyy-MM-dd} to {calendar.Training.To:yyyy-MM-dd}");
        }
        var where = place is null or "" ? null : Guard.Text("place", place, 300);
        string? link = null;
        if (onlineLink is not null and not "")
        {
            if (!Uri.TryCreate(onlineLink, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || onlineLink.Length > 500)
            {
                throw new DomainException("onlineLink", "An https:// address of at most 500 characters");
            }
            link = uri.ToString();
        }
        if (where is null && link is null)
        {
            throw new DomainException("place", "A place, an online link, or both");
        }
        return new TrainingSession(Guid.CreateVersion7(now), process.Id, day, about, where, link);
    }

    /// <summary>Attendance is recorded on the day of the session, for an accredited agent.</summary>
    public TrainingAttended CheckIn(Process process, ParticipatingAgent agent, DateTimeOffset now)
    {
        var today = Calendar.Today(now);
        if (today != Date)
        {
            throw new ConflictException("sessionId", $"Attendance is recorded on the day of the session, {Date:yyyy-MM-dd}; today is {today:yyyy-MM-dd}");
        }
        if (agent.Status != AgentStatus.Accredited)
        {
            throw new ConflictException("agentId", $"Only accredited agents attend training; this one is {agent.Status}");
        }
        return new TrainingAttended { ProcessId = process.Id, Jurisdiction = process.Jurisdiction, AgentId = agent.Id, SessionId = Id, Date = Date };
    }
}
