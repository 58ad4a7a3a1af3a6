using System.Text.Json;
using PBServices.Allocation.Pabulib;
using PBServices.PbTool;

namespace PBServices.Allocation.Tests;

/// <summary>
/// Real Pabulib elections with outcomes computed by pabutools in exact arithmetic
/// (Data/pabulib/README.md says how). The winners must be the same, in the same order.
/// </summary>
public class ReferenceOutcomeTests
{
    private static readonly string DataDir = Path.Combine(AppContext.BaseDirectory, "Data", "pabulib");

    private static readonly Dictionary<string, Dictionary<string, JsonElement>> Expected =
        JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, JsonElement>>>(
            File.ReadAllText(Path.Combine(DataDir, "expected.json")))!;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var (file, rules) in Expected)
        {
            foreach (var rule in rules.Keys.Where(k => k != "vote_type"))
            {
                data.Add(file, rule);
            }
        }
        return data;
    }

    public static TheoryData<string> Files() => new(Expected.Keys);

    /// <summary>Files that publish which projects won, in a `selected` column.</summary>
    public static TheoryData<string> FilesWithSelection() => new(Expected.Keys.Where(f => Read(f).ProjectColumns.Contains("selected")));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Library_finds_the_same_winners_as_pabutools(string file, string rule)
    {
        var election = Read(file);
        Assert.True(AllocationRules.TryParse(rule, out var r));

        var outcome = Allocator.Allocate(election, r);

        Assert.Equal(ExpectedWinners(file, rule), outcome.Selected);
        Assert.True(outcome.Spent <= election.Budget);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Pbtool_prints_the_same_winners_as_pabutools(string file, string rule)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = Cli.Run(["allocate", Path.Combine(DataDir, file), "--rule", rule, "--json"], stdout, stderr, () => Stream.Null);

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout.ToString());
        var selected = json.RootElement.GetProperty("selected").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(ExpectedWinners(file, rule), selected);
    }

    [Theory]
    [MemberData(nameof(FilesWithSelection))]
    public void Outcome_matches_the_selection_published_in_the_file_when_its_rule_is_one_of_ours(string file)
    {
        var election = Read(file);
        AllocationRule? rule = election.DeclaredRule switch
        {
            "greedy" => AllocationRule.Greedy,
            "greedy-no-skip" => AllocationRule.GreedyNoSkip,
            "equalshares/add1" => AllocationRule.EqualSharesAdd1,
            _ => null,
        };
        Assert.NotNull(rule); // every committed file with a selection was chosen for a rule we implement
        var published = election.Projects.Where(p => p.Field("selected")?.Trim() == "1").Select(p => p.Id).Order(StringComparer.Ordinal);

        var outcome = Allocator.Allocate(election, rule.Value);

        Assert.Equal(published, outcome.Selected.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Tally_matches_the_totals_published_in_the_file(string file)
    {
        var election = Read(file);
        var column = election.VoteType is VoteType.Approval or VoteType.ChooseOne ? "votes" : "score";

        var tally = Tally.Count(election);

        for (var i = 0; i < election.Projects.Count; i++)
        {
            Assert.Equal(election.Projects[i].Field(column), tally.Scores[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Real_files_survive_a_round_trip(string file)
    {
        var election = Read(file);

        var again = PbReader.ReadString(PbWriter.WriteString(election));

        Assert.Equal(PbWriter.WriteString(election), PbWriter.WriteString(again));
        Assert.Equal(election.Ballots.Count, again.Ballots.Count);
    }

    private static PbElection Read(string file)
    {
        using var stream = File.OpenRead(Path.Combine(DataDir, file));
        return PbReader.Read(stream);
    }

    private static List<string> ExpectedWinners(string file, string rule) =>
        Expected[file][rule].EnumerateArray().Select(e => e.GetString()!).ToList();
}
