using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PBServices.Allocation.Pabulib;

using static PBServices.EndToEnd.Tests.Answers;
using static PBServices.EndToEnd.Tests.VotingTests;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// Anyone can recompute a result: real Pabulib elections (the committed ones the allocation tests check against
/// pabutools) run as a process here — their projects proposed and assessed viable, their votes imported as paper
/// ballots — count to the same winners as `pbtool allocate` on the exported file and as the reference outcome.
/// </summary>
public sealed class PabulibImportTests(SystemFixture system)
{
    private const string Rule = "mes-add1"; // the rule of the processes ProcessStory opens (Ilo's)
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Not Assen 2024: the rule breaks exact ties by the smaller project id ("11" before "2" in the file), and a
    // proposal's id is not the file's, so there the replica's third winner differs from pabutools' on the file.
    [Theory]
    [InlineData("Poland_Warszawa_2019_Przyczolek_Grochowski.pb", "160105")]
    [InlineData("France_Toulouse_2022_10_-_Jolimont_Soupetard_Roseraie_Gloire_Gramont_Amouroux.pb", "160106")]
    [InlineData("Poland_Swiecie_2023.pb", "160107")]
    public async Task A_real_election_imported_as_paper_ballots_funds_what_pbtool_and_the_reference_outcome_fund(string file, string jurisdiction)
    {
        var data = DataDirectory();
        PbElection election;
        await using (var stream = File.OpenRead(Path.Combine(data, file)))
        {
            election = PbReader.Read(stream);
        }
        using var expectedJson = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(data, "expected.json"), Ct));
        var reference = expectedJson.RootElement.GetProperty(file).GetProperty(Rule).EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(VoteType.Approval, election.VoteType);

        var story = await ProcessStory.OpenAsync(system, jurisdiction, $"Presupuesto Participativo {jurisdiction}, réplica de {election.MetaValue("unit") ?? file}", election.Budget, Ct);
        await story.AccreditAgentAsync("Irma Ventura Lázaro", $"461{jurisdiction[3..]}01", $"Comité vecinal {jurisdiction}");
        await story.StartConcertationAsync();
        var proposals = new Dictionary<string, ProposalDto>(StringComparer.Ordinal);
        foreach (var p in election.Projects)
        {
            proposals[p.Id] = await story.ProposeAsync($"Proyecto {p.Id} de {jurisdiction}", p.Cost);
        }
        await story.AssessAsync(proposals.Values.Select(p => (p, true, 50m, "Viable")).ToArray());
        var original = proposals.ToDictionary(p => p.Value.Id.ToString(), p => p.Key, StringComparer.OrdinalIgnoreCase);

        var round = await ExpectAsync<RoundDto>(story.Admin.PostAsJsonAsync($"/api/deliberation/processes/{story.Process.Id}/rounds", new { }, Ct), HttpStatusCode.Created);
        Assert.Equal(election.Projects.Count, round.Projects.Count);
        var roundPath = $"/api/deliberation/processes/{story.Process.Id}/rounds/{round.Id}";

        // The same file with each project named by the proposal it became; its votes untouched.
        var renamed = new PbElection(election.Meta, election.ProjectColumns, election.Projects.Select(p => p with { Id = proposals[p.Id].Id.ToString() }).ToList(), election.Ballots);
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent($"Réplica de {file}"), "batch");
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(PbWriter.WriteString(renamed)));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        form.Add(content, "file", file);
        var imported = await ExpectAsync<BallotImportTests.PaperBatchDto>(story.Admin.PostAsync($"{roundPath}/paper-batches", form, Ct), HttpStatusCode.Created);
        Assert.Equal(election.Ballots.Count, imported.Ballots);

        var result = await ExpectAsync<ResultDto>(story.Admin.PostAsync($"{roundPath}/closure", null, Ct), HttpStatusCode.OK);
        Assert.Equal((Rule, election.Ballots.Count, 0, election.Ballots.Count), (result.Rule, result.Ballots, result.OnlineBallots, result.PaperBallots));
        var list = await story.PrioritizeAsync();

        using var download = await system.Gateway.GetAsync($"{roundPath}/election.pb", Ct);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var exported = Path.Combine(Path.GetTempPath(), $"replica-{round.Id}.pb");
        await File.WriteAllBytesAsync(exported, await download.Content.ReadAsByteArrayAsync(Ct), Ct);
        try
        {
            var recomputed = await PbToolAllocateAsync(exported, Rule);
            var selected = recomputed.GetProperty("selected").EnumerateArray().Select(e => e.GetString()!).ToList();
            Assert.Equal(election.Ballots.Count, recomputed.GetProperty("ballots").GetInt32());
            Assert.Equal(selected, list.Projects.Select(p => p.ProposalId.ToString()));
            Assert.Equal(selected.Order(StringComparer.Ordinal), result.Projects.Where(p => p.Verdict == "Funded").Select(p => p.ProposalId.ToString()).Order(StringComparer.Ordinal));
            Assert.Equal(result.Spent, recomputed.GetProperty("spent").GetDecimal());
            // Named back by the file's own project ids: the winners pabutools found, in the same order.
            Assert.Equal(reference, selected.Select(id => original[id]));
        }
        finally
        {
            File.Delete(exported);
        }
        // Each project's supporters are the file's approvals of it.
        var approvals = new int[election.Projects.Count];
        for (var b = 0; b < election.Ballots.Count; b++)
        {
            foreach (var i in election.Ballots.Projects(b))
            {
                approvals[i]++;
            }
        }
        var supporters = result.Projects.ToDictionary(p => original[p.ProposalId.ToString()], p => p.Supporters, StringComparer.Ordinal);
        Assert.Equal(election.Projects.Select((p, i) => (p.Id, approvals[i])), election.Projects.Select(p => (p.Id, supporters[p.Id])));
    }

    private static string DataDirectory()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "PBServices.sln")))
        {
            root = root.Parent;
        }
        Assert.NotNull(root);
        return Path.Combine(root.FullName, "tests", "Allocation.Tests", "Data", "pabulib");
    }
}
