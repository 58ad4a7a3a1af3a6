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

    public Guid Id { get; private init; }
    public Guid ProcessId { get; private init; }
    public decimal BudgetCeiling { get; private init; }
    public string Rule { get; private init; } = GreedyRule;
    public IReadOnlyList<ListedProject> Items { get; private init; } = [];
    public decimal Total => Items.Sum(i => i.Cost);

    /// <summary>
    /// Ranks by the technical team's criteria score and funds greedily within the ceiling (DESIGN.md §6).
    /// Refused while any proposal still waits for its assessment: a list must not silently leave one out.
    /// Prioritisation closes Concertation, so it happens in that stage and in no other.
    /// </summary>
    public static (PrioritizedList List, ListPrioritized Prioritized) Prioritize(ProcessCopy process, IReadOnlyList<AssessedProposal> proposals, DateTimeOffset now)
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
        var selected = ScoredAllocation.Greedy(process.BudgetCeiling,
            viable.Values.Select(p => new ScoredProject(p.Id.ToString(), p.EffectiveCost, p.Score ?? 0m)));
        var items = selected.Select(id => viable[id]).Select((p, i) => new ListedProject(p.Id, p.Title, p.EffectiveCost, p.Score ?? 0m, i + 1)).ToList();
        return Listed(process, GreedyRule, items, now);
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
