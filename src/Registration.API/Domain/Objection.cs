using System.Text.Json.Serialization;
using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;

namespace PBServices.Registration.Domain;

[JsonConverter(typeof(JsonStringEnumConverter<ObjectionStatus>))]
public enum ObjectionStatus
{
    Pending,
    /// <summary>The committee found the grounds proven: the entry is struck from the list.</summary>
    Upheld,
    Dismissed,
}

/// <summary>A tacha: any registered agent or resident objects to an entry of the published list, with grounds and evidence.</summary>
public sealed class Objection
{
    public Guid Id { get; private init; }
    public Guid ProcessId { get; private init; }
    public Guid AgentId { get; private init; }
    public string FiledBy { get; private init; } = "";
    public string Grounds { get; private init; } = "";
    public string? Evidence { get; private init; }
    public DateTimeOffset FiledAt { get; private init; }
    public ObjectionStatus Status { get; private set; }
    public string? Resolution { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }

    public static Objection File(Process process, ParticipatingAgent entry, string filedBy, string? grounds, string? evidence, DateTimeOffset now)
    {
        var why = Guard.Text("grounds", grounds, 4000);
        var proof = evidence is null or "" ? null : Guard.Text("evidence", evidence, 4000);
        process.RequirePublished("An objection");
        process.RequireStep(PreparationStep.Objections, "The objection period", Calendar.Today(now));
        if (entry.Status != AgentStatus.Eligible)
        {
            throw new ConflictException("agentId", $"Only an entry of the eligible list can be objected to; this one is {entry.Status}");
        }
        return new Objection
        {
            Id = Guid.CreateVersion7(now),
            ProcessId = process.Id,
            AgentId = entry.Id,
            FiledBy = filedBy,
            Grounds = why,
            Evidence = proof,
            FiledAt = now,
            Status = ObjectionStatus.Pending,
        };
    }

    /// <summary>The committee resolves each objection, with reasons, before the list is accredited.</summary>
    public void Resolve(Process process, ParticipatingAgent entry, string? decision, string? reasons, DateTimeOffset now)
    {
        var today = Calendar.Today(now);
        BuildingBlocks.Processes.StageRule.Require(process.Stage, "Resolving an objection", Stage.Preparation);
        if (process.Calendar is { } calendar)
        {
            Calendar.Require(new DateWindow(calendar.Objections.From, calendar.Accreditation.To), "Resolving objections", today);
        }
        if (!Stages.TryParseName<ObjectionStatus>(decision, out var parsed) || parsed == ObjectionStatus.Pending)
        {
            throw new DomainException("decision", "Upheld or Dismissed");
        }
        var why = Guard.Text("reasons", reasons, 4000);
        if (Status != ObjectionStatus.Pending)
        {
            throw new ConflictException("objectionId", $"The objection was already {Status}");
        }
        // A second objection upheld against an entry already struck off is recorded; the entry stays excluded.
        if (parsed == ObjectionStatus.Upheld && entry.Status != AgentStatus.Excluded)
        {
            entry.Exclude();
        }
        Status = parsed;
        Resolution = why;
        ResolvedAt = now;
    }

    public static Objection Restore(Guid id, Guid processId, Guid agentId, string filedBy, string grounds, string? evidence, DateTimeOffset filedAt,
        string status, string? resolution, DateTimeOffset? resolvedAt) => new()
    {
        Id = id,
        ProcessId = processId,
        AgentId = agentId,
        FiledBy = filedBy,
        Grounds = grounds,
        Evidence = evidence,
        FiledAt = filedAt,
        Status = Enum.Parse<ObjectionStatus>(status),
        Resolution = resolution,
        ResolvedAt = resolvedAt,
    };
}
