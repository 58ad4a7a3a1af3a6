using System.Text;
using System.Text.Json;
using PBServices.Allocation.Pabulib;
using PBServices.PbTool;

namespace PBServices.Allocation.Tests;

public class PbToolTests
{
    private static readonly string Assen = Path.Combine(AppContext.BaseDirectory, "Data", "pabulib", "Netherlands_Assen_2024.pb");

    private static (int Exit, string Out, string Err) Run(string[] args, string stdin = "")
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = Cli.Run(args, stdout, stderr, () => new MemoryStream(Encoding.UTF8.GetBytes(stdin)));
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Allocate_prints_funded_projects_in_selection_order_with_the_total()
    {
        var (exit, output, _) = Run(["allocate", Assen, "--rule", "mes-add1"]);

        Assert.Equal(0, exit);
        var rows = output.Split('\n').Where(l => l.Length > 3 && char.IsDigit(l.TrimStart()[0])).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        Assert.Equal(["3", "9", "11", "2", "13", "14", "5", "6", "12"], rows);
        Assert.Contains("total 76700 of 100000 EUR (9 projects, 23300 left)", output);
    }

    [Fact]
    public void Json_output_explains_every_project_and_reports_timings()
    {
        var (exit, output, _) = Run(["allocate", Assen, "--rule", "mes", "--json"]);

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("mes", root.GetProperty("rule").GetString());
        Assert.Equal(100000m, root.GetProperty("budget").GetDecimal());
        Assert.Equal(60700m, root.GetProperty("spent").GetDecimal());
        Assert.Equal(14, root.GetProperty("projects").GetArrayLength());
        var first = root.GetProperty("projects")[0];
        Assert.Equal("3", first.GetProperty("id").GetString());
        Assert.Equal(1, first.GetProperty("round").GetInt32());
        Assert.True(first.TryGetProperty("price_per_utility", out _));
        foreach (var phase in new[] { "parse", "tally", "allocate" })
        {
            Assert.True(root.GetProperty("timings_ms").GetProperty(phase).GetDouble() >= 0);
        }
    }

    [Fact]
    public void A_dash_reads_the_election_from_standard_input()
    {
        var text = Elections.Text("approval", 100m, [("a", 60m), ("b", 50m)], ["a", "a,b", "b", "b"], null);

        var (exit, output, _) = Run(["allocate", "-", "--rule", "greedy", "--json"], text);

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(["b"], json.RootElement.GetProperty("selected").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void A_malformed_file_exits_with_2_naming_the_line_and_field_without_a_stack_trace()
    {
        var text = Elections.Text("approval", 100m, [("a", 60m)], ["a", "z"], null);

        var (exit, output, error) = Run(["allocate", "-", "--rule", "greedy"], text);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("line 13, field 'vote': unknown project 'z'", error);
        Assert.DoesNotContain(" at ", error);
    }

    [Fact]
    public void Validate_lists_every_problem_and_exits_with_2()
    {
        var text = Elections.Text("approval", 100m, [("a", 60m)], ["a", "z", "y"], null);

        var (exit, output, _) = Run(["validate", "-"], text);

        Assert.Equal(2, exit);
        Assert.Contains("line 13, field 'vote': unknown project 'z'", output);
        Assert.Contains("line 14, field 'vote': unknown project 'y'", output);
        Assert.Contains("invalid, 2 error(s)", output);
    }

    [Fact]
    public void Validate_accepts_a_real_file()
    {
        var (exit, output, _) = Run(["validate", Assen]);

        Assert.Equal(0, exit);
        Assert.Contains("valid approval election, 14 projects, 84 ballots", output);
    }

    [Theory]
    [InlineData(new[] { "allocate", "x.pb", "--rule", "borda" }, "unknown rule 'borda'")]
    [InlineData(new[] { "allocate", "missing.pb", "--rule", "mes" }, "no such file")]
    [InlineData(new[] { "allocate", "x.pb" }, "missing --rule")]
    [InlineData(new[] { "frobnicate" }, "unknown command")]
    [InlineData(new[] { "generate", "--voters", "-5", "--projects", "3", "--type", "approval", "--seed", "1" }, "--voters must be")]
    [InlineData(new[] { "validate", "x.pb", "--rule", "mes" }, "unknown option --rule")]
    public void Usage_errors_exit_with_1_and_say_what_is_wrong(string[] args, string message)
    {
        var (exit, _, error) = Run(args);

        Assert.Equal(1, exit);
        Assert.Contains(message, error);
    }

    [Fact]
    public void Mes_on_a_ranked_election_is_a_usage_error_not_a_crash()
    {
        var text = Elections.Text("ordinal", 100m, [("a", 60m)], ["a"], null);

        var (exit, _, error) = Run(["allocate", "-", "--rule", "mes"], text);

        Assert.Equal(1, exit);
        Assert.Contains("ranked ballots", error);
    }

    [Fact]
    public void Generate_writes_a_valid_election_of_the_requested_size()
    {
        var (exit, output, _) = Run(["generate", "--voters", "500", "--projects", "30", "--type", "cumulative", "--seed", "9"]);

        Assert.Equal(0, exit);
        var e = PbReader.ReadString(output);
        Assert.Equal(500, e.Ballots.Count);
        Assert.Equal(30, e.Projects.Count);
        Assert.Equal(VoteType.Cumulative, e.VoteType);
        Assert.Equal(output, Run(["generate", "--voters", "500", "--projects", "30", "--type", "cumulative", "--seed", "9"]).Out);
    }
}
