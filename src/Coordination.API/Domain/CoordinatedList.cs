using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Processes;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.Coordination.Domain;

public enum ListStatus
{
    /// <summary>Received from deliberation; being coordinated with the other levels.</summary>
    Received,
    /// <summary>Coordination closed (<c>ListCoordinated</c>): the list the agents vote on at the formalization workshop.</summary>
    Coordinated,
    /// <summary>Approved by the council with its Acta de Acuerdos y Compromisos; flows to the Ministry.</summary>
    Formalized,
}

/// <summary>A jurisdiction's prioritised list as coordination holds it, up to its formalization.</summary>
public sealed class CoordinatedList
{
    public Guid Id { get; init; }
    public Guid ProcessId { get; init; }
    public string Jurisdiction { get; init; } = "";
    public GovernmentLevel Level { get; init; }
    public int FiscalYear { get; init; }
    public decimal BudgetCeiling { get; init; }
    public ListStatus Status { get; private set; }
    public string? ActaReference { get; private set; }
    public DateTimeOffset? ApprovedAt { get; private set; }
    public string Rule { get; init; } = "";
    public IReadOnlyList<ListedProject> Projects { get; init; } = [];

    /// <summary>A prioritised list arrives from deliberation, as the agents agreed it.</summary>
    public static CoordinatedList Receive(ListPrioritized e) => new()
    {
        Id = e.ListId, ProcessId = e.ProcessId, Jurisdiction = e.Jurisdiction, Level = e.Level, FiscalYear = e.FiscalYear,
        BudgetCeiling = e.BudgetCeiling, Rule = e.Rule, Status = ListStatus.Received, Projects = e.Projects,
    };

    /// <summary>The council formalizes the list at the formalization workshop, in that stage only.</summary>
    public ListFormalized Formalize(ProcessStage process, string? actaReference, DateTimeOffset now)
    {
        StageRule.Require(process.Stage, "Formalization", Stage.Formalization);
        if (Status == ListStatus.Formalized)
        {
            throw new ConflictException("processId", "The list is already formalized; it changes only by an audited correction");
        }
        if (Status != ListStatus.Coordinated)
        {
            throw new ConflictException("processId", "Coordination between levels has not closed the list yet");
        }
        // The reference of the signed Acta de Acuerdos y Compromisos.
        var acta = Guard.Text("actaReference", actaReference, 100);
        if (Projects.Count == 0)
        {
            throw new ConflictException("processId", "An empty list cannot be formalized");
        }
        Status = ListStatus.Formalized;
        ActaReference = acta;
        ApprovedAt = now;
        return new ListFormalized
        {
            ProcessId = ProcessId,
            Jurisdiction = Jurisdiction,
            ListId = Id,
            Level = Level,
            FiscalYear = FiscalYear,
            BudgetCeiling = BudgetCeiling,
            ActaReference = acta,
            ApprovedAt = now,
            Projects = Projects,
        };
    }

    /// <summary>Closes coordination: the list's items are fixed from now on.</summary>
    public void MarkCoordinated()
    {
        if (Status != ListStatus.Received)
        {
            throw new ConflictException("processId", $"Coordination of this list is already closed ({Status})");
        }
        Status = ListStatus.Coordinated;
    }

    public static CoordinatedList Restore(Guid id, Guid processId, string jurisdiction, string level, int fiscalYear, decimal ceiling, string rule,
        string status, string? acta, DateTimeOffset? approvedAt, IReadOnlyList<ListedProject> projects) => new()
    {
        Id = id, ProcessId = processId, Jurisdiction = jurisdiction, Level = Enum.Parse<GovernmentLevel>(level, ignoreCase: true), FiscalYear = fiscalYear,
        BudgetCeiling = ceiling, Rule = rule,
        Status = Enum.Parse<ListStatus>(status), ActaReference = acta, ApprovedAt = approvedAt, Projects = projects,
    };
}
