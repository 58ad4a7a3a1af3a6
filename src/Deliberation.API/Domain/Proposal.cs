using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Processes;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.Deliberation.Domain;

public enum ProposalStatus
{
    /// <summary>Waiting for the technical team (a new version after an edit or a revision too).</summary>
    Submitted,
    /// <summary>Viable, at its own cost or at the one the technical team adjusted it to.</summary>
    Viable,
    NotViable,
    /// <summary>Back with the proposer, who may revise it.</summary>
    Observed,
    /// <summary>The proposer took it back; it never enters a vote or a list.</summary>
    Withdrawn,
}

/// <summary>What an agent proposes, as one version holds it; checked the same way on submission and on every change.</summary>
public sealed record ProposalContent(string Title, string Description, decimal Cost, string Location, int Beneficiaries, string PlanObjective, IReadOnlyList<string> Districts)
{
    public const int MaxDistricts = 50;

    /// <summary>
    /// <paramref name="districts"/> are the districts (ubigeo) whose residents benefit, within the process's region: what coordination
    /// reads to find projects of wider impact. Not given, a district's proposal benefits the district itself.
    /// </summary>
    public static ProposalContent Checked(ProcessCopy process, string? title, string? description, decimal cost, string? location, int beneficiaries, string? planObjective,
        IReadOnlyList<string>? districts = null)
    {
        title = Guard.Text("title", title, 200);
        description = Guard.Text("description", description, 4000);
        location = Guard.Text("location", location, 200);
        planObjective = Guard.Text("planObjective", planObjective, 200);
        Guard.Soles("cost", cost);
        if (cost > process.BudgetCeiling)
        {
            throw new DomainException("cost", $"The cost exceeds the process's whole budget ceiling of S/ {process.BudgetCeiling:N2}");
        }
        if (beneficiaries <= 0)
        {
            throw new DomainException("beneficiaries", "A project benefits at least one person");
        }
        return new ProposalContent(title, description, cost, location, beneficiaries, planObjective, CheckedDistricts(process, districts));
    }

    private static IReadOnlyList<string> CheckedDistricts(ProcessCopy process, IReadOnlyList<string>? districts)
    {
        if (districts is null)
        {
            return process.Level == GovernmentLevel.District ? [process.Jurisdiction] : [];
        }
        if (districts.Count > MaxDistricts)
        {
            throw new DomainException("districts", $"At most {MaxDistricts} districts");
        }
        var region = process.Jurisdiction[..2] + "0000";
        for (var i = 0; i < districts.Count; i++)
        {
            var code = districts[i];
            if (code is not { Length: 6 } || !code.All(char.IsAsciiDigit) || Jurisdictions.LevelOf(code) != GovernmentLevel.District)
            {
                throw new DomainException($"districts[{i}]", "A district's six-digit ubigeo (its last two digits are not 00)");
            }
            if (!Jurisdictions.Contains(region, code))
            {
                throw new DomainException($"districts[{i}]", $"District {code} is outside the region {region} of this process");
            }
            if (districts.Take(i).Contains(code))
            {
                throw new DomainException($"districts[{i}]", $"District {code} is named twice");
            }
        }
        return districts.ToList();
    }
}

/// <summary>A change the proposer asks for: in a replacement every field is given; in a patch, null keeps the current value.</summary>
public sealed record ProposalChange(string? Title, string? Description, decimal? Cost, string? Location, int? Beneficiaries, string? PlanObjective, IReadOnlyList<string>? Districts = null);

/// <summary>
/// A public-investment project proposed by an accredited agent. The proposer edits it while it waits for
/// the technical team and revises it after an observation; each change is a new version (the earlier ones
/// are kept) that the technical team assesses afresh. The proposer may withdraw it. Once the agents' vote
/// opens or the list is prioritised, proposals no longer change.
/// </summary>
public sealed class Proposal
{
    public Guid Id { get; private init; }
    public Guid ProcessId { get; private init; }
    public Guid AgentId { get; private init; }
    public int Version { get; private set; } = 1;
    public ProposalContent Content { get; private set; } = null!;
    public string Title => Content.Title;
    public string Description => Content.Description;
    public decimal Cost => Content.Cost;
    public string Location => Content.Location;
    public int Beneficiaries => Content.Beneficiaries;
    public string PlanObjective => Content.PlanObjective;
    public IReadOnlyList<string> Districts => Content.Districts;
    public ProposalStatus Status { get; private set; }
    public decimal? Score { get; private set; }
    public AssessmentRecommendation? Recommendation { get; private set; }
    public decimal? AdjustedCost { get; private set; }
    public string? AssessmentReasons { get; private set; }
    public string? WithdrawalReason { get; private set; }
    /// <summary>The cost a vote, the prioritisation and the list use: the technical team's adjusted cost where it set one.</summary>
    public decimal EffectiveCost => AdjustedCost ?? Cost;

    /// <summary>An accredited agent proposes a project during Concertation; returns it with the event for the technical team.</summary>
    public static (Proposal Proposal, ProposalSubmitted Submitted) Submit(ProcessCopy process, AgentCopy? agent, Guid agentId, string? title, string? description, decimal cost,
        string? location, int beneficiaries, string? planObjective, DateTimeOffset now, IReadOnlyList<string>? districts = null)
    {
        if (agent is null || agent.ProcessId != process.Id)
        {
            throw new ForbiddenException("Only agents accredited in this process may propose projects");
        }
        StageRule.Require(process.Stage, "Submission of proposals", Stage.Concertation);
        var content = ProposalContent.Checked(process, title, description, cost, location, beneficiaries, planObjective, districts);
        var proposal = new Proposal
        {
            Id = Guid.CreateVersion7(now),
            ProcessId = process.Id,
            AgentId = agentId,
            Content = content,
            Status = ProposalStatus.Submitted,
        };
        return (proposal, new ProposalSubmitted
        {
            ProcessId = process.Id,
            Jurisdiction = process.Jurisdiction,
            ProposalId = proposal.Id,
            AgentId = agentId,
            Title = content.Title,
            Description = content.Description,
            Cost = content.Cost,
            Location = content.Location,
            Beneficiaries = content.Beneficiaries,
            PlanObjective = content.PlanObjective,
            Districts = content.Districts,
        });
    }

    /// <summary>
    /// The proposer's new version: an edit while the proposal waits for the technical team, a revision after
    /// it was observed. Either way it waits for a fresh assessment of the new version.
    /// </summary>
    public ProposalRevised Revise(ProcessCopy process, AgentCopy? agent, Guid actorId, bool voteBegun, ProposalChange change, bool replace)
    {
        RequireProposer(actorId, "change");
        if (agent is null || agent.ProcessId != process.Id)
        {
            throw new ForbiddenException("Only agents accredited in this process may change their proposals");
        }
        RequireOpenForChange(process, "Changing a proposal", voteBegun);
        if (Status is not (ProposalStatus.Submitted or ProposalStatus.Observed))
        {
            throw new ConflictException("status", $"A proposal changes only while it waits for the technical team or after it observed it; this one is {Status}");
        }
        var content = replace
            ? ProposalContent.Checked(process, change.Title, change.Description, change.Cost ?? 0, change.Location, change.Beneficiaries ?? 0, change.PlanObjective, change.Districts)
            : ProposalContent.Checked(process, change.Title ?? Title, change.Description ?? Description, change.Cost ?? Cost, change.Location ?? Location,
                change.Beneficiaries ?? Beneficiaries, change.PlanObjective ?? PlanObjective, change.Districts ?? Districts);
        Version++;
        Content = content;
        Status = ProposalStatus.Submitted;
        Score = null;
        Recommendation = null;
        AdjustedCost = null;
        AssessmentReasons = null;
        return new ProposalRevised
        {
            ProcessId = process.Id,
            Jurisdiction = process.Jurisdiction,
            ProposalId = Id,
            AgentId = AgentId,
            Version = Version,
            Title = content.Title,
            Description = content.Description,
            Cost = content.Cost,
            Location = content.Location,
            Beneficiaries = content.Beneficiaries,
            PlanObjective = content.PlanObjective,
            Districts = content.Districts,
        };
    }

    /// <summary>The proposer takes the proposal back, with a reason, before the vote; it is kept, withdrawn, and never voted on.</summary>
    public void Withdraw(ProcessCopy process, Guid actorId, bool voteBegun, string? reason)
    {
        RequireProposer(actorId, "withdraw");
        RequireOpenForChange(process, "Withdrawing a proposal", voteBegun);
        if (Status == ProposalStatus.Withdrawn)
        {
            throw new ConflictException("status", "This proposal is already withdrawn");
        }
        WithdrawalReason = Guard.Text("reason", reason, 1000);
        Status = ProposalStatus.Withdrawn;
    }

    /// <summary>
    /// Records the technical team's verdict when it is about the current version of a proposal still waiting
    /// for it; false (nothing changes) for an outdated version, a withdrawn proposal, or one already assessed.
    /// </summary>
    public bool Record(AssessmentOutcome a)
    {
        if (a.Version != Version || Status != ProposalStatus.Submitted)
        {
            return false;
        }
        Status = a.Recommendation switch
        {
            AssessmentRecommendation.Viable or AssessmentRecommendation.ViableAtAdjustedCost => ProposalStatus.Viable,
            AssessmentRecommendation.Observed => ProposalStatus.Observed,
            _ => ProposalStatus.NotViable,
        };
        Recommendation = a.Recommendation;
        AdjustedCost = a.AdjustedCost;
        Score = a.Score;
        AssessmentReasons = a.Reasons;
        return true;
    }

    private void RequireProposer(Guid actorId, string what)
    {
        if (actorId != AgentId)
        {
            throw new ForbiddenException($"Only the agent who proposed it may {what} this proposal");
        }
    }

    private static void RequireOpenForChange(ProcessCopy process, string action, bool voteBegun)
    {
        StageRule.Require(process.Stage, action, Stage.Concertation);
        if (voteBegun)
        {
            throw new ConflictException("processId", "The agents' vote has opened (or the list is prioritised): proposals no longer change");
        }
    }

    public static Proposal Restore(Guid id, Guid processId, Guid agentId, int version, ProposalContent content, ProposalStatus status, decimal? score,
        AssessmentRecommendation? recommendation, decimal? adjustedCost, string? assessmentReasons, string? withdrawalReason) => new()
    {
        Id = id, ProcessId = processId, AgentId = agentId, Version = version, Content = content, Status = status, Score = score,
        Recommendation = recommendation, AdjustedCost = adjustedCost, AssessmentReasons = assessmentReasons, WithdrawalReason = withdrawalReason,
    };
}

/// <summary>The technical team's verdict on one version, as deliberation records it on the proposal.</summary>
public sealed record AssessmentOutcome(Guid ProposalId, int Version, AssessmentRecommendation Recommendation, decimal Score, decimal? AdjustedCost, string Reasons)
{
    public static AssessmentOutcome From(AssessmentCompleted e)
    {
        var recommendation = e.RecommendationOrDerived();
        // A viable-at-adjusted-cost verdict without the cost (or a cost with another verdict) is not one the technical team can give.
        if ((recommendation == AssessmentRecommendation.ViableAtAdjustedCost) != e.AdjustedCost is not null)
        {
            throw new InvalidOperationException($"Assessment {e.AssessmentId}: an adjusted cost goes with ViableAtAdjustedCost, and only with it");
        }
        return new(e.ProposalId, e.Version, recommendation, e.Score, e.AdjustedCost, e.Reasons);
    }
}

/// <summary>One version of a proposal as it was submitted, with the technical team's verdict on it once given.</summary>
public sealed record ProposalVersion(int Version, ProposalContent Content, DateTimeOffset CreatedAt, VersionAssessment? Assessment);

public sealed record VersionAssessment(AssessmentRecommendation Recommendation, decimal Score, decimal? AdjustedCost, string Reasons, DateTimeOffset AssessedAt);

/// <summary>Deliberation's copy of a process, kept from registration's events; rules are null for processes opened before registration published them.</summary>
public sealed record ProcessCopy(Guid Id, string Jurisdiction, string Name, int FiscalYear, GovernmentLevel Level, decimal BudgetCeiling, Stage Stage, ProcessRules? Rules = null);

/// <summary>Deliberation's copy of an accredited agent, kept from registration's events.</summary>
public sealed record AgentCopy(Guid AgentId, Guid ProcessId, string FullName);

/// <summary>A proposal as prioritisation and the vote see it; <paramref name="AdjustedCost"/> is the technical team's where it set one.</summary>
public sealed record AssessedProposal(Guid Id, string Title, decimal Cost, ProposalStatus Status, decimal? Score, decimal? AdjustedCost = null, int Version = 1,
    AssessmentRecommendation? Recommendation = null)
{
    /// <summary>The cost the vote, the prioritisation and the list use.</summary>
    public decimal EffectiveCost => AdjustedCost ?? Cost;
}
