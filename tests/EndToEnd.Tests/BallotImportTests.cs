using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

using static PBServices.EndToEnd.Tests.Answers;
using static PBServices.EndToEnd.Tests.VotingTests;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// A workshop's paper ballots imported from a file, the open data as CSV, and the formalization vote on the
/// final list, through the gateway as the officer, the agents and anyone reading the results would.
/// </summary>
public sealed class BallotImportTests(SystemFixture system)
{
    public sealed record BatchReceiptDto(int Line, string Receipt);
    public sealed record PaperBatchDto(Guid Id, Guid RoundId, string Name, string Format, int Ballots, string Sha256, List<BatchReceiptDto> Receipts);
    public sealed record PaperBatchSummaryDto(Guid Id, string Name, string Format, int Ballots, string Sha256, DateTimeOffset ImportedAt);
    public sealed record TallyDto(int Approve, int Reject, int Abstain);
    public sealed record FinalVoteDto(Guid Id, Guid ProcessId, Guid ListId, List<ListItemDto> Projects, decimal TotalCost, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt,
        int Voters, TallyDto? Tally, bool? Approved);
    public sealed record FinalReceiptDto(Guid VoteId, string Receipt);
    public sealed record FinalBallotDto(string Receipt, string Choice);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private HttpClient Public => system.Gateway;

    [Fact]
    public async Task Paper_ballots_import_from_csv_and_pabulib_all_or_nothing_and_the_closed_vote_downloads_as_csv_that_reads_back()
    {
        var story = await ProcessStory.OpenAsync(system, "160101", "Presupuesto Participativo Chaglla 2027", 1_000_000m, Ct);
        var (voters, agentIds) = await TrainedVotersAsync(story, "160101", ("Rosa Espinoza Tucto", "46160101"));
        await story.StartConcertationAsync();
        var water = await story.ProposeAsync("Agua, desagüe y \"alcantarillado\" Chaglla", 400_000m);
        var school = await story.ProposeAsync("Aulas IE 32245", 300_000m);
        var road = await story.ProposeAsync("Trocha Panao–Chaglla", 500_000m);
        await story.AssessAsync((water, true, 80m, "Viable"), (school, true, 75m, "Viable"), (road, true, 60m, "Viable"));
        var round = await ExpectAsync<RoundDto>(story.Admin.PostAsJsonAsync($"/api/deliberation/processes/{story.Process.Id}/rounds", new { }, Ct), HttpStatusCode.Created);
        var roundPath = $"/api/deliberation/processes/{story.Process.Id}/rounds/{round.Id}";
        var number = round.Projects.Select((p, i) => (p.ProposalId, Number: i + 1)).ToDictionary(p => p.ProposalId, p => p.Number);
        await ExpectAsync<ReceiptDto>(voters[0].PostAsJsonAsync($"{roundPath}/ballots", new { projects = new[] { water.Id } }, Ct), HttpStatusCode.Created);

        // The officer's sheet: projects by their number on the ballot or by id, ';'-separated, one ballot a row.
        var csv = $"projects\r\n{number[water.Id]};{number[school.Id]}\r\n{road.Id}\r\n\"{number[school.Id]}; {number[water.Id]}\"\r\n";
        var imported = await ExpectAsync<PaperBatchDto>(UploadAsync(story.Admin, roundPath, "Taller de Chaglla, mesa 1", csv, "mesa1.csv"), HttpStatusCode.Created);
        Assert.Equal(("Csv", 3, Sha256(csv)), (imported.Format, imported.Ballots, imported.Sha256));
        Assert.Equal([2, 3, 4], imported.Receipts.Select(r => r.Line));

        // One duplicate on line 4 refuses the whole sheet: the problem names the line, and the batch is not there.
        var bad = $"projects\n{number[water.Id]}\n{number[road.Id]}\n{number[school.Id]};{number[school.Id]}\n{number[water.Id]}\n";
        var problem = await ProblemAsync(UploadAsync(story.Admin, roundPath, "Taller de Chaglla, mesa 2", bad, "mesa2.csv"), HttpStatusCode.BadRequest, "lines[4].projects", "appears twice");
        Assert.Contains("Line 4", problem.Detail);
        await ProblemAsync(UploadAsync(story.Admin, roundPath, "Taller de Chaglla, mesa 2", "projects\n9\n", "mesa2.csv"), HttpStatusCode.BadRequest, "lines[2].projects[0]", "No project number 9");
        var batches = await ExpectAsync<List<PaperBatchSummaryDto>>(Public.GetAsync($"{roundPath}/paper-batches", Ct), HttpStatusCode.OK);
        Assert.Equal(["Taller de Chaglla, mesa 1"], batches.Select(b => b.Name));
        // Corrected, the same sheet goes in under the name it was refused under.
        var fixedSheet = bad.Replace($"{number[school.Id]};{number[school.Id]}", $"{number[school.Id]}", StringComparison.Ordinal);
        var second = await ExpectAsync<PaperBatchDto>(UploadAsync(story.Admin, roundPath, "Taller de Chaglla, mesa 2", fixedSheet, "mesa2.csv"), HttpStatusCode.Created);
        Assert.Equal(4, second.Ballots);

        // A Pabulib file of the round's projects: its voter ids are not kept, each vote is one anonymous paper ballot.
        var pb = "META\nkey;value\ndescription;Taller de Chaglla, mesa 3\ncountry;Peru\nunit;160101\ninstance;2027\nnum_projects;3\nnum_votes;2\nbudget;1000000\nvote_type;approval\n" +
            "PROJECTS\nproject_id;cost;name\n" + string.Concat(round.Projects.Select((p, i) => $"{p.ProposalId};{p.Cost.ToString(System.Globalization.CultureInfo.InvariantCulture)};Proyecto {i + 1}\n")) +
            $"VOTES\nvoter_id;vote\nmesa3-elector-01;{road.Id}\nmesa3-elector-02;{school.Id},{road.Id}\n";
        var fromPb = await ExpectAsync<PaperBatchDto>(UploadAsync(story.Admin, roundPath, "Taller de Chaglla, mesa 3", pb, "mesa3.pb"), HttpStatusCode.Created);
        Assert.Equal(("Pabulib", 2), (fromPb.Format, fromPb.Ballots));
        Assert.Equal([18, 19], fromPb.Receipts.Select(r => r.Line));

        await ProblemAsync(UploadAsync(story.Admin, roundPath, "Taller de Chaglla, mesa 1", csv, "mesa1.csv"), HttpStatusCode.Conflict, "batch", "already imported");
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(voters[0], roundPath, "Taller de Chaglla, mesa 9", csv, "mesa9.csv")).StatusCode);

        // The officer prints the receipts to hand out, by the line of the sheet.
        using (var receipts = await story.Admin.GetAsync($"{roundPath}/paper-batches/{imported.Id}/receipts.csv", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, receipts.StatusCode);
            Assert.Equal("text/csv", receipts.Content.Headers.ContentType?.MediaType);
            var rows = ReadCsv(await receipts.Content.ReadAsStringAsync(Ct));
            Assert.Equal(["line", "receipt", "projects", "points"], rows[0]);
            Assert.Equal(imported.Receipts.Select(r => (r.Line.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Receipt)), rows.Skip(1).Select(r => (r[0], r[1])));
            Assert.Equal($"{water.Id};{school.Id}", rows[1][2]);
        }

        // Nothing is published while the vote runs.
        await ProblemAsync(Public.GetAsync($"{roundPath}/ballots.csv", Ct), HttpStatusCode.Conflict, "roundId", "still open");
        await ProblemAsync(Public.GetAsync($"{roundPath}/result.csv", Ct), HttpStatusCode.Conflict, "roundId", "still open");

        var result = await ExpectAsync<ResultDto>(story.Admin.PostAsync($"{roundPath}/closure", null, Ct), HttpStatusCode.OK);
        Assert.Equal((10, 1, 9), (result.Ballots, result.OnlineBallots, result.PaperBallots));

        using var ballotsCsv = await Public.GetAsync($"{roundPath}/ballots.csv", Ct);
        Assert.Equal(HttpStatusCode.OK, ballotsCsv.StatusCode);
        Assert.Equal("text/csv", ballotsCsv.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".csv", ballotsCsv.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var ballotsText = await ballotsCsv.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain(agentIds[0], ballotsText, StringComparison.OrdinalIgnoreCase);
        var ballotRows = ReadCsv(ballotsText);
        Assert.Equal(["receipt", "channel", "projects", "points"], ballotRows[0]);
        var published = await ExpectAsync<List<BallotDto>>(Public.GetAsync($"{roundPath}/ballots", Ct), HttpStatusCode.OK);
        Assert.Equal(published.Select(b => (b.Receipt, b.Channel, string.Join(';', b.Projects))), ballotRows.Skip(1).Select(r => (r[0], r[1], r[2])));
        Assert.Equal(9, ballotRows.Count(r => r[1] == "Paper"));
        var paper = imported.Receipts.Concat(second.Receipts).Concat(fromPb.Receipts).Select(r => r.Receipt).ToHashSet();
        Assert.Equal(paper.Order(StringComparer.Ordinal), published.Where(b => b.Channel == "Paper").Select(b => b.Receipt).Order(StringComparer.Ordinal));

        using var resultCsv = await Public.GetAsync($"{roundPath}/result.csv", Ct);
        Assert.Equal("text/csv", resultCsv.Content.Headers.ContentType?.MediaType);
        var resultRows = ReadCsv(await resultCsv.Content.ReadAsStringAsync(Ct));
        Assert.Equal(["proposal_id", "title", "cost", "supporters", "score", "verdict", "round", "reason", "rule"], resultRows[0]);
        Assert.Equal(result.Projects.Select(p => (p.ProposalId.ToString(), p.Title, p.Cost, p.Supporters, p.Verdict, p.Round?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", p.Reason)),
            resultRows.Skip(1).Select(r => (r[0], r[1], decimal.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(r[3], System.Globalization.CultureInfo.InvariantCulture), r[5], r[6], r[7])));
        Assert.Contains(resultRows, r => r[1] == "Agua, desagüe y \"alcantarillado\" Chaglla");

        // One audit entry per batch: the officer, the batch, its count and the file's hash; never a receipt.
        var oversight = system.As(await system.TokenAsync("oversight", "160101", "comite-chaglla"));
        var trail = (await oversight.GetFromJsonAsync<List<JsonElement>>($"/api/deliberation/audit?processId={story.Process.Id}", Ct))!;
        var entries = trail.Where(e => e.GetProperty("action").GetString() == "ballots.paper-imported").Select(e => e.GetProperty("newValues")).ToList();
        Assert.Equal([("Taller de Chaglla, mesa 1", 3, Sha256(csv)), ("Taller de Chaglla, mesa 2", 4, Sha256(fixedSheet)), ("Taller de Chaglla, mesa 3", 2, Sha256(pb))],
            entries.Select(e => (e.GetProperty("batch").GetString(), e.GetProperty("ballots").GetInt32(), e.GetProperty("sha256").GetString())).OrderBy(e => e.Item1, StringComparer.Ordinal));
        Assert.DoesNotContain(paper, r => trail.Any(e => e.GetRawText().Contains(r, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_agents_vote_the_final_list_in_secret_a_rejected_list_is_voted_again_and_the_approved_one_is_published()
    {
        var story = await ProcessStory.OpenAsync(system, "160102", "Presupuesto Participativo Molino 2027", 900_000m, Ct);
        var (voters, agentIds) = await TrainedVotersAsync(story, "160102", ("Aurelia Cóndor Villar", "46160201"), ("Beatriz Huaranga Picón", "46160202"), ("Celia Tolentino Ávila", "46160203"));
        // Someone holding an agent token whom the process never accredited.
        var stranger = system.As(await system.TokenAsync("agent", "160102", Guid.NewGuid().ToString()));
        await story.StartConcertationAsync();
        var canal = await story.ProposeAsync("Canal de riego Molino", 500_000m);
        var bridge = await story.ProposeAsync("Puente peatonal Huancachupa", 300_000m);
        await story.AssessAsync((canal, true, 85m, "Viable"), (bridge, true, 70m, "Viable"));
        var list = await story.PrioritizeAsync();
        var votesPath = $"/api/deliberation/processes/{story.Process.Id}/final-votes";
        await ProblemAsync(story.Admin.PostAsync(votesPath, null, Ct), HttpStatusCode.Conflict, "stage", "Formalization");
        await ProcessSteps.AdvanceAsync(story.Admin, story.Process.Id, "Coordination", Ct);
        await story.CloseCoordinationAsync();
        await ProcessSteps.AdvanceAsync(story.Admin, story.Process.Id, "Formalization", Ct);

        using var opened = await ProcessSteps.UntilAsync(() => story.Admin.PostAsync(votesPath, null, Ct), HttpStatusCode.Created, "deliberation to reach Formalization and open the vote");
        var first = (await opened.Content.ReadFromJsonAsync<FinalVoteDto>(Ct))!;
        Assert.Equal(list.ListId, first.ListId);
        Assert.Equal(list.Projects.Select(p => (p.ProposalId, p.Cost)), first.Projects.Select(p => (p.ProposalId, p.Cost)));
        Assert.Equal(800_000m, first.TotalCost);
        await ProblemAsync(story.Admin.PostAsync(votesPath, null, Ct), HttpStatusCode.Conflict, "processId", "already open");

        var firstReceipts = new List<string>();
        foreach (var (voter, choice) in voters.Zip(new[] { "Approve", "Reject", "Reject" }))
        {
            firstReceipts.Add((await ExpectAsync<FinalReceiptDto>(voter.PostAsJsonAsync($"{votesPath}/{first.Id}/ballots", new { choice }, Ct), HttpStatusCode.Created)).Receipt);
        }
        await ProblemAsync(voters[0].PostAsJsonAsync($"{votesPath}/{first.Id}/ballots", new { choice = "Reject" }, Ct), HttpStatusCode.Conflict, "ballot", "already voted");
        await ProblemAsync(voters[0].PostAsJsonAsync($"{votesPath}/{first.Id}/ballots", new { choice = "Maybe" }, Ct), HttpStatusCode.BadRequest, "choice", "valid");
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.PostAsJsonAsync($"{votesPath}/{first.Id}/ballots", new { choice = "Approve" }, Ct)).StatusCode);
        await ProblemAsync(Public.GetAsync($"{votesPath}/{first.Id}/ballots", Ct), HttpStatusCode.Conflict, "voteId", "still open");
        Assert.Equal(3, (await ExpectAsync<FinalVoteDto>(Public.GetAsync($"{votesPath}/{first.Id}", Ct), HttpStatusCode.OK)).Voters);

        var rejected = await ExpectAsync<FinalVoteDto>(story.Admin.PostAsync($"{votesPath}/{first.Id}/closure", null, Ct), HttpStatusCode.OK);
        Assert.Equal((new TallyDto(1, 2, 0), false), (rejected.Tally, rejected.Approved));

        // Not approved: the process-admin opens another vote; this time the agents approve.
        var second = await ExpectAsync<FinalVoteDto>(story.Admin.PostAsync(votesPath, null, Ct), HttpStatusCode.Created);
        foreach (var (voter, choice) in voters.Zip(new[] { "Approve", "Abstain", "Approve" }))
        {
            await ExpectAsync<FinalReceiptDto>(voter.PostAsJsonAsync($"{votesPath}/{second.Id}/ballots", new { choice }, Ct), HttpStatusCode.Created);
        }
        var approved = await ExpectAsync<FinalVoteDto>(story.Admin.PostAsync($"{votesPath}/{second.Id}/closure", null, Ct), HttpStatusCode.OK);
        Assert.Equal((new TallyDto(2, 0, 1), true), (approved.Tally, approved.Approved));
        await ProblemAsync(story.Admin.PostAsync(votesPath, null, Ct), HttpStatusCode.Conflict, "processId", "already approved");

        // The results are public: every receipt with its choice, and no voter.
        var votesBody = await BodyAsync(Public.GetAsync(votesPath, Ct), HttpStatusCode.OK);
        Assert.Equal([(false, 3), (true, 3)], JsonSerializer.Deserialize<List<FinalVoteDto>>(votesBody, JsonSerializerOptions.Web)!.Select(v => (v.Approved!.Value, v.Voters)));
        var ballotsBody = await BodyAsync(Public.GetAsync($"{votesPath}/{first.Id}/ballots", Ct), HttpStatusCode.OK);
        var ballots = JsonSerializer.Deserialize<List<FinalBallotDto>>(ballotsBody, JsonSerializerOptions.Web)!;
        Assert.Equal(firstReceipts.Order(StringComparer.Ordinal), ballots.Select(b => b.Receipt).Order(StringComparer.Ordinal));
        Assert.Equal(["Approve", "Reject", "Reject"], ballots.Select(b => b.Choice).Order(StringComparer.Ordinal));
        Assert.All(agentIds, id => Assert.DoesNotContain(id, ballotsBody + votesBody, StringComparison.OrdinalIgnoreCase));

        // The closure published FinalListVoted through the outbox for the approved vote only, and says so in the trail.
        var oversight = system.As(await system.TokenAsync("oversight", "160102", "comite-molino"));
        var trail = (await oversight.GetFromJsonAsync<List<JsonElement>>($"/api/deliberation/audit?processId={story.Process.Id}", Ct))!;
        var closures = trail.Where(e => e.GetProperty("action").GetString() == "final-vote.closed").ToDictionary(e => e.GetProperty("subjectId").GetString()!, e => e.GetProperty("newValues"));
        Assert.Equal(JsonValueKind.Null, closures[first.Id.ToString()].GetProperty("publishedEvent").ValueKind);
        Assert.True(closures[second.Id.ToString()].GetProperty("publishedEvent").TryGetGuid(out _));
        Assert.DoesNotContain(firstReceipts, r => trail.Any(e => e.GetRawText().Contains(r, StringComparison.Ordinal)));
        Assert.Equal(6, trail.Count(e => e.GetProperty("action").GetString() == "final-ballot.cast"));
    }

    /// <summary>Accredited and trained agents of the process, each with their own client.</summary>
    private static async Task<(List<HttpClient> Clients, List<string> Ids)> TrainedVotersAsync(ProcessStory story, string jurisdiction, params (string FullName, string Dni)[] agents)
    {
        var accredited = await story.AccreditAgentsAsync(agents.Select((a, i) => (a.FullName, a.Dni, $"Comité vecinal {jurisdiction}-{i + 1}")).ToArray());
        return (await story.TrainAsync(accredited), accredited.Select(a => a.Id.ToString()).ToList());
    }

    internal static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string roundPath, string batch, string content, string fileName)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(batch), "batch");
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(content));
        file.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".pb", StringComparison.Ordinal) ? "text/plain" : "text/csv");
        form.Add(file, "file", fileName);
        return await client.PostAsync($"{roundPath}/paper-batches", form, Ct);
    }

    internal static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>RFC 4180, as a spreadsheet reads it: quoted fields hold commas, doubled quotes and line breaks.</summary>
    internal static List<string[]> ReadCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    row.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    row.Add(field.ToString());
                    field.Clear();
                    rows.Add([.. row]);
                    row.Clear();
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }
        Assert.False(quoted, "every quoted field is closed");
        Assert.True(field.Length == 0 && row.Count == 0, "the file ends with a line break");
        return rows;
    }
}
