using PBServices.Allocation;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Processes;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.Deliberation.Domain;

/// <summary>The viable proposals that fit the ceiling, in the order the allocation rule funded them.</summary>
public sealed class PrioritizedList
{
    public const string GreedyRule = "greedy";
    /// <summary>Greedy over the weighted totals of the criteria matrix instead of the technical team's scores.</summary>
    public const string CriteriaGreedyRule = "greedy-criteria";

    public Guid Id { get; private init; }
    public Guid ProcessId { get; private init; }
    public decimal BudgetCeiling { get; private init; }
    public string Rule { get; private init; } = GreedyRule;
    public IReadOnlyList<ListedProject> Items { get; private init; } = [];
    public decimal Total => Items.Sum(i => i.Cost);

    /// <summary>
    /// Ranks by the technical team's score and funds greedily within the ceiling (DESIGN.md §6); where the
    /// process's criteria matrix has scores, by their weighted totals instead, and the rule says so
    /// (<see cref="CriteriaGreedyRule"/>). Refused while any proposal still waits for its assessment, or any
    /// viable one for its criteria scores: a list must not silently leave one out.
    /// Prioritisation closes Concertation, so it happens in that stage and in no other.
    /// </summary>
    public static (PrioritizedList List, ListPrioritized Prioritized) Prioritize(ProcessCopy process, IReadOnlyList<AssessedProposal> proposals, DateTimeOffset now,
        CriteriaRanking? byCriteria = null)
    {
        StageRule.Require(process.Stage, "Prioritisation", Stage.Concertation);
        var pending = proposals.Count(p => p.Status == ProposalStatus.Submitted);
        if (pending > 0)
        {
            throw new ConflictException("processId", $"{pending} proposal(s) still wait for the technical assessment");
        }
        // Viable at their own cost or at the technical team's adjusted one: the list funds the cost that will be spent.
        var viable = proposals.Where(p => p.Status == ProposalStatus.Viable).ToDictionary(p => p.Id.ToString());
        if (viable.Count == 0)
        {
            throw new ConflictException("processId", "No viable proposal to prioritise");
        }
        var rule = GreedyRule;
        var scores = viable.ToDictionary(p => p.Key, p => p.Value.Score ?? 0m);
        if (byCriteria is { AnyScored: true })
        {
            var unscored = byCriteria.Proposals.Count(p => p.WeightedTotal is null);
            if (unscored > 0)
            {
                throw new ConflictException("processId", $"{unscored} viable proposal(s) have no criteria scores yet");
            }
            rule = CriteriaGreedyRule;
            scores = byCriteria.Proposals.ToDictionary(p => p.ProposalId.ToString(), p => p.WeightedTotal!.Value);
        }
        var selected = ScoredAllocation.Greedy(process.BudgetCeiling,
            viable.Values.Select(p => new ScoredProject(p.Id.ToString(), p.EffectiveCost, scores[p.Id.ToString()])));
        var items = selected.Select(id => viable[id]).Select((p, i) => new ListedProject(p.Id, p.Title, p.EffectiveCost, scores[p.Id.ToString()], i + 1)).ToList();
        return Listed(process, rule, items, now);
    }

    /// <summary>The agents voted: the list is what the process's rule funded from their ballots, in the order it funded them.</summary>
    public static (PrioritizedList List, ListPrioritized Prioritized) FromVote(ProcessCopy process, VotingRound round, AllocationOutcome outcome, DateTimeOffset now)
    {
        StageRule.Require(process.Stage, "Prioritisation", Stage.Concertation);
        if (round.ClosedAt is null)
        {
            throw new ConflictException("roundId", "The agents' vote is still open: close it, and the list is its result");
        }
        var projects = round.Projects.ToDictionary(p => p.ProposalId.ToString());
        var scores = outcome.Projects.ToDictionary(p => p.Id, p => p.Score);
        var items = outcome.Selected.Select((id, i) => new ListedProject(projects[id].ProposalId, projects[id].Title, projects[id].Cost, scores[id], i + 1)).ToList();
        if (items.Count == 0)
        {
            throw new ConflictException("roundId", "The vote funded no project");
        }
        return Listed(process, process.Rules?.AllocationRule ?? GreedyRule, items, now);
    }

    private static (PrioritizedList List, ListPrioritized Prioritized) Listed(ProcessCopy process, string rule, IReadOnlyList<ListedProject> items, DateTimeOffset now)
    {
        var list = new PrioritizedList { Id = Guid.CreateVersion7(now), ProcessId = process.Id, BudgetCeiling = process.BudgetCeiling, Rule = rule, Items = items };
        return (list, new ListPrioritized
        {
            ProcessId = process.Id,
            Jurisdiction = process.Jurisdiction,
            ListId = list.Id,
            Level = process.Level,
            FiscalYear = process.FiscalYear,
            BudgetCeiling = list.BudgetCeiling,
            Rule = list.Rule,
            Projects = items,
        });
    }
}
