using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Processes;
using PBServices.Contracts;
using PBServices.Coordination.Domain;

namespace PBServices.UnitTests.Coordination;

public sealed class CommitteeElectionTests
{
    private static readonly DateTimeOffset Now = new(2026, 9, 20, 15, 0, 0, TimeSpan.Zero);
    private static readonly Guid ProcessId = Guid.CreateVersion7();
    private const string Jurisdiction = "180301";
    private static readonly ProcessStage InFormalization = new(ProcessId, Jurisdiction, Stage.Formalization);

    private static AccreditedAgent Agent(string name, params QuotaGroup[] groups) =>
        new(Guid.CreateVersion7(), ProcessId, name, "Junta vecinal", Jurisdiction, groups, Revoked: false);

    /// <summary>Candidates nominated a minute apart, in the order given: the earlier nomination wins a tie.</summary>
    private static CommitteeElection WithCandidates(CommitteeRules rules, params AccreditedAgent[] agents)
    {
        var nominating = CommitteeElection.Restore(ProcessId, Jurisdiction, rules, [], 0, [], null);
        var candidates = agents.Select((a, i) => nominating.Nominate(InFormalization, a, null, Now.AddMinutes(i))).ToList();
        return CommitteeElection.Restore(ProcessId, Jurisdiction, rules, candidates, ballots: 5, [], null);
    }

    private static Dictionary<Guid, int> Votes(params (AccreditedAgent Agent, int Votes)[] votes) => votes.ToDictionary(v => v.Agent.AgentId, v => v.Votes);

    [Fact]
    public void The_best_voted_candidates_take_the_seats_in_order_of_their_votes()
    {
        var (ana, beto, carla, dario, elena) = (Agent("Ana"), Agent("Beto"), Agent("Carla"), Agent("Darío"), Agent("Elena"));
        var election = WithCandidates(new(4, []), ana, beto, carla, dario, elena);

        var members = election.Close(InFormalization, Votes((ana, 2), (beto, 9), (carla, 5), (dario, 7), (elena, 1)), Now);

        Assert.Equal(["Beto", "Darío", "Carla", "Ana"], members.Select(m => m.FullName));
        Assert.Equal([1, 2, 3, 4], members.Select(m => m.Seat));
        Assert.All(members, m => Assert.Null(m.Quota));
        Assert.Equal(ElectionStatus.Elected, election.Status);
    }

    [Fact]
    public void A_tie_for_the_last_seat_goes_to_the_earlier_nomination()
    {
        var (ana, beto, carla, dario, elena) = (Agent("Ana"), Agent("Beto"), Agent("Carla"), Agent("Darío"), Agent("Elena"));
        var election = WithCandidates(new(4, []), ana, beto, carla, dario, elena);

        var members = election.Close(InFormalization, Votes((ana, 5), (beto, 5), (carla, 5), (dario, 3), (elena, 3)), Now);

        Assert.Equal(["Ana", "Beto", "Carla", "Darío"], members.Select(m => m.FullName));
    }

    [Fact]
    public void A_quota_short_of_its_seats_gives_them_to_its_best_voted_members_in_place_of_the_lowest_voted_others()
    {
        var (ana, rosa, beto, carlos, dario, eva, flor) = (Agent("Ana", QuotaGroup.Women), Agent("Rosa", QuotaGroup.Women), Agent("Beto"), Agent("Carlos"),
            Agent("Darío"), Agent("Eva", QuotaGroup.Women), Agent("Flor", QuotaGroup.Women));
        var election = WithCandidates(new(5, [new Quota(SeatBody.OversightCommittee, QuotaGroup.Women, 3)]), ana, rosa, beto, carlos, dario, eva, flor);

        // By votes alone: Beto, Carlos, Darío, Ana, Eva — two women of three.
        var members = election.Close(InFormalization, Votes((beto, 10), (carlos, 9), (dario, 8), (ana, 7), (eva, 6), (flor, 5), (rosa, 1)), Now);

        Assert.Equal(["Beto", "Carlos", "Ana", "Eva", "Flor"], members.Select(m => m.FullName));
        Assert.Equal(QuotaGroup.Women, members.Single(m => m.FullName == "Flor").Quota);
        Assert.Equal(3, members.Count(m => m.FullName is "Ana" or "Eva" or "Flor"));
    }

    [Fact]
    public void A_quota_its_candidates_cannot_meet_is_refused_naming_it_and_nothing_is_elected()
    {
        var agents = new[] { Agent("Ana", QuotaGroup.Women), Agent("Beto"), Agent("Carlos"), Agent("Darío"), Agent("Ernesto") };
        var election = WithCandidates(new(4, [new Quota(SeatBody.OversightCommittee, QuotaGroup.Women, 2)]), agents);

        var e = Assert.Throws<ConflictException>(() => election.Close(InFormalization, Votes(), Now));

        Assert.Equal("quota", e.Field);
        Assert.Contains("Women quota reserves 2", e.Message);
        Assert.Empty(election.Members);
        Assert.Equal(ElectionStatus.Voting, election.Status);
    }

    [Fact]
    public void Two_quotas_that_cannot_share_the_seats_are_refused()
    {
        var women = new[] { Agent("Ana", QuotaGroup.Women), Agent("Eva", QuotaGroup.Women), Agent("Flor", QuotaGroup.Women) };
        var youth = new[] { Agent("Beto", QuotaGroup.Youth), Agent("Carlos", QuotaGroup.Youth) };
        var election = WithCandidates(new(4, [new Quota(SeatBody.OversightCommittee, QuotaGroup.Women, 3), new Quota(SeatBody.OversightCommittee, QuotaGroup.Youth, 2)]),
            [.. women, .. youth]);

        var e = Assert.Throws<ConflictException>(() => election.Close(InFormalization, Votes(), Now));

        Assert.Equal("quota", e.Field);
        Assert.Contains("Youth", e.Message);
    }

    [Fact]
    public void A_committee_with_fewer_candidates_than_seats_is_refused()
    {
        var election = WithCandidates(new(5, []), Agent("Ana"), Agent("Beto"), Agent("Carla"), Agent("Darío"));

        var e = Assert.Throws<ConflictException>(() => election.Close(InFormalization, Votes(), Now));

        Assert.Equal("candidates", e.Field);
        Assert.Contains("4 candidate(s) for 5 seats", e.Message);
    }

    [Fact]
    public void The_committee_has_at_least_four_seats_whatever_older_rules_say()
    {
        Assert.Equal(4, CommitteeRules.Of(null).Seats);
        var rules = new ProcessRules(2, false, BallotFormat.Approval, "greedy", 6, 0, 0,
            [new Quota(SeatBody.OversightCommittee, QuotaGroup.Women, 3), new Quota(SeatBody.Delegates, QuotaGroup.Women, 1)]);
        var committee = CommitteeRules.Of(rules);
        Assert.Equal(6, committee.Seats);
        Assert.Equal([new Quota(SeatBody.OversightCommittee, QuotaGroup.Women, 3)], committee.Quotas);
        Assert.Equal(4, CommitteeRules.Of(rules with { OversightCommitteeSize = 3 }).Seats);
    }

    [Fact]
    public void A_candidate_residing_outside_the_jurisdiction_is_refused()
    {
        var election = CommitteeElection.Restore(ProcessId, Jurisdiction, new(4, []), [], 0, [], null);

        var e = Assert.Throws<DomainException>(() => election.Nominate(InFormalization, Agent("Ana"), "180101", Now));

        Assert.Equal("residence", e.Field);
        Assert.Contains("not within the jurisdiction 180301", e.Message);
        Assert.Equal("180301", election.Nominate(InFormalization, Agent("Beto"), null, Now).Residence);
    }

    [Fact]
    public void A_province_holds_its_districts_and_a_region_its_provinces()
    {
        Assert.True(CommitteeElection.Within("180300", "180301"));
        Assert.False(CommitteeElection.Within("180300", "180101"));
        Assert.True(CommitteeElection.Within("180000", "180101"));
        Assert.False(CommitteeElection.Within("180301", "180302"));
    }

    [Fact]
    public void A_revoked_agent_is_not_a_candidate_and_an_agent_not_present_does_not_vote()
    {
        var revoked = Agent("Ana") with { Revoked = true };
        var empty = CommitteeElection.Restore(ProcessId, Jurisdiction, new(4, []), [], 0, [], null);
        Assert.Equal("agentId", Assert.Throws<ConflictException>(() => empty.Nominate(InFormalization, revoked, null, Now)).Field);

        var election = WithCandidates(new(4, []), Agent("Beto"), Agent("Carla"), Agent("Darío"), Agent("Elena"));
        Assert.Throws<ForbiddenException>(() => election.Cast(InFormalization, Agent("Flor"), present: false, [election.Candidates[0].AgentId]));
    }

    [Fact]
    public void A_ballot_approves_from_one_to_as_many_candidates_as_seats_each_once()
    {
        var election = WithCandidates(new(4, []), Agent("Ana"), Agent("Beto"), Agent("Carla"), Agent("Darío"), Agent("Elena"));
        var voter = Agent("Flor");
        var ids = election.Candidates.Select(c => c.AgentId).ToList();

        Assert.Equal("candidates", Assert.Throws<DomainException>(() => election.Cast(InFormalization, voter, true, [])).Field);
        Assert.Equal("candidates", Assert.Throws<DomainException>(() => election.Cast(InFormalization, voter, true, ids)).Field);
        Assert.Equal("candidates[1]", Assert.Throws<DomainException>(() => election.Cast(InFormalization, voter, true, [ids[0], ids[0]])).Field);
        Assert.Equal("candidates[0]", Assert.Throws<DomainException>(() => election.Cast(InFormalization, voter, true, [Guid.NewGuid()])).Field);
        Assert.Equal(ids.Take(4), election.Cast(InFormalization, voter, true, ids.Take(4).ToList()));
    }

    [Fact]
    public void Nominations_close_with_the_first_ballot_and_everything_with_the_result()
    {
        var election = WithCandidates(new(4, []), Agent("Ana"), Agent("Beto"), Agent("Carla"), Agent("Darío"));
        Assert.Equal("agentId", Assert.Throws<ConflictException>(() => election.Nominate(InFormalization, Agent("Elena"), null, Now)).Field);

        election.Close(InFormalization, Votes(), Now);

        Assert.Equal("committee", Assert.Throws<ConflictException>(() => election.Close(InFormalization, Votes(), Now)).Field);
        Assert.Equal("committee", Assert.Throws<ConflictException>(() => election.Cast(InFormalization, Agent("Flor"), true, [election.Candidates[0].AgentId])).Field);
    }

    [Fact]
    public void The_election_happens_in_Formalization()
    {
        var election = CommitteeElection.Restore(ProcessId, Jurisdiction, new(4, []), [], 0, [], null);

        var e = Assert.Throws<ConflictException>(() => election.Nominate(InFormalization with { Stage = Stage.Coordination }, Agent("Ana"), null, Now));

        Assert.Equal("stage", e.Field);
    }
}
