using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Processes;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.Deliberation.Domain;

public enum ProposalStatus
{
    /// <summary>Waiting for the technical team.</summary>
    Submitted,
    Viable,
    NotViable,
}

/// <summary>A public-investment project proposed by an accredited agent.</summary>
public sealed class Proposal
{
    public Guid Id { get; private init; }
    public Guid ProcessId { get; private init; }
    public Guid AgentId { get; private init; }
    public string Title { get; private init; } = "";
    public string Description { get; private init; } = "";
    public decimal Cost { get; private init; }
    public string Location { get; private init; } = "";
    public int Beneficiaries { get; private init; }
    public string PlanObjective { get; private init; } = "";
    public ProposalStatus Status { get; private set; }
    public decimal? Score { get; private set; }

    /// <summary>An accredited agent proposes a project during Concertation; returns it with the event for the technical team.</summary>
    public static (Proposal Proposal, ProposalSubmitted Submitted) Submit(ProcessCopy process, AgentCopy? agent, Guid agentId, string? title, string? description, decimal cost,
        string? location, int beneficiaries, string? planObjective, DateTimeOffset now)
    {
        if (agent is null || agent.ProcessId != process.Id)
        {
            throw new ForbiddenException("Only agents accredited in this process may propose projects");
        }
        StageRule.Require(process.Stage, "Submission of proposals", Stage.Concertation);
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
        var proposal = new Proposal
        {
            Id = Guid.CreateVersion7(now),
            ProcessId = process.Id,
            AgentId = agentId,
            Title = title,
            Description = description,
            Cost = cost,
            Location = location,
            Beneficiaries = beneficiaries,
            PlanObjective = planObjective,
            Status = ProposalStatus.Submitted,
        };
        return (proposal, new ProposalSubmitted
        {
            ProcessId = process.Id,
            Jurisdiction = process.Jurisdiction,
            ProposalId = proposal.Id,
            AgentId = agentId,
            Title = proposal.Title,
            Description = proposal.Description,
            Cost = proposal.Cost,
            Location = proposal.Location,
            Beneficiaries = proposal.Beneficiaries,
            PlanObjective = proposal.PlanObjective,
        });
    }
}

/// <summary>The technical team's verdict as deliberation records it on the proposal.</summary>
public sealed record AssessmentOutcome(Guid ProposalId, ProposalStatus Status, decimal Score, string Reasons)
{
    public static AssessmentOutcome From(AssessmentCompleted e) =>
        new(e.ProposalId, e.Viable ? ProposalStatus.Viable : ProposalStatus.NotViable, e.Score, e.Reasons);
}

/// <summary>Deliberation's copy of a process, kept from registration's events; rules are null for processes opened before registration published them.</summary>
public sealed record ProcessCopy(Guid Id, string Jurisdiction, string Name, int FiscalYear, GovernmentLevel Level, decimal BudgetCeiling, Stage Stage, ProcessRules? Rules = null);

/// <summary>Deliberation's copy of an accredited agent, kept from registration's events.</summary>
public sealed record AgentCopy(Guid AgentId, Guid ProcessId, string FullName);

public sealed record AssessedProposal(Guid Id, string Title, decimal Cost, ProposalStatus Status, decimal? Score);
