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
    /// <summary>The process's rules require a prioritisation workshop attended to vote, and no attendance is recorded.</summary>
    PrioritisationWorkshopNotAttended,
}

/// <summary>
/// What deliberation knows of an agent: accreditation, revocation and training from registration's events,
/// prioritisation workshops from its own attendance records.
/// </summary>
public sealed record Participant(Guid AgentId, Guid ProcessId, bool Revoked, bool Trained, bool AttendedPrioritisationWorkshop = false);

/// <summary>
/// Whether an agent may propose and vote in a process, and why not: an agent sees the reason, not just a refusal.
/// <see cref="MayVote"/> is also who may score proposals as an agent: the attendance rules decide both.
/// </summary>
public sealed record Eligibility(Guid AgentId, bool MayPropose, bool MayVote, bool TrainingRequired, bool Trained, IReadOnlyList<IneligibilityReason> Reasons,
    bool PrioritisationWorkshopRequired = false, bool AttendedPrioritisationWorkshop = false)
{
    public static Eligibility Of(ProcessCopy process, Guid agentId, Participant? participant)
    {
        var reasons = new List<IneligibilityReason>();
        var ofThisProcess = participant is not null && participant.ProcessId == process.Id;
        if (!ofThisProcess)
        {
            reasons.Add(IneligibilityReason.NotAccredited);
        }
        else if (participant!.Revoked)
        {
            reasons.Add(IneligibilityReason.AccreditationRevoked);
        }
        var trainingRequired = process.Rules?.TrainingRequiredToVote ?? false;
        var workshopRequired = process.Rules?.PrioritisationWorkshopRequiredToVote ?? false;
        var trained = ofThisProcess && participant!.Trained;
        var attended = ofThisProcess && participant!.AttendedPrioritisationWorkshop;
        var mayPropose = reasons.Count == 0;
        // The attendance rules are reasons only for someone who could otherwise vote; each missing one is named.
        if (mayPropose && trainingRequired && !trained)
        {
            reasons.Add(IneligibilityReason.TrainingNotAttended);
        }
        if (mayPropose && workshopRequired && !attended)
        {
            reasons.Add(IneligibilityReason.PrioritisationWorkshopNotAttended);
        }
        return new Eligibility(agentId, mayPropose, mayPropose && reasons.Count == 0, trainingRequired, trained, reasons, workshopRequired, attended);
    }
}
