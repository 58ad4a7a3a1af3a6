using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Processes;
using PBServices.Contracts;

namespace PBServices.Coordination.Domain;

/// <summary>Coordination's copy of an accredited agent, kept from registration's events; no DNI ever reaches it.</summary>
public sealed record AccreditedAgent(Guid AgentId, Guid ProcessId, string FullName, string Organisation, string? Territory, IReadOnlyList<QuotaGroup> Groups, bool Revoked);

/// <summary>The committee's size and the quotas on it, from the process's rules (ProcessRules.OversightCommitteeSize, quotas of SeatBody.OversightCommittee).</summary>
public sealed record CommitteeRules(int Seats, IReadOnlyList<Quota> Quotas)
{
    /// <summary>The law's minimum: at least four civil-society members.</summary>
    public const int MinimumSeats = 4;

    /// <summary>Rules published before they travelled with ProcessOpened give the law's minimum and no quota.</summary>
    public static CommitteeRules Of(ProcessRules? rules) => rules is null
        ? new(MinimumSeats, [])
        : new(Math.Max(MinimumSeats, rules.OversightCommitteeSize), (rules.Quotas ?? []).Where(q => q.Body == SeatBody.OversightCommittee).ToList());
}

/// <summary>A nominated agent, with the residence the nomination records and the quota groups registration counted.</summary>
public sealed record Candidate(Guid AgentId, string FullName, string Organisation, string Residence, IReadOnlyList<QuotaGroup> Groups, DateTimeOffset NominatedAt);

/// <summary>A seat of the elected committee; <see cref="Quota"/> names the quota that gave the seat to a candidate the votes alone did not.</summary>
public sealed record CommitteeMember(int Seat, Guid AgentId, string FullName, string Organisation, int Votes, QuotaGroup? Quota);

public enum ElectionStatus
{
    /// <summary>Candidates are nominated; no ballot yet.</summary>
    Nominating,
    /// <summary>The first ballot closed the nominations.</summary>
    Voting,
    Elected,
}

/// <summary>
/// The election of the oversight committee (Comité de Vigilancia) at the formalization workshop. Candidates are
/// accredited agents residing in the jurisdiction; residence is what the nomination declares (registration records
/// no address), the organisation's territory when it declares none, and must lie within the jurisdiction. Each agent
/// recorded present casts one approval ballot for up to as many candidates as there are seats; the first ballot
/// closes the nominations. Closing takes the best-voted candidates, and where a quota falls short gives its seats to
/// the group's best-voted candidates in place of the lowest-voted others. Ties go to the earlier nomination.
/// </summary>
public sealed class CommitteeElection
{
    public Guid ProcessId { get; init; }
    public string Jurisdiction { get; init; } = "";
    public CommitteeRules Rules { get; init; } = new(CommitteeRules.MinimumSeats, []);
    public IReadOnlyList<Candidate> Candidates { get; init; } = [];
    public int Ballots { get; init; }
    public IReadOnlyList<CommitteeMember> Members { get; private set; } = [];
    public DateTimeOffset? ClosedAt { get; private set; }

    public ElectionStatus Status => ClosedAt is not null ? ElectionStatus.Elected : Ballots > 0 ? ElectionStatus.Voting : ElectionStatus.Nominating;

    public Candidate Nominate(ProcessStage process, AccreditedAgent? agent, string? residence, DateTimeOffset now)
    {
        StageRule.Require(process.Stage, "Electing the oversight committee", Stage.Formalization);
        RequireOpen();
        if (Ballots > 0)
        {
            throw new ConflictException("agentId", "Nominations closed with the first ballot");
        }
        if (agent is null || agent.ProcessId != ProcessId || agent.Revoked)
        {
            throw new ConflictException("agentId", "Not an accredited agent of this process: only accredited civil-society agents are candidates");
        }
        if (Candidates.Any(c => c.AgentId == agent.AgentId))
        {
            throw new ConflictException("agentId", $"{agent.FullName} is already a candidate");
        }
        var place = string.IsNullOrWhiteSpace(residence) ? agent.Territory : residence.Trim();
        if (place is null)
        {
            throw new DomainException("residence", "The candidate's organisation has no territory on record: declare the ubigeo of the candidate's residence");
        }
        if (place is not { Length: 6 } || !place.All(char.IsAsciiDigit))
        {
            throw new DomainException("residence", "A six-digit ubigeo");
        }
        if (!Within(Jurisdiction, place))
        {
            throw new DomainException("residence", $"{place} is not within the jurisdiction {Jurisdiction}: members of the committee reside in it");
        }
        return new Candidate(agent.AgentId, agent.FullName, agent.Organisation, place, agent.Groups, now);
    }

    /// <summary>One approval ballot per agent present: at least one candidate, at most one per seat, each once.</summary>
    public IReadOnlyList<Guid> Cast(ProcessStage process, AccreditedAgent? voter, bool present, IReadOnlyList<Guid>? choices)
    {
        StageRule.Require(process.Stage, "Electing the oversight committee", Stage.Formalization);
        RequireOpen();
        if (voter is null || voter.ProcessId != ProcessId || voter.Revoked)
        {
            throw new ForbiddenException("Only accredited agents of this process vote for the oversight committee");
        }
        if (!present)
        {
            throw new ForbiddenException($"{voter.FullName} is not recorded present at the formalization workshop; the officer records who is present");
        }
        if (Candidates.Count < Rules.Seats)
        {
            throw new ConflictException("candidates", $"{Candidates.Count} candidate(s) for {Rules.Seats} seats: nominate at least as many candidates as seats before voting");
        }
        if (choices is null || choices.Count == 0 || choices.Count > Rules.Seats)
        {
            throw new DomainException("candidates", $"Approve from 1 to {Rules.Seats} candidates");
        }
        for (var i = 0; i < choices.Count; i++)
        {
            if (Candidates.All(c => c.AgentId != choices[i]))
            {
                throw new DomainException($"candidates[{i}]", "Not a candidate of this election");
            }
            if (choices.Take(i).Contains(choices[i]))
            {
                throw new DomainException($"candidates[{i}]", "Appears twice: a ballot approves a candidate once");
            }
        }
        return choices;
    }

    /// <summary>Counts the ballots and seats the committee, quotas applied; refused, with nothing changed, when the candidates cannot fill it.</summary>
    public IReadOnlyList<CommitteeMember> Close(ProcessStage process, IReadOnlyDictionary<Guid, int> votes, DateTimeOffset now)
    {
        StageRule.Require(process.Stage, "Electing the oversight committee", Stage.Formalization);
        RequireOpen();
        if (Candidates.Count < Rules.Seats)
        {
            throw new ConflictException("candidates", $"{Candidates.Count} candidate(s) for {Rules.Seats} seats: the committee has at least {Rules.Seats} members");
        }
        if (Ballots == 0)
        {
            throw new ConflictException("ballots", "No ballot has been cast");
        }
        foreach (var quota in Rules.Quotas)
        {
            var members = Candidates.Count(c => c.Groups.Contains(quota.Group));
            if (members < quota.MinimumSeats)
            {
                throw new ConflictException("quota", $"The {quota.Group} quota reserves {quota.MinimumSeats} seats of the committee and only {members} candidate(s) belong to the group");
            }
        }

        int VotesOf(Candidate c) => votes.TryGetValue(c.AgentId, out var n) ? n : 0;
        var ranked = Candidates.OrderByDescending(VotesOf).ThenBy(c => c.NominatedAt).ThenBy(c => c.AgentId).ToList();
        var rank = ranked.Select((c, i) => (c.AgentId, i)).ToDictionary(p => p.AgentId, p => p.i);
        var seated = ranked.Take(Rules.Seats).ToList();
        var byQuota = new Dictionary<Guid, QuotaGroup>();
        bool Counts(Candidate c, Quota q) => c.Groups.Contains(q.Group);
        foreach (var quota in Rules.Quotas)
        {
            while (seated.Count(c => Counts(c, quota)) < quota.MinimumSeats)
            {
                var incoming = ranked.First(c => Counts(c, quota) && !seated.Contains(c));
                // The lowest-voted member outside the group whose seat no other quota needs.
                var outgoing = seated.Where(c => !Counts(c, quota) && Rules.Quotas.All(o => o == quota || !Counts(c, o) || seated.Count(s => Counts(s, o)) > o.MinimumSeats))
                    .OrderByDescending(c => rank[c.AgentId]).FirstOrDefault()
                    ?? throw new ConflictException("quota", $"The {quota.Group} quota ({quota.MinimumSeats} seats) cannot be met together with the other quotas in {Rules.Seats} seats");
                seated.Remove(outgoing);
                seated.Add(incoming);
                byQuota[incoming.AgentId] = quota.Group;
            }
        }
        Members = seated.OrderBy(c => rank[c.AgentId])
            .Select((c, i) => new CommitteeMember(i + 1, c.AgentId, c.FullName, c.Organisation, VotesOf(c), byQuota.TryGetValue(c.AgentId, out var g) ? g : null))
            .ToList();
        ClosedAt = now;
        return Members;
    }

    private void RequireOpen()
    {
        if (ClosedAt is not null)
        {
            throw new ConflictException("committee", "The oversight committee is already elected");
        }
    }

    /// <summary>Whether an ubigeo lies within a jurisdiction: a district within its province and region; PE holds them all.</summary>
    public static bool Within(string jurisdiction, string place) =>
        jurisdiction == "PE"
        || (jurisdiction.EndsWith("0000", StringComparison.Ordinal) ? place[..2] == jurisdiction[..2]
            : jurisdiction.EndsWith("00", StringComparison.Ordinal) ? place[..4] == jurisdiction[..4]
            : place == jurisdiction);

    public static CommitteeElection Restore(Guid processId, string jurisdiction, CommitteeRules rules, IReadOnlyList<Candidate> candidates, int ballots,
        IReadOnlyList<CommitteeMember> members, DateTimeOffset? closedAt) => new()
    {
        ProcessId = processId, Jurisdiction = jurisdiction, Rules = rules, Candidates = candidates, Ballots = ballots, Members = members, ClosedAt = closedAt,
    };
}
