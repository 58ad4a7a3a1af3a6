using System.Text;
using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Deliberation.Domain;

namespace PBServices.UnitTests.Deliberation;

public sealed class PaperBallotImportTests
{
    // 10:00 in Lima on 1 June 2026, inside Concertation's window below.
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 15, 0, 0, TimeSpan.Zero);
    private static readonly DateWindow Day = new(new DateOnly(2026, 1, 5), new DateOnly(2026, 1, 5));
    private static readonly ProcessCalendar Calendar = new(Day, Day, Day, Day, Day,
        new DateWindow(new DateOnly(2026, 5, 4), new DateOnly(2026, 6, 30)), new(new(2026, 7, 1), new(2026, 7, 31)),
        new(new(2026, 8, 3), new(2026, 8, 7)), new(new(2026, 8, 10), new(2026, 8, 14)), new(new(2026, 8, 17), new(2027, 12, 31)));
    private static readonly Guid ProcessId = Guid.CreateVersion7();

    private static readonly AssessedProposal Water = new(Guid.CreateVersion7(), "Agua potable Pampa Inalámbrica", 1_200_000m, ProposalStatus.Viable, 88m);
    private static readonly AssessedProposal Road = new(Guid.CreateVersion7(), "Pistas y veredas El Algarrobal", 900_000m, ProposalStatus.Viable, 74m);
    private static readonly AssessedProposal Clinic = new(Guid.CreateVersion7(), "Posta médica Miramar", 450_000m, ProposalStatus.Viable, 81m);

    private static ProcessCopy Process(BallotFormat format = BallotFormat.Approval) =>
        new(ProcessId, "180300", "PP Ilo 2027", 2027, GovernmentLevel.Province, 2_500_000m, Stage.Concertation, new ProcessRules(2, true, format, "mes-add1", 5, 4, 5, []));

    private static VotingRound Round(BallotFormat format = BallotFormat.Approval, decimal? budgetLimit = null, int? points = null) =>
        VotingRound.Open(Process(format), Calendar, [Water, Road, Clinic], budgetLimit, null, points, Now);

    private static PaperBatch Import(VotingRound round, string file, BallotFormat format = BallotFormat.Approval) =>
        PaperBallotImport.Import(Process(format), Calendar, round, "Taller de Pampa Inalámbrica, mesa 2", Encoding.UTF8.GetBytes(file), Now);

    private static DomainException Refused(VotingRound round, string file, BallotFormat format = BallotFormat.Approval) =>
        Assert.Throws<DomainException>(() => Import(round, file, format));

    [Fact]
    public void A_csv_row_is_one_paper_ballot_naming_projects_by_id_or_by_their_number_on_the_ballot()
    {
        var round = Round();

        var batch = Import(round, $"projects\r\n{Water.Id};{Clinic.Id}\r\n2\r\n\"3; 1\"\r\n\r\n");

        Assert.Equal(PaperFileFormat.Csv, batch.Format);
        Assert.Equal([2, 3, 4], batch.Ballots.Select(b => b.Line));
        Assert.Equal([Water.Id, Clinic.Id], batch.Ballots[0].Ballot.Choice.Projects);
        Assert.Equal([Road.Id], batch.Ballots[1].Ballot.Choice.Projects);
        Assert.Equal([Clinic.Id, Water.Id], batch.Ballots[2].Ballot.Choice.Projects);
        Assert.All(batch.Ballots, b => Assert.Equal(BallotChannel.Paper, b.Ballot.Channel));
        Assert.Equal(3, batch.Ballots.Select(b => b.Ballot.Receipt).Distinct().Count());
        Assert.Matches("^[0-9a-f]{64}$", batch.Sha256);
    }

    [Fact]
    public void One_bad_row_refuses_the_file_naming_its_line_and_field()
    {
        var round = Round(budgetLimit: 2_000_000m);

        var duplicate = Refused(round, "projects\n1\n2;2\n3\n");
        Assert.Equal("lines[3].projects", duplicate.Field);
        Assert.Contains("Line 3: A project appears twice", duplicate.Message);

        Assert.Equal("lines[4].projects[1]", Refused(round, "projects\n1\n2\n3;4\n").Field);
        Assert.Equal("lines[2].projects[0]", Refused(round, "projects\nagua\n").Field);
        Assert.Equal("lines[3].projects[0]", Refused(round, $"projects\n1\n{Guid.NewGuid()}\n").Field);
        var over = Refused(round, "projects\n1;2\n");
        Assert.Equal("lines[2].projects", over.Field);
        Assert.Contains("over the ballot's limit", over.Message);
        Assert.Equal("lines[3].projects", Refused(round, "projects,points\n1,\n,\n").Field);
        Assert.Equal("lines[2].points", Refused(round, "projects,points\n1,5\n").Field);
        Assert.Equal("lines[1].voter", Refused(round, "voter,projects\n17,1\n").Field);
        Assert.Equal("lines[2].columns", Refused(round, "projects\n1,2\n").Field);
        Assert.Equal("lines[2].quote", Refused(round, "projects\n\"1;2\n").Field);
        Assert.Equal("file", Refused(round, "projects\n").Field);
    }

    [Fact]
    public void Cumulative_rows_carry_their_points_in_the_order_of_the_projects()
    {
        var round = Round(BallotFormat.Cumulative, points: 10);

        var batch = Import(round, "points,projects\n7;3,1;3\n", BallotFormat.Cumulative);

        Assert.Equal([Water.Id, Clinic.Id], batch.Ballots.Single().Ballot.Choice.Projects);
        Assert.Equal([7, 3], batch.Ballots.Single().Ballot.Choice.Points);
        var over = Refused(round, "projects,points\n1;2,6;5\n", BallotFormat.Cumulative);
        Assert.Equal("lines[2].points", over.Field);
        Assert.Contains("At most 10 points", over.Message);
        Assert.Equal("lines[2].points[1]", Refused(round, "projects,points\n1;2,6;x\n", BallotFormat.Cumulative).Field);
    }

    private static string Pabulib(VotingRound round, string votes, string? projects = null, string voteType = "approval") =>
        "META\nkey;value\ndescription;Taller\ncountry;Peru\nunit;180300\ninstance;2027\nnum_projects;3\nnum_votes;2\nbudget;2500000\n" +
        $"vote_type;{voteType}\nrule;greedy\nPROJECTS\nproject_id;cost;name\n" +
        (projects ?? string.Concat(round.Projects.Select(p => $"{p.ProposalId};{p.Cost};{p.Title}\n"))) +
        "VOTES\nvoter_id;vote\n" + votes;

    [Fact]
    public void A_pabulib_file_s_votes_become_anonymous_paper_ballots()
    {
        var round = Round();

        var batch = Import(round, Pabulib(round, $"ana-17;{Water.Id},{Road.Id}\n\nluis-04;{Clinic.Id}\n"));

        Assert.Equal(PaperFileFormat.Pabulib, batch.Format);
        Assert.Equal([19, 21], batch.Ballots.Select(b => b.Line));
        Assert.Equal([Water.Id, Road.Id], batch.Ballots[0].Ballot.Choice.Projects);
        Assert.Equal([Clinic.Id], batch.Ballots[1].Ballot.Choice.Projects);
    }

    [Fact]
    public void A_pabulib_file_may_name_the_round_s_projects_by_number()
    {
        var round = Round();
        var projects = string.Concat(round.Projects.Select((p, i) => $"{i + 1};{p.Cost};{p.Title}\n"));

        var batch = Import(round, Pabulib(round, "1;3,1\n", projects));

        Assert.Equal([Clinic.Id, Water.Id], batch.Ballots.Single().Ballot.Choice.Projects);
    }

    [Fact]
    public void A_pabulib_file_must_list_the_round_s_projects_at_their_cost_and_its_vote_type()
    {
        var round = Round(budgetLimit: 2_000_000m);

        const string numbered = "1;1200000;Agua\n2;900000;Pistas\n3;450000;Posta\n";
        var cost = Refused(round, Pabulib(round, "a;1\n", "1;1200000;Agua\n2;1;Pistas\n3;450000;Posta\n"));
        Assert.Equal("lines[15].cost", cost.Field);
        Assert.Equal("lines[14].project_id", Refused(round, Pabulib(round, "a;2\n", $"{Guid.NewGuid()};1200000;Agua\n2;900000;Pistas\n3;450000;Posta\n")).Field);
        Assert.Equal("projects", Refused(round, Pabulib(round, "a;1\n", "1;1200000;Agua\n2;900000;Pistas\n")).Field);
        Assert.Equal("vote_type", Refused(round, Pabulib(round, "a;1\n", numbered, voteType: "choose-1")).Field);
        // A vote the reader refuses (an unknown project) and a vote the round refuses (over its limit), by line.
        Assert.StartsWith("lines[20].", Refused(round, Pabulib(round, "a;1\nb;9\n", numbered)).Field);
        var over = Refused(round, Pabulib(round, "a;1\nb;1,2\n", numbered));
        Assert.Equal("lines[20].projects", over.Field);
        Assert.Contains("over the ballot's limit", over.Message);
    }

    [Fact]
    public void A_closed_round_takes_no_batch()
    {
        var round = Round();
        round.Close(Process(), Now);

        Assert.Throws<ConflictException>(() => Import(round, "projects\n1\n"));
    }

    [Fact]
    public void Csv_fields_are_quoted_when_they_must_be_and_read_back_unchanged()
    {
        var csv = new StringBuilder();
        string[] fields = ["Agua, desagüe", "Posta \"Miramar\"", "dos\nlíneas", " borde ", "simple", ""];

        Csv.AppendRow(csv, fields);

        Assert.Equal("\"Agua, desagüe\",\"Posta \"\"Miramar\"\"\",\"dos\nlíneas\",\" borde \",simple,\r\n", csv.ToString());
        Assert.Equal(fields, Csv.Read(csv.ToString()).Single().Fields);
    }
}
