using PBServices.BuildingBlocks.Errors;

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

    public static Proposal Submit(ProcessCopy process, AgentCopy? agent, Guid agentId, string? title, string? description, decimal cost,
        string? location, int beneficiaries, string? planObjective, DateTimeOffset now)
    {
        if (agent is null || agent.ProcessId != process.Id)
        {
            throw new ForbiddenException("Only agents accredited in this process may propose projects");
        }
        if (process.Stage is not ("Preparation" or "Concertation"))
        {
            throw new ConflictException("processId", $"Proposals are received until the end of Concertation; the process is in {process.Stage}");
        }
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
        return new Proposal
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
    }
}

/// <summary>Deliberation's copy of a process, kept from registration's events.</summary>
public sealed record ProcessCopy(Guid Id, string Jurisdiction, string Name, int FiscalYear, string Level, decimal BudgetCeiling, string Stage);

/// <summary>Deliberation's copy of an accredited agent, kept from registration's events.</summary>
public sealed record AgentCopy(Guid AgentId, Guid ProcessId, string FullName);

public sealed record AssessedProposal(Guid Id, string Title, decimal Cost, ProposalStatus Status, decimal? Score);
