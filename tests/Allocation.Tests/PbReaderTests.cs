using PBServices.Allocation.Pabulib;

namespace PBServices.Allocation.Tests;

public class PbReaderTests
{
    private const string Valid = """
        META
        key;value
        description;"Barrio ""Los Olivos""; obras"
        num_projects;2
        num_votes;2
        budget;1000.50
        vote_type;cumulative
        max_sum_points;5
        currency;PEN
        PROJECTS
        project_id;cost;name;category
        p1;600.25;"Loza; deportiva";sport
        p2;400;Biblioteca;"culture"
        VOTES
        voter_id;vote;points;district
        v1;p1,p2;3,2;Norte
        v2;p2;5;Sur
        """;

    [Fact]
    public void Reading_keeps_meta_order_extra_columns_and_quoted_fields()
    {
        var e = PbReader.ReadString(Valid);

        Assert.Equal(VoteType.Cumulative, e.VoteType);
        Assert.Equal(1000.50m, e.Budget);
        Assert.Equal("Barrio \"Los Olivos\"; obras", e.MetaValue("description"));
        Assert.Equal(["description", "num_projects", "num_votes", "budget", "vote_type", "max_sum_points", "currency"], e.Meta.Select(kv => kv.Key));
        Assert.Equal("Loza; deportiva", e.Projects[0].Field("name"));
        Assert.Equal(600.25m, e.Projects[0].Cost);
        Assert.Equal([3, 2], e.Ballots.Points(0).ToArray());
        Assert.Equal("Sur", e.Ballots.ExtraValue(1, 0));
    }

    [Fact]
    public void Writing_then_reading_gives_the_same_election()
    {
        var original = PbReader.ReadString(Valid);

        var text = PbWriter.WriteString(original);
        var again = PbReader.ReadString(text);

        Assert.Equal(text, PbWriter.WriteString(again));
        AssertSameElection(original, again);
    }

    [Theory]
    [InlineData(VoteType.Approval)]
    [InlineData(VoteType.Cumulative)]
    [InlineData(VoteType.Ordinal)]
    [InlineData(VoteType.ChooseOne)]
    public void Generated_elections_survive_a_round_trip(VoteType type)
    {
        var generated = ElectionGenerator.Generate(voters: 300, projects: 25, type, seed: 7);

        var again = PbReader.ReadString(PbWriter.WriteString(generated));

        AssertSameElection(generated, again);
    }

    [Fact]
    public void Generation_is_reproducible_from_its_seed()
    {
        var a = PbWriter.WriteString(ElectionGenerator.Generate(200, 20, VoteType.Approval, 42));
        var b = PbWriter.WriteString(ElectionGenerator.Generate(200, 20, VoteType.Approval, 42));
        var c = PbWriter.WriteString(ElectionGenerator.Generate(200, 20, VoteType.Approval, 43));

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Theory]
    [InlineData("v2;p2,p9;3,2;Sur", 17, "vote", "unknown project 'p9'")]
    [InlineData("v1;p2;5;Sur", 17, "voter_id", "duplicate voter id 'v1'")]
    [InlineData("v2;p1,p2;4,2;Sur", 17, "points", "6 points in total, over max_sum_points 5")]
    [InlineData("v2;p1,p2;4,x;Sur", 17, "points", "bad number 'x'")]
    [InlineData("v2;p1,p2;4;Sur", 17, "points", "1 points for 2 projects")]
    [InlineData("v2;p1,p1;1,1;Sur", 17, "vote", "appears twice")]
    [InlineData("v2;p2;5", 17, "district", "expected 4 fields")]
    public void A_bad_ballot_is_refused_with_its_line_and_field(string lastLine, int line, string field, string message)
    {
        var text = Valid[..Valid.LastIndexOf('\n')] + "\n" + lastLine;

        var error = Assert.Throws<PbFormatException>(() => PbReader.ReadString(text));

        Assert.Equal(line, error.Line);
        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_bad_cost_is_refused_with_its_line()
    {
        var error = Assert.Throws<PbFormatException>(() => PbReader.ReadString(Valid.Replace("p2;400;", "p2;4O0;")));

        Assert.Equal(13, error.Line);
        Assert.Equal("cost", error.Field);
    }

    [Fact]
    public void A_missing_section_is_refused()
    {
        var withoutVotes = Valid[..Valid.IndexOf("VOTES", StringComparison.Ordinal)];

        var error = Assert.Throws<PbFormatException>(() => PbReader.ReadString(withoutVotes));

        Assert.Equal("section", error.Field);
        Assert.Contains("missing section VOTES", error.Message);
    }

    [Fact]
    public void An_unknown_vote_type_is_refused_at_its_meta_line()
    {
        var error = Assert.Throws<PbFormatException>(() => PbReader.ReadString(Valid.Replace("vote_type;cumulative", "vote_type;quadratic")));

        Assert.Equal(7, error.Line);
        Assert.Equal("vote_type", error.Field);
    }

    [Fact]
    public void Validation_reports_every_problem_not_just_the_first()
    {
        var text = Valid.Replace("v1;p1,p2;3,2;Norte", "v1;p1,p7;3,2;Norte").Replace("v2;p2;5;Sur", "v2;p2;9;Sur");

        var result = PbReader.Validate(new StringReader(text));

        Assert.False(result.IsValid);
        Assert.Equal([(16, "vote"), (17, "points")],
            result.Problems.Where(p => p.Severity == PbSeverity.Error).Select(p => (p.Line, p.Field)));
    }

    [Fact]
    public void Quirks_that_do_not_change_the_count_are_warnings()
    {
        // A stale num_votes, blank lines and an approval named twice do not change any total.
        var text = """
            META
            key;value
            num_votes;3
            budget;100
            vote_type;approval

            PROJECTS
            project_id;cost
            a;10
            VOTES
            voter_id;vote
            1;a,a
            """;

        var result = PbReader.Validate(new StringReader(text));

        Assert.True(result.IsValid);
        Assert.All(result.Problems, p => Assert.Equal(PbSeverity.Warning, p.Severity));
        Assert.Equal(2, result.Problems.Count);
        Assert.Equal(1, Tally.Count(result.Election!).Scores[0]);
    }

    [Fact]
    public void Ordinal_ballots_score_borda_points_from_max_length()
    {
        var text = """
            META
            key;value
            budget;100
            vote_type;ordinal
            max_length;3
            PROJECTS
            project_id;cost
            a;10
            b;10
            c;10
            VOTES
            voter_id;vote
            1;a,b,c
            2;b,a
            3;c
            """;

        var tally = Tally.Count(PbReader.ReadString(text));

        Assert.Equal([3L + 2, 2L + 3, 1L + 3], tally.Scores);
    }

    private static void AssertSameElection(PbElection expected, PbElection actual)
    {
        Assert.Equal(expected.Meta, actual.Meta);
        Assert.Equal(expected.ProjectColumns, actual.ProjectColumns);
        Assert.Equal(expected.Projects.Select(p => (p.Id, p.Cost)), actual.Projects.Select(p => (p.Id, p.Cost)));
        Assert.Equal(expected.Projects.Select(p => p.Fields.OrderBy(f => f.Key)), actual.Projects.Select(p => p.Fields.OrderBy(f => f.Key)));
        Assert.Equal(expected.Ballots.Count, actual.Ballots.Count);
        for (var b = 0; b < expected.Ballots.Count; b++)
        {
            Assert.Equal(expected.Ballots.VoterId(b), actual.Ballots.VoterId(b));
            Assert.Equal(expected.Ballots.Projects(b).ToArray(), actual.Ballots.Projects(b).ToArray());
            Assert.Equal(expected.Ballots.Points(b).ToArray(), actual.Ballots.Points(b).ToArray());
        }
    }
}
