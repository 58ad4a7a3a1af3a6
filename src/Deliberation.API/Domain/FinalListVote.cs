using System.Text.Json.Serialization;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Processes;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.Deliberation.Domain;

[JsonConverter(typeof(JsonStringEnumConverter<FinalChoice>))]
public enum FinalChoice
{
    Approve,
    Reject,
    Abstain,
}

/// <summary>The count of a final-list vote: the list is approved when approvals exceed rejections; abstentions count for neither.</summary>
public sealed record FinalTally(int Approve, int Reject, int Abstain)
{
    public bool Approved => Approve > Reject;

    public int Ballots => Approve + Reject + Abstain;

    public static FinalTally Of(IEnumerable<FinalChoice> choices)
    {
        int approve = 0, reject = 0, abstain = 0;
        foreach (var c in choices)
        {
            _ = c switch
            {
                FinalChoice.Approve => approve++,
                FinalChoice.Reject => reject++,
                _ => abstain++,
            };
        }
        return new FinalTally(approve, reject, abstain);
    }
}

/// <summary>A final-list ballot as stored: a random id, a receipt and the choice, nothing of who cast it.</summary>
public sealed record FinalBallot(Guid Id, string Receipt, FinalChoice Choice);

/// <summary>
/// At the formalization workshop the agents vote on the prioritised list as a whole: approve, reject or abstain,
/// one secret ballot each. Approved, it is the list the agents agreed (<see cref="FinalListVoted"/>); not approved,
/// the process-admin may open another vote.
/// </summary>
public sealed class FinalListVote
{
    public Guid Id { get; private init; }
    public Guid ProcessId { get; private init; }
    public Guid ListId { get; private init; }
    public IReadOnlyList<ListedProject> Projects { get; private init; } = [];
    public DateTimeOffset OpenedAt { get; private init; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public FinalTally? Tally { get; private set; }

    public decimal TotalCost => Projects.Sum(p => p.Cost);

    /// <summary>Opens a vote on the list; <paramref name="earlier"/> are the process's earlier final votes.</summary>
    public static FinalListVote Open(ProcessCopy process, ProcessCalendar? calendar, Guid? listId, IReadOnlyList<ListedProject> projects, IReadOnlyList<FinalListVote> earlier,
        DateTimeOffset now)
    {
        StageRule.Require(process.Stage, "The vote on the final list", Stage.Formalization);
        RequireWindow(calendar, now);
        if (listId is not { } list || projects.Count == 0)
        {
            throw new ConflictException("processId", "The process has no coordinated list to vote on yet: coordination between levels closes it first");
        }
        if (earlier.Any(v => v.ClosedAt is null))
        {
            throw new ConflictException("processId", "A vote on the final list is already open: close it first");
        }
        if (earlier.Any(v => v.Tally?.Approved == true))
        {
            throw new ConflictException("processId", "The agents already approved the final list");
        }
        return new FinalListVote { Id = Guid.CreateVersion7(now), ProcessId = process.Id, ListId = list, Projects = projects, OpenedAt = now };
    }

    public FinalBallot Cast(ProcessCopy process, ProcessCalendar? calendar, Eligibility voter, FinalChoice? choice, DateTimeOffset now)
    {
        if (!voter.MayVote)
        {
            throw new ForbiddenException($"This agent may not vote: {string.Join(", ", voter.Reasons)}");
        }
        RequireOpen(process, calendar, now);
        if (choice is not { } c || !Enum.IsDefined(c))
        {
            throw new DomainException("choice", "Approve, Reject or Abstain");
        }
        return new FinalBallot(Guid.NewGuid(), Receipts.New(), c);
    }

    private void RequireOpen(ProcessCopy process, ProcessCalendar? calendar, DateTimeOffset now)
    {
        if (ClosedAt is not null)
        {
            throw new ConflictException("voteId", $"The vote closed at {ClosedAt:yyyy-MM-dd HH:mm} UTC");
        }
        StageRule.Require(process.Stage, "Voting on the final list", Stage.Formalization);
        RequireWindow(calendar, now);
    }

    /// <summary>Closes and counts the vote; the event is the approved list, null when the agents did not approve it.</summary>
    public FinalListVoted? Close(ProcessCopy process, IEnumerable<FinalChoice> ballots, DateTimeOffset now)
    {
        if (ClosedAt is not null)
        {
            throw new ConflictException("voteId", "The vote is already closed");
        }
        StageRule.Require(process.Stage, "Closing the vote on the final list", Stage.Formalization);
        ClosedAt = now;
        Tally = FinalTally.Of(ballots);
        return Tally.Approved
            ? new FinalListVoted
            {
                ProcessId = process.Id,
                Jurisdiction = process.Jurisdiction,
                ListId = ListId,
                VoteId = Id,
                Level = process.Level,
                FiscalYear = process.FiscalYear,
                Projects = Projects,
                TotalCost = TotalCost,
                Approve = Tally.Approve,
                Reject = Tally.Reject,
                Abstain = Tally.Abstain,
            }
            : null;
    }

    private static void RequireWindow(ProcessCalendar? calendar, DateTimeOffset now)
    {
        var today = DateWindow.DayInPeru(now);
        if (calendar is not null && !calendar.Formalization.Contains(today))
        {
            throw new ConflictException("calendar", $"The final list is voted in Formalization's window, {calendar.Formalization} (Lima); today is {today:yyyy-MM-dd}");
        }
    }

    public static FinalListVote Restore(Guid id, Guid processId, Guid listId, IReadOnlyList<ListedProject> projects, DateTimeOffset openedAt, DateTimeOffset? closedAt,
        FinalTally? tally) => new()
    {
        Id = id,
        ProcessId = processId,
        ListId = listId,
        Projects = projects,
        OpenedAt = openedAt,
        ClosedAt = closedAt,
        Tally = tally,
    };
}
