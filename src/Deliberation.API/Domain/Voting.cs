using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using PBServices.Allocation;
using PBServices.Allocation.Pabulib;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Processes;
using PBServices.Contracts;

namespace PBServices.Deliberation.Domain;

/// <summary>A project on a round's ballot: a viable proposal at the cost the round was opened with.</summary>
public sealed record RoundProject(Guid ProposalId, string Title, decimal Cost);

/// <summary>What one voter chose: project ids in the voter's order, with points for cumulative ballots.</summary>
public sealed record BallotChoice(IReadOnlyList<Guid> Projects, IReadOnlyList<int> Points);

[JsonConverter(typeof(JsonStringEnumConverter<BallotChannel>))]
public enum BallotChannel
{
    Online,
    Paper,
}

/// <summary>
/// A vote of the accredited agents on the viable proposals, in the ballot format the process's rules chose.
/// Open while the process is in Concertation and the calendar's Concertation window holds the day.
/// </summary>
public sealed class VotingRound
{
    public Guid Id { get; private init; }
    public Guid ProcessId { get; private init; }
    public BallotFormat Format { get; private init; }
    /// <summary>Approval: the most a ballot's projects may cost together.</summary>
    public decimal? BudgetLimit { get; private init; }
    /// <summary>Approval and ranked: the most projects on a ballot.</summary>
    public int? MaxProjects { get; private init; }
    /// <summary>Cumulative: the points each voter spreads.</summary>
    public int? Points { get; private init; }
    public IReadOnlyList<RoundProject> Projects { get; private init; } = [];
    public DateTimeOffset OpenedAt { get; private init; }
    public DateTimeOffset? ClosedAt { get; private set; }

    public static VotingRound Open(ProcessCopy process, ProcessCalendar? calendar, IReadOnlyList<AssessedProposal> proposals, decimal? budgetLimit, int? maxProjects,
        int? points, DateTimeOffset now)
    {
        StageRule.Require(process.Stage, "Voting on the proposals", Stage.Concertation);
        RequireWindow(calendar, now);
        var rules = process.Rules ?? throw new ConflictException("processId", "This process was opened before registration published its rules; its ballot format is unknown");
        var pending = proposals.Count(p => p.Status == ProposalStatus.Submitted);
        if (pending > 0)
        {
            throw new ConflictException("processId", $"{pending} proposal(s) still wait for the technical assessment; the ballot lists every viable one");
        }
        var viable = proposals.Where(p => p.Status == ProposalStatus.Viable).Select(p => new RoundProject(p.Id, p.Title, p.EffectiveCost)).ToList();
        if (viable.Count == 0)
        {
            throw new ConflictException("processId", "No viable proposal to vote on");
        }
        if (budgetLimit is { } limit && (rules.BallotFormat != BallotFormat.Approval || limit <= 0 || decimal.Round(limit, 2) != limit))
        {
            throw new DomainException("budgetLimit", "Only approval ballots take a budget limit: a positive amount of soles");
        }
        if (maxProjects is { } max && (rules.BallotFormat is not (BallotFormat.Approval or BallotFormat.Ranked) || max < 1 || max > viable.Count))
        {
            throw new DomainException("maxProjects", $"Approval or ranked ballots only, 1 to {viable.Count} (the viable proposals)");
        }
        if (rules.BallotFormat == BallotFormat.Cumulative ? points is not (>= 1 and <= 1000) : points is not null)
        {
            throw new DomainException("points", rules.BallotFormat == BallotFormat.Cumulative ? "Cumulative ballots need the points each voter spreads, 1 to 1,000" : "Only cumulative ballots have points");
        }
        return new VotingRound
        {
            Id = Guid.CreateVersion7(now),
            ProcessId = process.Id,
            Format = rules.BallotFormat,
            BudgetLimit = budgetLimit,
            MaxProjects = maxProjects,
            Points = points,
            Projects = viable,
            OpenedAt = now,
        };
    }

    private static void RequireWindow(ProcessCalendar? calendar, DateTimeOffset now)
    {
        var today = DateWindow.DayInPeru(now);
        if (calendar is not null && !calendar.Concertation.Contains(today))
        {
            throw new ConflictException("calendar", $"Voting is open in Concertation's window, {calendar.Concertation} (Lima); today is {today:yyyy-MM-dd}");
        }
    }

    /// <summary>Checks a ballot against the round; what it returns is stored, apart from who cast it.</summary>
    public CastBallot Cast(ProcessCopy process, ProcessCalendar? calendar, Eligibility voter, BallotChoice? choice, DateTimeOffset now)
    {
        if (!voter.MayVote)
        {
            throw new ForbiddenException($"This agent may not vote: {string.Join(", ", voter.Reasons)}");
        }
        return Checked(process, calendar, choice, BallotChannel.Online, now);
    }

    /// <summary>
    /// A paper ballot from an in-person workshop, entered by an officer: the workshop checked who voted, so
    /// the ballot is checked like any other and counted as one ballot, in its batch.
    /// </summary>
    public CastBallot EnterPaper(ProcessCopy process, ProcessCalendar? calendar, BallotChoice? choice, DateTimeOffset now) =>
        Checked(process, calendar, choice, BallotChannel.Paper, now);

    private CastBallot Checked(ProcessCopy process, ProcessCalendar? calendar, BallotChoice? choice, BallotChannel channel, DateTimeOffset now)
    {
        RequireOpen(process, calendar, now);
        var projects = choice?.Projects ?? [];
        var points = choice?.Points ?? [];
        var known = Projects.ToDictionary(p => p.ProposalId);
        for (var i = 0; i < projects.Count; i++)
        {
            if (!known.ContainsKey(projects[i]))
            {
                throw new DomainException($"projects[{i}]", $"{projects[i]} is not on this round's ballot");
            }
        }
        if (projects.Distinct().Count() != projects.Count)
        {
            throw new DomainException("projects", "A project appears twice");
        }
        switch (Format)
        {
            case BallotFormat.Plurality when projects.Count != 1:
                throw new DomainException("projects", "A plurality ballot names exactly one project");
            case not BallotFormat.Plurality when projects.Count == 0:
                throw new DomainException("projects", "A ballot names at least one project");
        }
        if (MaxProjects is { } max && projects.Count > max)
        {
            throw new DomainException("projects", $"At most {max} projects on a ballot; this one has {projects.Count}");
        }
        if (BudgetLimit is { } limit && projects.Sum(p => known[p].Cost) is var total && total > limit)
        {
            throw new DomainException("projects", $"The projects chosen cost S/ {total.ToString("N2", CultureInfo.InvariantCulture)}, over the ballot's limit of S/ {limit.ToString("N2", CultureInfo.InvariantCulture)}");
        }
        if (Format == BallotFormat.Cumulative)
        {
            if (points.Count != projects.Count || points.Any(p => p < 1))
            {
                throw new DomainException("points", "One positive number of points for each project, in the same order");
            }
            if (points.Sum() > Points)
            {
                throw new DomainException("points", $"At most {Points} points in all; this ballot gives {points.Sum()}");
            }
        }
        else if (points.Count > 0)
        {
            throw new DomainException("points", $"{Format} ballots carry no points");
        }
        return new CastBallot(Guid.NewGuid(), Receipts.New(), new BallotChoice(projects, Format == BallotFormat.Cumulative ? points : []), channel);
    }

    public void RequireOpen(ProcessCopy process, ProcessCalendar? calendar, DateTimeOffset now)
    {
        if (ClosedAt is not null)
        {
            throw new ConflictException("roundId", $"The round closed at {ClosedAt:yyyy-MM-dd HH:mm} UTC");
        }
        StageRule.Require(process.Stage, "Voting", Stage.Concertation);
        RequireWindow(calendar, now);
    }

    public void Close(ProcessCopy process, DateTimeOffset now)
    {
        if (ClosedAt is not null)
        {
            throw new ConflictException("roundId", "The round is already closed");
        }
        StageRule.Require(process.Stage, "Closing a vote", Stage.Concertation);
        ClosedAt = now;
    }

    public static VotingRound Restore(Guid id, Guid processId, string format, decimal? budgetLimit, int? maxProjects, int? points, IReadOnlyList<RoundProject> projects,
        DateTimeOffset openedAt, DateTimeOffset? closedAt) => new()
    {
        Id = id,
        ProcessId = processId,
        Format = Enum.Parse<BallotFormat>(format),
        BudgetLimit = budgetLimit,
        MaxProjects = maxProjects,
        Points = points,
        Projects = projects,
        OpenedAt = openedAt,
        ClosedAt = closedAt,
    };
}

/// <summary>The same ballots counted greedily: what it funds, and how many voters each outcome serves better.</summary>
public sealed record GreedyComparison(IReadOnlyList<string> GreedySelected, decimal GreedySpent, int PreferThisOutcome, int PreferGreedy, int Indifferent);

/// <summary>A ballot as stored: a random id and a receipt, nothing of who cast it or when.</summary>
public sealed record CastBallot(Guid Id, string Receipt, BallotChoice Choice, BallotChannel Channel = BallotChannel.Online);

/// <summary>Receipt codes: 60 random bits in Crockford's base 32, grouped for reading aloud (e.g. 7KQ4-M2XD-9HTE).</summary>
public static class Receipts
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New()
    {
        Span<byte> random = stackalloc byte[12];
        RandomNumberGenerator.Fill(random);
        var code = new StringBuilder(14);
        for (var i = 0; i < 12; i++)
        {
            if (i is 4 or 8)
            {
                code.Append('-');
            }
            code.Append(Alphabet[random[i] & 31]);
        }
        return code.ToString();
    }

    public static bool IsWellFormed(string? code) =>
        code is { Length: 14 } && code[4] == '-' && code[9] == '-' && code.Where((c, i) => i is not (4 or 9)).All(c => Alphabet.Contains(c));
}

/// <summary>
/// A closed round as a Pabulib election: the open data anyone downloads, and exactly what the allocation
/// library counts, so a published result can be recomputed with pbtool from the file alone.
/// </summary>
public static class RoundElection
{
    public static string ToPabulib(ProcessCopy process, VotingRound round, IReadOnlyList<CastBallot> ballots)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append("META\nkey;value\n");
        text.Append(inv, $"description;{Clean(process.Name)}\ncountry;Peru\nunit;{process.Jurisdiction}\ninstance;{process.FiscalYear}\n");
        text.Append(inv, $"num_projects;{round.Projects.Count}\nnum_votes;{ballots.Count}\nbudget;{process.BudgetCeiling.ToString(inv)}\n");
        text.Append(inv, $"vote_type;{VoteTypeOf(round.Format).ToPabulib()}\nrule;{process.Rules?.AllocationRule ?? "greedy"}\ncurrency;PEN\nlanguage;es\n");
        if (round.MaxProjects is { } max)
        {
            text.Append(inv, $"max_length;{max}\n");
        }
        if (round.Points is { } points)
        {
            text.Append(inv, $"max_sum_points;{points}\n");
        }
        text.Append("PROJECTS\nproject_id;cost;name\n");
        foreach (var p in round.Projects)
        {
            text.Append(inv, $"{p.ProposalId};{p.Cost.ToString(inv)};{Clean(p.Title)}\n");
        }
        text.Append(round.Format == BallotFormat.Cumulative ? "VOTES\nvoter_id;vote;points\n" : "VOTES\nvoter_id;vote\n");
        // Ordered by receipt, a random code: the file says nothing of the order ballots were cast in.
        foreach (var b in ballots.OrderBy(b => b.Receipt, StringComparer.Ordinal))
        {
            text.Append(inv, $"{b.Receipt};{string.Join(',', b.Choice.Projects)}");
            if (round.Format == BallotFormat.Cumulative)
            {
                text.Append(inv, $";{string.Join(',', b.Choice.Points)}");
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The round's open data and its count by the process's rule: what the result shows and the list takes.</summary>
    public static (string Pabulib, AllocationOutcome Outcome) Count(ProcessCopy process, VotingRound round, IReadOnlyList<CastBallot> ballots)
    {
        var pabulib = ToPabulib(process, round, ballots);
        return (pabulib, Allocate(pabulib, process.Rules?.AllocationRule ?? PrioritizedList.GreedyRule));
    }

    /// <summary>Counts a Pabulib election with a rule named as pbtool names it.</summary>
    public static AllocationOutcome Allocate(string pabulib, string rule) =>
        Allocator.Allocate(PbReader.ReadString(pabulib), RuleOf(rule));

    /// <summary>
    /// How many voters are better off under each outcome, as equalshares.net reports it: a voter's gain is the
    /// number of their projects funded (their points on funded projects, for cumulative ballots).
    /// </summary>
    public static GreedyComparison CompareWithGreedy(string pabulib, AllocationOutcome outcome, IReadOnlyList<CastBallot> ballots)
    {
        var greedy = Allocator.Allocate(PbReader.ReadString(pabulib), AllocationRule.Greedy);
        var ours = outcome.Selected.ToHashSet();
        var theirs = greedy.Selected.ToHashSet();
        int prefer = 0, preferGreedy = 0;
        foreach (var b in ballots)
        {
            var (mine, greedys) = (Gain(b, ours), Gain(b, theirs));
            prefer += mine > greedys ? 1 : 0;
            preferGreedy += greedys > mine ? 1 : 0;
        }
        return new GreedyComparison(greedy.Selected, greedy.Spent, prefer, preferGreedy, ballots.Count - prefer - preferGreedy);
    }

    private static int Gain(CastBallot b, HashSet<string> funded) =>
        b.Choice.Projects.Select((p, i) => funded.Contains(p.ToString()) ? (b.Choice.Points.Count > 0 ? b.Choice.Points[i] : 1) : 0).Sum();

    public static AllocationRule RuleOf(string rule) =>
        AllocationRules.TryParse(rule, out var r) ? r : throw new ConflictException("rules.allocationRule", $"Unknown allocation rule '{rule}'");

    public static VoteType VoteTypeOf(BallotFormat format) => format switch
    {
        BallotFormat.Approval => VoteType.Approval,
        BallotFormat.Ranked => VoteType.Ordinal,
        BallotFormat.Cumulative => VoteType.Cumulative,
        _ => VoteType.ChooseOne,
    };

    // The format separates fields with ';' and lines with newlines.
    private static string Clean(string s) => s.Replace(';', ',').Replace('\n', ' ').Replace('\r', ' ');
}
