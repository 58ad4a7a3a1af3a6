using PBServices.BuildingBlocks.Errors;

namespace PBServices.Coordination.Domain;

public enum ListStatus
{
    /// <summary>Received from deliberation; being coordinated with the other levels.</summary>
    Received,
    /// <summary>Approved by the council with its Acta de Acuerdos y Compromisos; flows to the Ministry.</summary>
    Formalized,
}

public sealed record ListProject(Guid ProposalId, string Title, decimal Cost, decimal Score, int Rank);

/// <summary>A jurisdiction's prioritised list as coordination holds it, up to its formalization.</summary>
public sealed class CoordinatedList
{
    public Guid Id { get; init; }
    public Guid ProcessId { get; init; }
    public string Jurisdiction { get; init; } = "";
    public string Level { get; init; } = "";
    public int FiscalYear { get; init; }
    public decimal BudgetCeiling { get; init; }
    public ListStatus Status { get; private set; }
    public string? ActaReference { get; private set; }
    public DateTimeOffset? ApprovedAt { get; private set; }
    public IReadOnlyList<ListProject> Projects { get; init; } = [];

    public void Formalize(string? actaReference, DateTimeOffset now)
    {
        if (Status != ListStatus.Received)
        {
            throw new ConflictException("processId", "The list is already formalized; it changes only by an audited correction");
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
    }

    public static CoordinatedList Restore(Guid id, Guid processId, string jurisdiction, string level, int fiscalYear, decimal ceiling,
        string status, string? acta, DateTimeOffset? approvedAt, IReadOnlyList<ListProject> projects) => new()
    {
        Id = id, ProcessId = processId, Jurisdiction = jurisdiction, Level = level, FiscalYear = fiscalYear, BudgetCeiling = ceiling,
        Status = Enum.Parse<ListStatus>(status), ActaReference = acta, ApprovedAt = approvedAt, Projects = projects,
    };
}
