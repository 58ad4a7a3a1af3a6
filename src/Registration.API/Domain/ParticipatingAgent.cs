using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Processes;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.Registration.Domain;

public enum AgentStatus
{
    Registered,
    Accredited,
    Revoked,
}

/// <summary>A person registered, usually on behalf of a civil-society organisation, to take part in a process.</summary>
public sealed class ParticipatingAgent
{
    public Guid Id { get; private init; }
    public Guid ProcessId { get; private init; }
    public string FullName { get; private init; } = "";
    public string Dni { get; private init; } = "";
    public string Organisation { get; private init; } = "";
    public AgentStatus Status { get; private set; }

    public static ParticipatingAgent Register(Process process, string? fullName, string? dni, string? organisation, DateTimeOffset now)
    {
        StageRule.Require(process.Stage, "Registration of participating agents", Stage.Preparation);
        var name = Guard.Text("fullName", fullName, 200);
        // The DNI (Documento Nacional de Identidad) is eight digits.
        if (dni is null || dni.Length != 8 || !dni.All(char.IsAsciiDigit))
        {
            throw new DomainException("dni", "The DNI must be exactly eight digits");
        }
        var represents = Guard.Text("organisation", organisation, 200);
        return new ParticipatingAgent
        {
            Id = Guid.CreateVersion7(now),
            ProcessId = process.Id,
            FullName = name,
            Dni = dni,
            Organisation = represents,
            Status = AgentStatus.Registered,
        };
    }

    /// <summary>Accreditation closes with Preparation: the agents of Concertation are known before it opens.</summary>
    public AgentAccredited Accredit(Process process)
    {
        StageRule.Require(process.Stage, "Accreditation", Stage.Preparation);
        if (Status != AgentStatus.Registered)
        {
            throw new ConflictException("agentId", $"Only a registered agent can be accredited; this one is {Status}");
        }
        Status = AgentStatus.Accredited;
        return new AgentAccredited { ProcessId = ProcessId, Jurisdiction = process.Jurisdiction, AgentId = Id, FullName = FullName, Organisation = Organisation };
    }

    public static ParticipatingAgent Restore(Guid id, Guid processId, string fullName, string dni, string organisation, string status) => new()
    {
        Id = id,
        ProcessId = processId,
        FullName = fullName,
        Dni = dni,
        Organisation = organisation,
        Status = Enum.Parse<AgentStatus>(status),
    };
}
