using System.Text.Json.Serialization;

namespace PBServices.Deliberation.Domain;

[JsonConverter(typeof(JsonStringEnumConverter<IneligibilityReason>))]
public enum IneligibilityReason
{
    /// <summary>Registration has not accredited the person in this process (or its event has not arrived yet).</summary>
    NotAccredited,
    /// <summary>Registration revoked the accreditation.</summary>
    AccreditationRevoked,
    /// <summary>The process's rules require training to vote, and no attendance is recorded.</summary>
    TrainingNotAttended,
}

/// <summary>What deliberation knows of an agent from registration's events.</summary>
public sealed record Participant(Guid AgentId, Guid ProcessId, bool Revoked, bool Trained);

/// <summary>Whether an agent may propose and vote in a process, and why not: an agent sees the reason, not just a refusal.</summary>
public sealed record Eligibility(Guid AgentId, bool MayPropose, bool MayVote, bool TrainingRequired, bool Trained, IReadOnlyList<IneligibilityReason> Reasons)
{
    public static Eligibility Of(ProcessCopy process, Guid agentId, Participant? participant)
    {
        var reasons = new List<IneligibilityReason>();
        if (participant is null || participant.ProcessId != process.Id)
        {
            reasons.Add(IneligibilityReason.NotAccredited);
        }
        else if (participant.Revoked)
        {
            reasons.Add(IneligibilityReason.AccreditationRevoked);
        }
        var trainingRequired = process.Rules?.TrainingRequiredToVote ?? false;
        var trained = participant is { Trained: true } && participant.ProcessId == process.Id;
        var mayPropose = reasons.Count == 0;
        // Training is the reason only for someone who could otherwise vote.
        if (mayPropose && trainingRequired && !trained)
        {
            reasons.Add(IneligibilityReason.TrainingNotAttended);
        }
        return new Eligibility(agentId, mayPropose, mayPropose && (!trainingRequired || trained), trainingRequired, trained, reasons);
    }
}
