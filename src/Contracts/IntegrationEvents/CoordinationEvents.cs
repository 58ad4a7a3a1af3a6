namespace PBServices.Contracts.IntegrationEvents;

/// <summary>
/// Coordination between levels closed for a process: its list as the agents agreed it after the authorities'
/// decisions (each published with its reason beside the results), with each project's co-financing. The final
/// vote at the formalization workshop is on this list.
/// </summary>
public sealed record ListCoordinated : IntegrationEvent
{
    public required Guid ListId { get; init; }
    public required GovernmentLevel Level { get; init; }
    public required int FiscalYear { get; init; }
    public required decimal BudgetCeiling { get; init; }
    /// <summary>The projects in their coordinated order, at their full cost.</summary>
    public required IReadOnlyList<ListedProject> Projects { get; init; }
    /// <summary>What this government commits of its own ceiling: its share of co-financed projects, the full cost of the others.</summary>
    public required decimal OwnCommitment { get; init; }
    /// <summary>The authorities' decisions that changed the agents' list.</summary>
    public required int Decisions { get; init; }
}

public sealed record ListFormalized : IntegrationEvent
{
    public required Guid ListId { get; init; }
    public required GovernmentLevel Level { get; init; }
    public required int FiscalYear { get; init; }
    public required decimal BudgetCeiling { get; init; }
    /// <summary>The number of the signed Acta de Acuerdos y Compromisos.</summary>
    public required string ActaReference { get; init; }
    /// <summary>The SHA-256 (hex) of the acta's canonical content, which its signatures are over; null in events published before actas were drawn up in coordination.</summary>
    public string? ActaContentHash { get; init; }
    public required DateTimeOffset ApprovedAt { get; init; }
    public required IReadOnlyList<ListedProject> Projects { get; init; }
    /// <summary>
    /// What the Ministry checks of each project, one per entry of <see cref="Projects"/>: plan objective, assessment and
    /// who pays what. Null in events published before submissions carried it.
    /// </summary>
    public IReadOnlyList<FormalizedProject>? Dossier { get; init; }
    /// <summary>Who signed the acta and which bodies approved it; null in older events.</summary>
    public ActaSignatures? Signatures { get; init; }
    /// <summary>The oversight committee the agents elected, as the acta records it; null in older events and for lists formalized without an acta.</summary>
    public IReadOnlyList<CommitteeSeat>? Committee { get; init; }
}

/// <summary>A seat of the elected oversight committee (Comité de Vigilancia); <see cref="Quota"/> names the quota that gave it, if one did.</summary>
public sealed record CommitteeSeat(int Seat, Guid AgentId, string FullName, string Organisation, string? Quota);

/// <summary>One formalized project's dossier for the Ministry.</summary>
public sealed record FormalizedProject(Guid ProposalId, string PlanObjective, decimal OwnShare,
    Submissions.ProjectAssessment? Assessment, IReadOnlyList<Submissions.CofinancingEntry> Cofinancing);

/// <summary>The signatures and approvals of the acta a list was formalized with.</summary>
public sealed record ActaSignatures(int Authorities, int Agents, IReadOnlyList<string> Approvals);
