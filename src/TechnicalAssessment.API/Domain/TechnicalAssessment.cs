using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Processes;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.TechnicalAssessment.Domain;

public enum AssessmentStatus
{
    Pending,
    Completed,
    /// <summary>The proposer revised the proposal before this version was assessed: the new version is assessed instead.</summary>
    Superseded,
}

/// <summary>The technical team's assessment of one version of a proposal: a recommendation, a criteria score and the reasons.</summary>
public sealed class TechnicalAssessment
{
    public const decimal MaxScore = 100m;

    public Guid Id { get; init; }
    public Guid ProposalId { get; init; }
    public Guid ProcessId { get; init; }
    public string Jurisdiction { get; init; } = "";
    public int Version { get; init; } = 1;
    public string Title { get; init; } = "";
    public decimal Cost { get; init; }
    public AssessmentStatus Status { get; private set; }
    public bool? Viable { get; private set; }
    public AssessmentRecommendation? Recommendation { get; private set; }
    public decimal? AdjustedCost { get; private set; }
    public decimal? Score { get; private set; }
    public string? Reasons { get; private set; }
    public string? Assessor { get; private set; }

    /// <summary>Every submitted proposal enters the technical team's queue.</summary>
    public static TechnicalAssessment Queue(ProposalSubmitted e, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), ProposalId = e.ProposalId, ProcessId = e.ProcessId, Jurisdiction = e.Jurisdiction, Title = e.Title, Cost = e.Cost, Status = AssessmentStatus.Pending };

    /// <summary>Every revised version enters the queue as well, in place of an earlier one still pending.</summary>
    public static TechnicalAssessment Queue(ProposalRevised e, DateTimeOffset now) =>
        new()
        {
            Id = Guid.CreateVersion7(now), ProposalId = e.ProposalId, ProcessId = e.ProcessId, Jurisdiction = e.Jurisdiction, Version = e.Version, Title = e.Title, Cost = e.Cost,
            Status = AssessmentStatus.Pending,
        };

    /// <summary>
    /// A recommendation is final: the reasons are published beside the results, so it is never silently replaced.
    /// The technical team assesses during Concertation, before the agents prioritise. Without a
    /// <paramref name="recommendation"/>, <paramref name="viable"/> says Viable or NotViable (the request before there were four).
    /// </summary>
    public AssessmentCompleted Recommend(ProcessStage process, bool? viable, decimal score, string? reasons, string assessor,
        AssessmentRecommendation? recommendation = null, decimal? adjustedCost = null, int? version = null)
    {
        StageRule.Require(process.Stage, "Technical assessment", Stage.Concertation);
        if (Status == AssessmentStatus.Completed)
        {
            throw new ConflictException("proposalId", "This proposal has already been assessed");
        }
        if (Status == AssessmentStatus.Superseded || version is { } v && v != Version)
        {
            throw new ConflictException("version", $"The proposer has revised the proposal: version {Version} is the one to assess");
        }
        var verdict = recommendation ?? viable switch
        {
            true => AssessmentRecommendation.Viable,
            false => AssessmentRecommendation.NotViable,
            null => throw new DomainException("recommendation", "Viable, ViableAtAdjustedCost, Observed or NotViable"),
        };
        var isViable = verdict is AssessmentRecommendation.Viable or AssessmentRecommendation.ViableAtAdjustedCost;
        if (viable is { } said && said != isViable)
        {
            throw new DomainException("viable", $"A {verdict} recommendation is {(isViable ? "" : "not ")}viable");
        }
        if (score < 0 || score > MaxScore || decimal.Round(score, 2) != score)
        {
            throw new DomainException("score", $"The criteria score is between 0 and {MaxScore}, with at most two decimals");
        }
        if (verdict == AssessmentRecommendation.ViableAtAdjustedCost)
        {
            Guard.Soles("adjustedCost", adjustedCost ?? 0m);
            if (adjustedCost == Cost)
            {
                throw new DomainException("adjustedCost", $"The proposal already costs S/ {Cost:N2}: recommend Viable");
            }
        }
        else if (adjustedCost is not null)
        {
            throw new DomainException("adjustedCost", "Only a ViableAtAdjustedCost recommendation adjusts the cost");
        }
        // A recommendation states its reasons: they are published beside the results, and an observed proposal's proposer revises by them.
        var stated = Guard.Text("reasons", reasons, 4000);
        if (!isViable && score != 0)
        {
            throw new DomainException("score", $"A proposal found {verdict} is not ranked: its score is 0");
        }
        Status = AssessmentStatus.Completed;
        Viable = isViable;
        Recommendation = verdict;
        AdjustedCost = adjustedCost;
        Score = score;
        Reasons = stated;
        Assessor = assessor;
        return new AssessmentCompleted
        {
            ProcessId = ProcessId,
            Jurisdiction = Jurisdiction,
            AssessmentId = Id,
            ProposalId = ProposalId,
            Viable = isViable,
            Score = score,
            Reasons = stated,
            Recommendation = verdict,
            AdjustedCost = adjustedCost,
            Version = Version,
        };
    }

    public static TechnicalAssessment Restore(Guid id, Guid proposalId, Guid processId, string jurisdiction, string title, decimal cost,
        string status, bool? viable, decimal? score, string? reasons, string? assessor, int version = 1, AssessmentRecommendation? recommendation = null,
        decimal? adjustedCost = null) => new()
    {
        Id = id, ProposalId = proposalId, ProcessId = processId, Jurisdiction = jurisdiction, Title = title, Cost = cost,
        Status = Enum.Parse<AssessmentStatus>(status), Viable = viable, Score = score, Reasons = reasons, Assessor = assessor,
        Version = version, Recommendation = recommendation, AdjustedCost = adjustedCost,
    };
}
