using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Deliberation.Domain;

namespace PBServices.UnitTests.Deliberation;

public sealed class FinalListVoteTests
{
    // 10:00 in Lima on 5 August 2026, inside Formalization's window below.
    private static readonly DateTimeOffset Now = new(2026, 8, 5, 15, 0, 0, TimeSpan.Zero);
    private static readonly DateWindow Day = new(new DateOnly(2026, 1, 5), new DateOnly(2026, 1, 5));
    private static readonly ProcessCalendar Calendar = new(Day, Day, Day, Day, Day,
        new DateWindow(new DateOnly(2026, 5, 4), new DateOnly(2026, 6, 30)), new(new(2026, 7, 1), new(2026, 7, 31)),
        new(new(2026, 8, 3), new(2026, 8, 7)), new(new(2026, 8, 10), new(2026, 8, 14)), new(new(2026, 8, 17), new(2027, 12, 31)));
    private static readonly Guid ListId = Guid.CreateVersion7();
    private static readonly IReadOnlyList<ListedProject> List =
    [
        new(Guid.CreateVersion7(), "Agua potable Pampa Inalámbrica", 1_200_000m, 9m, 1),
        new(Guid.CreateVersion7(), "Posta médica Miramar", 450_000m, 7m, 2),
    ];
    private static readonly Eligibility Voter = new(Guid.CreateVersion7(), true, true, true, true, []);

    private static ProcessCopy Process(Stage stage = Stage.Formalization) =>
        new(Guid.CreateVersion7(), "180300", "PP Ilo 2027", 2027, GovernmentLevel.Province, 2_500_000m, stage, new ProcessRules(2, true, BallotFormat.Approval, "mes-add1", 5, 4, 5, []));

    private static FinalListVote Open(ProcessCopy process, params FinalListVote[] earlier) => FinalListVote.Open(process, Calendar, ListId, List, earlier, Now);

    private static FinalChoice[] Choices(int approve, int reject, int abstain) =>
        [.. Enumerable.Repeat(FinalChoice.Approve, approve), .. Enumerable.Repeat(FinalChoice.Reject, reject), .. Enumerable.Repeat(FinalChoice.Abstain, abstain)];

    [Theory]
    [InlineData(5, 4, 0, true)]
    [InlineData(3, 1, 9, true)] // abstentions count for neither side
    [InlineData(4, 4, 1, false)] // a tie does not approve
    [InlineData(2, 5, 0, false)]
    [InlineData(0, 0, 3, false)]
    public void The_list_is_approved_when_approvals_exceed_rejections(int approve, int reject, int abstain, bool approved)
    {
        var process = Process();
        var vote = Open(process);

        var voted = vote.Close(process, Choices(approve, reject, abstain), Now);

        Assert.Equal(new FinalTally(approve, reject, abstain), vote.Tally);
        Assert.Equal(approved, vote.Tally!.Approved);
        Assert.Equal(approved, voted is not null);
    }

    [Fact]
    public void An_approved_list_is_published_with_its_projects_costs_and_count()
    {
        var process = Process();
        var vote = Open(process);

        var voted = Assert.IsType<Contracts.IntegrationEvents.FinalListVoted>(vote.Close(process, Choices(6, 2, 1), Now));

        Assert.Equal((process.Id, "180300", ListId, vote.Id), (voted.ProcessId, voted.Jurisdiction, voted.ListId, voted.VoteId));
        Assert.Equal(List, voted.Projects);
        Assert.Equal(1_650_000m, voted.TotalCost);
        Assert.Equal((6, 2, 1), (voted.Approve, voted.Reject, voted.Abstain));
    }

    [Fact]
    public void The_vote_happens_in_Formalization_s_window_on_an_existing_list()
    {
        Assert.Equal("stage", Assert.Throws<ConflictException>(() => Open(Process(Stage.Coordination))).Field);
        Assert.Equal("calendar", Assert.Throws<ConflictException>(() => FinalListVote.Open(Process(), Calendar, ListId, List, [], Now.AddDays(10))).Field);
        Assert.Equal("processId", Assert.Throws<ConflictException>(() => FinalListVote.Open(Process(), Calendar, null, [], [], Now)).Field);
    }

    [Fact]
    public void A_rejected_list_may_be_voted_again_but_an_open_or_approved_vote_blocks_another()
    {
        var process = Process();
        var first = Open(process);
        Assert.Contains("already open", Assert.Throws<ConflictException>(() => Open(process, first)).Message);
        first.Close(process, Choices(1, 3, 0), Now);

        var second = Open(process, first);
        second.Close(process, Choices(4, 1, 0), Now);

        Assert.Contains("already approved", Assert.Throws<ConflictException>(() => Open(process, first, second)).Message);
    }

    [Fact]
    public void A_ballot_needs_an_eligible_voter_a_choice_and_an_open_vote()
    {
        var process = Process();
        var vote = Open(process);
        var untrained = Voter with { MayVote = false, Reasons = [IneligibilityReason.TrainingNotAttended] };

        var ballot = vote.Cast(process, Calendar, Voter, FinalChoice.Reject, Now);

        Assert.True(Receipts.IsWellFormed(ballot.Receipt), ballot.Receipt);
        Assert.Equal(4, ballot.Id.Version);
        Assert.Contains("TrainingNotAttended", Assert.Throws<ForbiddenException>(() => vote.Cast(process, Calendar, untrained, FinalChoice.Approve, Now)).Message);
        Assert.Equal("choice", Assert.Throws<DomainException>(() => vote.Cast(process, Calendar, Voter, null, Now)).Field);
        Assert.Equal("choice", Assert.Throws<DomainException>(() => vote.Cast(process, Calendar, Voter, (FinalChoice)7, Now)).Field);
        vote.Close(process, [ballot.Choice], Now);
        Assert.Equal("voteId", Assert.Throws<ConflictException>(() => vote.Cast(process, Calendar, Voter, FinalChoice.Approve, Now)).Field);
        Assert.Equal("voteId", Assert.Throws<ConflictException>(() => vote.Close(process, [], Now)).Field);
    }
}
