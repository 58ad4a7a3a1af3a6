using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.Oversight.Domain;

public sealed record Answer(Guid Id, string Text, string AnsweredBy, DateTimeOffset AnsweredAt);

/// <summary>
/// A finding of the oversight committee, or its request for information. The government answers by the due date the
/// process's settings give (answers are added, never changed); the committee may escalate it to the council with a
/// reason, once, and it then goes with the jurisdiction's next submission to the Ministry.
/// </summary>
public sealed class Finding
{
    public Guid Id { get; init; }
    public Guid ProcessId { get; init; }
    public Guid? ProposalId { get; init; }
    public FindingKind Kind { get; init; }
    public string Text { get; init; } = "";
    public Guid RaisedBy { get; init; }
    public DateTimeOffset RaisedAt { get; init; }
    public DateTimeOffset AnswerDue { get; init; }
    public IReadOnlyList<Answer> Answers { get; init; } = [];
    public Guid? EscalatedBy { get; private set; }
    public DateTimeOffset? EscalatedAt { get; private set; }
    public string? EscalationReason { get; private set; }

    public bool Answered => Answers.Count > 0;

    public bool Overdue(DateTimeOffset now) => !Answered && now > AnswerDue;

    public static (Finding Finding, FindingRaised Raised) Raise(OversightProcess process, CommitteeMember member, FindingKind? kind, string? text, AgreedProject? project,
        DateTimeOffset now)
    {
        process.RequireFormalized();
        if (kind is not { } k || !Enum.IsDefined(k))
        {
            throw new DomainException("kind", "Finding or InformationRequest");
        }
        if (project is not null && project.ProcessId != process.ProcessId)
        {
            throw new DomainException("proposalId", "Not a project of this process's formalized list");
        }
        var finding = new Finding
        {
            Id = Guid.CreateVersion7(now), ProcessId = process.ProcessId, ProposalId = project?.ProposalId, Kind = k,
            Text = Guard.Text("text", text, AgreedProject.MaxText), RaisedBy = member.AgentId, RaisedAt = now,
            AnswerDue = now.AddDays(process.Settings.AnswerDays),
        };
        return (finding, new FindingRaised
        {
            Jurisdiction = process.Jurisdiction, ProcessId = process.ProcessId, OccurredAt = now, FindingId = finding.Id, FiscalYear = process.FiscalYear,
            ProposalId = finding.ProposalId, Kind = k, Text = finding.Text, RaisedAt = now, AnswerDue = finding.AnswerDue,
        });
    }

    public Answer AnswerWith(string? text, string answeredBy, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), Guard.Text("text", text, AgreedProject.MaxText), answeredBy, now);

    public FindingEscalated Escalate(OversightProcess process, CommitteeMember member, string? reason, string? projectTitle, DateTimeOffset now)
    {
        if (EscalatedAt is { } at)
        {
            throw new ConflictException("findingId", $"Already escalated to the council on {at:yyyy-MM-dd}");
        }
        EscalationReason = Guard.Text("reason", reason, AgreedProject.MaxText);
        EscalatedBy = member.AgentId;
        EscalatedAt = now;
        return new FindingEscalated
        {
            Jurisdiction = process.Jurisdiction, ProcessId = process.ProcessId, OccurredAt = now, FindingId = Id, FiscalYear = process.FiscalYear,
            ProposalId = ProposalId, ProjectTitle = projectTitle, Kind = Kind, Text = Text, RaisedAt = RaisedAt, AnswerDue = AnswerDue,
            Answers = Answers.Select(a => new FindingAnswer(a.Text, a.AnsweredAt)).ToList(), EscalationReason = EscalationReason, EscalatedAt = now,
        };
    }

    public static Finding Restore(Guid id, Guid processId, Guid? proposalId, FindingKind kind, string text, Guid raisedBy, DateTimeOffset raisedAt, DateTimeOffset answerDue,
        IReadOnlyList<Answer> answers, Guid? escalatedBy, DateTimeOffset? escalatedAt, string? escalationReason) =>
        new()
        {
            Id = id, ProcessId = processId, ProposalId = proposalId, Kind = kind, Text = text, RaisedBy = raisedBy, RaisedAt = raisedAt, AnswerDue = answerDue,
            Answers = answers, EscalatedBy = escalatedBy, EscalatedAt = escalatedAt, EscalationReason = escalationReason,
        };
}
