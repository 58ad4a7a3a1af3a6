using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Processes;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.TechnicalAssessment.Domain;

public enum AssessmentStatus
{
    Pending,
    Completed,
}

/// <summary>The technical team's assessment of one proposal: viability, a criteria score and the reasons.</summary>
public sealed class TechnicalAssessment
{
    public const decimal MaxScore = 100m;

    public Guid Id { get; init; }
    public Guid ProposalId { get; init; }
    public Guid ProcessId { get; init; }
    public string Jurisdiction { get; init; } = "";
    public string Title { get; init; } = "";
    public decimal Cost { get; init; }
    public AssessmentStatus Status { get; private set; }
    public bool? Viable { get; private set; }
    public decimal? Score { get; private set; }
    public string? Reasons { get; private set; }
    public string? Assessor { get; private set; }

    /// <summary>Every submitted proposal enters the technical team's queue.</summary>
    public static TechnicalAssessment Queue(ProposalSubmitted e, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), ProposalId = e.ProposalId, ProcessId = e.ProcessId, Jurisdiction = e.Jurisdiction, Title = e.Title, Cost = e.Cost, Status = AssessmentStatus.Pending };

    /// <summary>
    /// A recommendation is final: the reasons are published beside the results, so it is never silently replaced.
    /// The technical team assesses during Concertation, before the agents prioritise.
    /// </summary>
    public AssessmentCompleted Recommend(ProcessStage process, bool viable, decimal score, string? reasons, string assessor)
    {
        StageRule.Require(process.Stage, "Technical assessment", Stage.Concertation);
        if (Status == AssessmentStatus.Completed)
        {
            throw new ConflictException("proposalId", "This proposal has already been assessed");
        }
        if (score < 0 || score > MaxScore || decimal.Round(score, 2) != score)
        {
            throw new DomainException("score", $"The criteria score is between 0 and {MaxScore}, with at most two decimals");
        }
        // A recommendation states its reasons: they are published beside the results.
        var stated = Guard.Text("reasons", reasons, 4000);
        if (!viable && score != 0)
        {
            throw new DomainException("score", "A proposal found not viable is not ranked: its score is 0");
        }
        Status = AssessmentStatus.Completed;
        Viable = viable;
        Score = score;
        Reasons = stated;
        Assessor = assessor;
        return new AssessmentCompleted
        {
            ProcessId = ProcessId,
            Jurisdiction = Jurisdiction,
            AssessmentId = Id,
            ProposalId = ProposalId,
            Viable = viable,
            Score = score,
            Reasons = stated,
        };
    }

    public static TechnicalAssessment Restore(Guid id, Guid proposalId, Guid processId, string jurisdiction, string title, decimal cost,
        string status, bool? viable, decimal? score, string? reasons, string? assessor) => new()
    {
        Id = id, ProposalId = proposalId, ProcessId = processId, Jurisdiction = jurisdiction, Title = title, Cost = cost,
        Status = Enum.Parse<AssessmentStatus>(status), Viable = viable, Score = score, Reasons = reasons, Assessor = assessor,
    };
}
