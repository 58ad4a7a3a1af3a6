using System.Text.Json.Serialization;
using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;

namespace PBServices.TechnicalAssessment.Domain;

/// <summary>
/// Where the proposal stands in the pre-investment phase of Invierte.pe (the national investment system), the
/// four steps a PB technical team meets: no study yet, a profile (ficha técnica or perfil) being prepared, the
/// profile approved by the investment formulating unit, or the investment declared viable with its CUI.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<PreInvestmentStatus>))]
public enum PreInvestmentStatus
{
    NoStudy,
    ProfileInPreparation,
    ProfileApproved,
    ViableDeclared,
}

/// <summary>The team's finding on the proposed cost.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CostFinding>))]
public enum CostFinding
{
    /// <summary>The proposed cost is consistent with reference prices.</summary>
    AsProposed,
    /// <summary>The team adjusts it, and says why: the adjusted cost is the one prioritisation uses.</summary>
    Adjusted,
}

[JsonConverter(typeof(JsonStringEnumConverter<Duplication>))]
public enum Duplication
{
    None,
    /// <summary>It repeats another proposal of the same process.</summary>
    Proposal,
    /// <summary>It repeats an investment already registered in Invierte.pe (by its code).</summary>
    ExistingProject,
}

/// <summary>
/// The technical team's checklist on one version of a proposal. It may be saved partially and resaved until the
/// recommendation: a section left out is simply not answered yet, but a section answered is answered consistently
/// (an adjusted cost with its justification, a "no" on plan alignment with its note, a duplicate with what it
/// duplicates and a note). <see cref="MissingField"/> says what a recommendation still needs.
/// </summary>
public sealed record AssessmentChecklist(
    PreInvestmentStatus? PreInvestment = null,
    string? ViabilityNote = null,
    CostFinding? CostFinding = null,
    decimal? AdjustedCost = null,
    string? CostJustification = null,
    bool? AlignedWithPlan = null,
    string? AlignmentNote = null,
    GovernmentLevel? Competence = null,
    Duplication? Duplication = null,
    Guid? DuplicateOfProposal = null,
    string? DuplicateOfProject = null,
    string? DuplicationNote = null)
{
    public const int MaxNote = 2000;

    /// <summary>
    /// The answers, trimmed and checked section by section. <paramref name="proposedCost"/> is the version's cost;
    /// <paramref name="isProposalOfProcess"/> says whether a proposal id names another proposal of the same process.
    /// </summary>
    public AssessmentChecklist Validated(Guid proposalId, decimal proposedCost, Func<Guid, bool> isProposalOfProcess)
    {
        var viabilityNote = Note("viabilityNote", ViabilityNote);

        var costJustification = Note("costJustification", CostJustification);
        if (CostFinding == Domain.CostFinding.Adjusted)
        {
            Guard.Soles("adjustedCost", AdjustedCost ?? 0m);
            if (AdjustedCost == proposedCost)
            {
                throw new DomainException("adjustedCost", $"The proposal already costs S/ {proposedCost:N2}: the cost finding is AsProposed");
            }
            // The adjusted cost is what the agents prioritise with: they read why it differs from what was proposed.
            costJustification = Guard.Text("costJustification", CostJustification, MaxNote);
        }
        else if (AdjustedCost is not null || costJustification is not null)
        {
            throw new DomainException("costFinding", "An adjusted cost and its justification go with the cost finding Adjusted");
        }

        var alignmentNote = Note("alignmentNote", AlignmentNote);
        if (AlignedWithPlan is null && alignmentNote is not null)
        {
            throw new DomainException("alignedWithPlan", "Say whether the proposal is aligned with the plan objective before noting why");
        }
        if (AlignedWithPlan == false && alignmentNote is null)
        {
            throw new DomainException("alignmentNote", "Required when the proposal is not aligned with the plan objective: say why");
        }

        var duplicationNote = Note("duplicationNote", DuplicationNote);
        var project = DuplicateOfProject?.Trim();
        switch (Duplication)
        {
            case Domain.Duplication.Proposal:
                if (DuplicateOfProposal is not { } other || other == Guid.Empty)
                {
                    throw new DomainException("duplicateOfProposal", "The id of the proposal it duplicates");
                }
                if (other == proposalId)
                {
                    throw new DomainException("duplicateOfProposal", "A proposal does not duplicate itself");
                }
                if (!isProposalOfProcess(other))
                {
                    throw new DomainException("duplicateOfProposal", $"Proposal '{other}' is not a proposal of this process");
                }
                if (project is not null)
                {
                    throw new DomainException("duplicateOfProject", "A duplicate names a proposal or a project, not both");
                }
                break;
            case Domain.Duplication.ExistingProject:
                if (project is null || project.Length is < 5 or > 10 || !project.All(char.IsAsciiDigit))
                {
                    throw new DomainException("duplicateOfProject", "The project's code in Invierte.pe: its CUI (7 digits) or an older SNIP code, 5 to 10 digits");
                }
                if (DuplicateOfProposal is not null)
                {
                    throw new DomainException("duplicateOfProposal", "A duplicate names a proposal or a project, not both");
                }
                break;
            default:
                if (DuplicateOfProposal is not null || project is not null)
                {
                    throw new DomainException("duplication", "Name what it duplicates with duplication Proposal or ExistingProject");
                }
                break;
        }
        if (Duplication is Domain.Duplication.Proposal or Domain.Duplication.ExistingProject && duplicationNote is null)
        {
            throw new DomainException("duplicationNote", "Required for a duplicate: what the two have in common");
        }

        return this with
        {
            ViabilityNote = viabilityNote, CostJustification = costJustification, AlignmentNote = alignmentNote,
            DuplicateOfProject = project, DuplicationNote = duplicationNote,
        };
    }

    /// <summary>The first section not answered yet, by its field name; null when the checklist is complete.</summary>
    public string? MissingField() =>
        PreInvestment is null ? "preInvestment"
        : CostFinding is null ? "costFinding"
        : AlignedWithPlan is null ? "alignedWithPlan"
        : Competence is null ? "competence"
        : Duplication is null ? "duplication"
        : null;

    /// <summary>What it duplicates, as the event and the reasons name it: the proposal's id or the project's code.</summary>
    public string? DuplicateOf => Duplication switch
    {
        Domain.Duplication.Proposal => DuplicateOfProposal?.ToString(),
        Domain.Duplication.ExistingProject => DuplicateOfProject,
        _ => null,
    };

    private static string? Note(string field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : Guard.Text(field, value, MaxNote);
}
