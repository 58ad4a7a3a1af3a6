using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Processes;
using PBServices.BuildingBlocks.Security;
using PBServices.Contracts;

namespace PBServices.Deliberation.Domain;

/// <summary>One weighted criterion of a process's matrix, scored in whole numbers from <see cref="ScaleMin"/> to <see cref="ScaleMax"/>.</summary>
public sealed record Criterion(Guid Id, int Position, string Name, decimal Weight, int ScaleMin, int ScaleMax);

/// <summary>A criterion as the process-admin proposes it; nullable, so a missing value is refused by field.</summary>
public sealed record CriterionInput(string? Name, decimal? Weight, int? ScaleMin, int? ScaleMax);

/// <summary>A scorer's value for one criterion, as sent.</summary>
public sealed record ScoreInput(Guid? CriterionId, int? Value);

/// <summary>Who scores, in the role the process's rules name: the token's subject (an agent's id; an officer's or technician's account name).</summary>
public sealed record Scorer(string Id, string Role);

/// <summary>One stored score: a scorer's value for one criterion of one proposal.</summary>
public sealed record CriterionScore(string ScorerId, Guid ProposalId, Guid CriterionId, int Value);

/// <summary>
/// A process's criteria matrix (DESIGN.md §6). Weights are positive exact decimals that need not sum to
/// anything: a proposal's weighted total is Σ weight × mean ÷ Σ weight, on the criteria's own scales.
/// Defined by the process-admin in Concertation, and fixed once any score is recorded.
/// </summary>
public sealed class CriteriaMatrix
{
    public const int MaxCriteria = 20;
    public const int MaxNameLength = 100;
    public const decimal MaxWeight = 1000m;
    public const int MaxWeightDecimals = 4;
    public const int LowestScale = 0;
    public const int HighestScale = 100;

    public Guid ProcessId { get; private init; }
    public IReadOnlyList<Criterion> Criteria { get; private init; } = [];
    public decimal TotalWeight => Criteria.Sum(c => c.Weight);

    public static CriteriaMatrix Restore(Guid processId, IReadOnlyList<Criterion> criteria) => new() { ProcessId = processId, Criteria = criteria };

    /// <summary>
    /// Defines (or, while nothing is scored, redefines) the matrix. Refused once a score exists or the list is
    /// prioritised: scores given against one matrix must not be counted under another.
    /// </summary>
    public static CriteriaMatrix Define(ProcessCopy process, IReadOnlyList<CriterionInput?>? criteria, bool scored, bool prioritized, DateTimeOffset now)
    {
        StageRule.Require(process.Stage, "Defining the criteria matrix", Stage.Concertation);
        if (prioritized)
        {
            throw new ConflictException("criteria", "The process is already prioritised");
        }
        if (scored)
        {
            throw new ConflictException("criteria", "The criteria matrix is fixed: scores have been recorded against it");
        }
        if (criteria is null || criteria.Count == 0 || criteria.Count > MaxCriteria)
        {
            throw new DomainException("criteria", $"1 to {MaxCriteria} criteria, each with a name, a weight and a scale");
        }
        var defined = new List<Criterion>();
        for (var i = 0; i < criteria.Count; i++)
        {
            var field = $"criteria[{i}]";
            var c = criteria[i] ?? throw new DomainException(field, "A criterion has a name, a weight and a scale");
            var name = Guard.Text($"{field}.name", c.Name, MaxNameLength);
            if (defined.Any(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new DomainException($"{field}.name", $"The matrix already has a criterion named '{name}'");
            }
            var weight = c.Weight ?? throw new DomainException($"{field}.weight", "Required: a positive number");
            if (weight <= 0 || weight > MaxWeight || decimal.Round(weight, MaxWeightDecimals) != weight)
            {
                throw new DomainException($"{field}.weight", $"A positive number up to {MaxWeight} with at most {MaxWeightDecimals} decimals");
            }
            var min = c.ScaleMin ?? throw new DomainException($"{field}.scaleMin", "Required: the lowest score, a whole number");
            var max = c.ScaleMax ?? throw new DomainException($"{field}.scaleMax", "Required: the highest score, a whole number");
            if (min < LowestScale || min > HighestScale)
            {
                throw new DomainException($"{field}.scaleMin", $"A whole number from {LowestScale} to {HighestScale}");
            }
            if (max <= min || max > HighestScale)
            {
                throw new DomainException($"{field}.scaleMax", $"A whole number above scaleMin ({min}) and at most {HighestScale}");
            }
            defined.Add(new Criterion(Guid.CreateVersion7(now), i + 1, name, weight, min, max));
        }
        return new CriteriaMatrix { ProcessId = process.Id, Criteria = defined };
    }

    /// <summary>The role the process's rules give the scoring to; processes without rules keep the technical team's.</summary>
    public static string ScorerRole(ProcessCopy process) => (process.Rules?.CriteriaScoredBy ?? CriteriaScoredBy.TechnicalTeam) switch
    {
        CriteriaScoredBy.Agents => Roles.Agent,
        CriteriaScoredBy.ProcessAdmin => Roles.ProcessAdmin,
        _ => Roles.TechnicalTeam,
    };

    /// <summary>
    /// Who may score: the role the rules name; where agents score, only those who may vote
    /// (accredited, not revoked, trained where the rules require it), and they are told why not.
    /// </summary>
    public static Scorer Admit(ProcessCopy process, string subject, Func<string, bool> holdsRole, Eligibility? eligibility)
    {
        var role = ScorerRole(process);
        if (!holdsRole(role))
        {
            throw new ForbiddenException($"This process's criteria are scored by the {role} role (rules.criteriaScoredBy)");
        }
        if (role == Roles.Agent && eligibility is not { MayVote: true })
        {
            var why = eligibility is null ? "" : $": {string.Join(", ", eligibility.Reasons)}";
            throw new ForbiddenException($"Only agents who may vote score the criteria{why}");
        }
        return new Scorer(subject, role);
    }

    /// <summary>
    /// A scorer's values for one viable proposal, one for every criterion, each within its scale. Sent again,
    /// they replace the scorer's earlier ones, until the list is prioritised.
    /// </summary>
    public IReadOnlyList<CriterionScore> Score(ProcessCopy process, Scorer scorer, AssessedProposal proposal, IReadOnlyList<ScoreInput?>? scores, bool prioritized)
    {
        StageRule.Require(process.Stage, "Scoring the criteria", Stage.Concertation);
        if (prioritized)
        {
            throw new ConflictException("proposalId", "The process is already prioritised: its scores are closed");
        }
        if (proposal.Status != ProposalStatus.Viable)
        {
            throw new ConflictException("proposalId", $"Only viable proposals are scored; this one is {proposal.Status}");
        }
        if (scores is null || scores.Count != Criteria.Count)
        {
            throw new DomainException("scores", $"One score for each of the matrix's {Criteria.Count} criteria");
        }
        var byId = Criteria.ToDictionary(c => c.Id);
        var recorded = new List<CriterionScore>();
        for (var i = 0; i < scores.Count; i++)
        {
            var field = $"scores[{i}]";
            var s = scores[i] ?? throw new DomainException(field, "A score names its criterion and its value");
            if (s.CriterionId is not { } id || !byId.TryGetValue(id, out var criterion))
            {
                throw new DomainException($"{field}.criterionId", "Not a criterion of this process's matrix");
            }
            if (recorded.Any(r => r.CriterionId == id))
            {
                throw new DomainException($"{field}.criterionId", $"'{criterion.Name}' is scored twice");
            }
            if (s.Value is not { } value || value < criterion.ScaleMin || value > criterion.ScaleMax)
            {
                throw new DomainException($"{field}.value", $"'{criterion.Name}' is scored with a whole number from {criterion.ScaleMin} to {criterion.ScaleMax}");
            }
            recorded.Add(new CriterionScore(scorer.Id, proposal.Id, id, value));
        }
        return recorded;
    }
}

/// <summary>The mean of a criterion's scores for one proposal (two decimals, half away from zero); null while unscored.</summary>
public sealed record CriterionMean(Guid CriterionId, string Name, decimal Weight, decimal? Mean);

/// <summary>A viable proposal's place by the matrix: null total and rank while nobody has scored it.</summary>
public sealed record RankedProposal(Guid ProposalId, string Title, decimal Cost, int Scorers, IReadOnlyList<CriterionMean> Criteria, decimal? WeightedTotal, int? Rank);

/// <summary>
/// The viable proposals ranked by their weighted totals. The total is Σ weight × (sum of the criterion's scores ÷
/// scorers) ÷ Σ weight, computed in exact decimals over one division (every scorer scores every criterion) and
/// rounded once to two decimals, half away from zero, the precision of every score in the system. Proposals rank
/// by that published total, highest first; equal totals rank by proposal id in ordinal text order (the order
/// PostgreSQL sorts uuids and the allocation library breaks its ties in). Unscored proposals come last, unranked.
/// </summary>
public sealed record CriteriaRanking(IReadOnlyList<RankedProposal> Proposals)
{
    public bool AnyScored => Proposals.Any(p => p.Scorers > 0);

    public static CriteriaRanking Of(CriteriaMatrix matrix, IEnumerable<AssessedProposal> proposals, IEnumerable<CriterionScore> scores)
    {
        var byProposal = scores.GroupBy(s => s.ProposalId).ToDictionary(g => g.Key, g => g.ToList());
        var rows = proposals.Where(p => p.Status == ProposalStatus.Viable).Select(p =>
        {
            var own = byProposal.GetValueOrDefault(p.Id) ?? [];
            var scorers = own.Select(s => s.ScorerId).Distinct().Count();
            var sums = matrix.Criteria.ToDictionary(c => c.Id, c => own.Where(s => s.CriterionId == c.Id).ToList());
            if (scorers > 0 && sums.Values.Any(v => v.Count != scorers))
            {
                // The matrix is fixed once scored and a scorer's set is stored whole, so this is a broken invariant, not input.
                throw new InvalidOperationException($"Proposal {p.Id} has scorers without a score for every criterion");
            }
            var means = matrix.Criteria.Select(c => new CriterionMean(c.Id, c.Name, c.Weight,
                scorers == 0 ? null : Round((decimal)sums[c.Id].Sum(s => s.Value) / scorers))).ToList();
            decimal? total = scorers == 0
                ? null
                : Round(matrix.Criteria.Sum(c => c.Weight * sums[c.Id].Sum(s => s.Value)) / (scorers * matrix.TotalWeight));
            return new RankedProposal(p.Id, p.Title, p.EffectiveCost, scorers, means, total, null);
        });
        var ordered = rows
            .OrderBy(r => r.WeightedTotal is null)
            .ThenByDescending(r => r.WeightedTotal)
            .ThenBy(r => r.ProposalId.ToString(), StringComparer.Ordinal)
            .Select((r, i) => r.WeightedTotal is null ? r : r with { Rank = i + 1 })
            .ToList();
        return new CriteriaRanking(ordered);
    }

    private static decimal Round(decimal value) => decimal.Round(value, 2, MidpointRounding.AwayFromZero);
}
