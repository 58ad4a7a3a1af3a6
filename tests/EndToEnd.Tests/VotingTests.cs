using Aspire.Hosting.Testing;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

using static PBServices.EndToEnd.Tests.Answers;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// The agents' vote on the viable proposals, through the gateway: secret ballots with receipts, one per
/// voter, counted by the process's rule, published once closed so anyone can check and recompute it.
/// </summary>
public sealed partial class VotingTests(SystemFixture system)
{
    public sealed record RoundProjectDto(Guid ProposalId, string Title, decimal Cost);
    public sealed record RoundDto(Guid Id, Guid ProcessId, string Format, decimal? BudgetLimit, int? MaxProjects, int? Points, List<RoundProjectDto> Projects,
        DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, int Voters);
    public sealed record ReceiptDto(Guid RoundId, string Receipt);
    public sealed record BallotDto(string Receipt, string Channel, List<Guid> Projects, List<int> Points);
    public sealed record ProjectResultDto(Guid ProposalId, string Title, decimal Cost, decimal Score, int Supporters, string Verdict, int? Round, string Reason);
    public sealed record ComparisonDto(List<Guid> GreedySelected, decimal GreedySpent, int PreferThisOutcome, int PreferGreedy, int Indifferent);
    public sealed record ResultDto(Guid RoundId, string Rule, decimal Budget, int Ballots, int OnlineBallots, int PaperBallots, decimal Spent, List<ProjectResultDto> Projects,
        ComparisonDto? ComparedWithGreedy = null);

    private sealed record Voter(AgentDto Agent, HttpClient Client);

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")]
    private static partial Regex ReceiptFormat();

    /// <summary>Anyone, without signing in: ballots and results are open data.</summary>
    private HttpClient Public => system.Gateway;

    [Fact]
    public async Task Trained_agents_vote_in_secret_the_public_result_and_ballots_match_their_receipts_and_the_funded_projects_reach_coordination()
    {
        var (story, voters) = await ConcertationWithVotersAsync("100102", "Presupuesto Participativo Yarumayo 2027", 1_000_000m,
            [("Rosa Huamán Tarazona", "46100201"), ("Elena Tucto Ramírez", "46100202"), ("Nilda Cabrera Soto", "46100203"), ("Juana Ponce Albornoz", "46100204")], trained: 4);
        var water = await story.ProposeAsync("Agua potable Yarumayo", 400_000m);
        var school = await story.ProposeAsync("Aulas IE 32004", 300_000m);
        var road = await story.ProposeAsync("Trocha carrozable Pampamarca", 500_000m);
        var kiosk = await story.ProposeAsync("Quiosco municipal", 150_000m);
        await story.AssessAsync((water, true, 80m, "Viable"), (school, true, 75m, "Viable"), (road, true, 60m, "Viable"), (kiosk, false, 0m, "Sin brecha priorizada"));

        var round = await OpenRoundAsync(story, new { maxProjects = 3 });
        Assert.Equal("Approval", round.Format);
        Assert.Equal(3, round.MaxProjects);
        // The non-viable proposal is not on the ballot.
        Assert.Equal(new[] { water.Id, school.Id, road.Id }.Order(), round.Projects.Select(p => p.ProposalId).Order());
        var roundPath = $"/api/deliberation/processes/{story.Process.Id}/rounds/{round.Id}";

        Guid[][] choices = [[water.Id, school.Id], [water.Id, school.Id], [school.Id, water.Id], [water.Id, road.Id]];
        var receipts = new List<string>();
        for (var i = 0; i < voters.Count; i++)
        {
            var receipt = await CastAsync(voters[i].Client, roundPath, new { projects = choices[i] });
            Assert.Matches(ReceiptFormat(), receipt.Receipt);
            Assert.Equal(round.Id, receipt.RoundId);
            receipts.Add(receipt.Receipt);
        }
        Assert.Equal(4, receipts.Distinct().Count());
        Assert.Equal(4, (await Public.GetFromJsonAsync<RoundDto>(roundPath, Ct))!.Voters);

        // Nothing of the count is published while the vote runs.
        foreach (var path in new[] { "/result", "/ballots", $"/receipts/{receipts[0]}", "/election.pb" })
        {
            await ProblemAsync(Public.GetAsync(roundPath + path, Ct), HttpStatusCode.Conflict, "roundId", "still open");
        }
        await ProblemAsync(story.Admin.PostAsync($"/api/deliberation/processes/{story.Process.Id}/prioritized-list", null, Ct), HttpStatusCode.Conflict, "roundId", "still open");

        var closed = await ExpectAsync<ResultDto>(story.Admin.PostAsync($"{roundPath}/closure", null, Ct), HttpStatusCode.OK);
        var resultBody = await BodyAsync(Public.GetAsync($"{roundPath}/result", Ct), HttpStatusCode.OK);
        var result = JsonSerializer.Deserialize<ResultDto>(resultBody, Web)!;
        Assert.Equal((closed.RoundId, closed.Rule, closed.Spent), (result.RoundId, result.Rule, result.Spent));
        Assert.Equal(closed.Projects, result.Projects);
        Assert.Equal(("mes-add1", 1_000_000m, 4, 4, 0), (result.Rule, result.Budget, result.Ballots, result.OnlineBallots, result.PaperBallots));
        Assert.Equal(new[] { water.Id, school.Id, road.Id }.Order(), result.Projects.Select(p => p.ProposalId).Order());
        Assert.All(result.Projects, p => Assert.False(string.IsNullOrWhiteSpace(p.Reason), $"{p.Title} has a reason"));
        var byId = result.Projects.ToDictionary(p => p.ProposalId);
        // Each voter's equal share is 250,000: water and school are paid for; road's one supporter has 150,000 left.
        Assert.Equal((4, "Funded"), (byId[water.Id].Supporters, byId[water.Id].Verdict));
        Assert.Equal((3, "Funded"), (byId[school.Id].Supporters, byId[school.Id].Verdict));
        Assert.Equal(1, byId[road.Id].Supporters);
        Assert.NotEqual("Funded", byId[road.Id].Verdict);
        Assert.Equal(700_000m, result.Spent);

        var ballotsBody = await BodyAsync(Public.GetAsync($"{roundPath}/ballots", Ct), HttpStatusCode.OK);
        var ballots = JsonSerializer.Deserialize<List<BallotDto>>(ballotsBody, Web)!;
        Assert.Equal(receipts.Order(StringComparer.Ordinal), ballots.Select(b => b.Receipt).Order(StringComparer.Ordinal));
        var roundBody = await BodyAsync(Public.GetAsync(roundPath, Ct), HttpStatusCode.OK);
        foreach (var agent in voters.Select(v => v.Agent.Id.ToString()))
        {
            Assert.DoesNotContain(agent, ballotsBody, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(agent, resultBody, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(agent, roundBody, StringComparison.OrdinalIgnoreCase);
        }
        for (var i = 0; i < voters.Count; i++)
        {
            var published = ballots.Single(b => b.Receipt == receipts[i]);
            Assert.Equal(choices[i], published.Projects);
            Assert.Equal("Online", published.Channel);
            Assert.Empty(published.Points);
            // The voter checks their own ballot by the receipt, typed as they may type it.
            var found = await ExpectAsync<BallotDto>(Public.GetAsync($"{roundPath}/receipts/{receipts[i].ToLowerInvariant()}", Ct), HttpStatusCode.OK);
            Assert.Equal(receipts[i], found.Receipt);
            Assert.Equal(choices[i], found.Projects);
        }

        var list = await story.PrioritizeAsync();
        Assert.Equal("mes-add1", list.Rule);
        var funded = result.Projects.Where(p => p.Verdict == "Funded").Select(p => p.ProposalId).ToHashSet();
        Assert.Equal(funded.Order(), list.Projects.Select(p => p.ProposalId).Order());
        Assert.Equal(700_000m, list.TotalCost);
        Assert.Equal(Enumerable.Range(1, list.Projects.Count), list.Projects.Select(p => p.Rank));

        var coordinated = await Eventually.Get(async () =>
        {
            var r = await Public.GetAsync($"/api/coordination/processes/{story.Process.Id}/list", Ct);
            return r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadFromJsonAsync<CoordinatedListDto>(Ct) : null;
        }, "coordination to receive the voted list");
        Assert.Equal(list.Projects.Select(p => (p.ProposalId, p.Rank)), coordinated.Projects.Select(p => (p.ProposalId, p.Rank)));
        Assert.Equal(700_000m, coordinated.TotalCost);
    }

    [Fact]
    public async Task The_published_election_file_recomputed_with_pbtool_funds_exactly_what_the_service_funded()
    {
        var (story, voters) = await ConcertationWithVotersAsync("100103", "Presupuesto Participativo Amarilis Alto 2027", 1_000_000m,
            [("Carmen Rojas Valdivia", "46100301"), ("Lidia Falcón Ñaupari", "46100302"), ("Sonia Beraún Chávez", "46100303"), ("Marta Lino Espíritu", "46100304"),
             ("Olga Trujillo Mendoza", "46100305")], trained: 5);
        var p1 = await story.ProposeAsync("Mercado de abastos", 450_000m);
        var p2 = await story.ProposeAsync("Puesto de salud Llicua", 350_000m);
        var p3 = await story.ProposeAsync("Canal de riego Huayopampa", 300_000m);
        var p4 = await story.ProposeAsync("Losa deportiva Paucarbamba", 250_000m);
        await story.AssessAsync((p1, true, 70m, "Viable"), (p2, true, 80m, "Viable"), (p3, true, 65m, "Viable"), (p4, true, 50m, "Viable"));
        var round = await OpenRoundAsync(story, new { });
        var roundPath = $"/api/deliberation/processes/{story.Process.Id}/rounds/{round.Id}";
        Guid[][] choices = [[p1.Id, p2.Id], [p1.Id, p3.Id], [p2.Id, p4.Id], [p3.Id, p4.Id], [p1.Id, p4.Id]];
        for (var i = 0; i < voters.Count; i++)
        {
            await CastAsync(voters[i].Client, roundPath, new { projects = choices[i] });
        }
        var result = await ExpectAsync<ResultDto>(story.Admin.PostAsync($"{roundPath}/closure", null, Ct), HttpStatusCode.OK);
        var list = await story.PrioritizeAsync();

        var download = await Public.GetAsync($"{roundPath}/election.pb", Ct);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var file = Path.Combine(Path.GetTempPath(), $"vote-{round.Id}.pb");
        await File.WriteAllBytesAsync(file, await download.Content.ReadAsByteArrayAsync(Ct), Ct);
        try
        {
            var recomputed = await PbToolAllocateAsync(file, "mes-add1");
            var selected = recomputed.GetProperty("selected").EnumerateArray().Select(e => Guid.Parse(e.GetString()!)).ToList();
            Assert.NotEmpty(selected);
            // The prioritised list ranks the vote's funded projects in the order the rule selected them.
            Assert.Equal(selected, list.Projects.Select(p => p.ProposalId));
            Assert.Equal(selected.Order(), result.Projects.Where(p => p.Verdict == "Funded").Select(p => p.ProposalId).Order());
            Assert.Equal(result.Spent, recomputed.GetProperty("spent").GetDecimal());
            Assert.Equal(5, recomputed.GetProperty("ballots").GetInt32());
            var byId = result.Projects.ToDictionary(p => p.ProposalId);
            foreach (var p in recomputed.GetProperty("projects").EnumerateArray())
            {
                var mine = byId[Guid.Parse(p.GetProperty("id").GetString()!)];
                Assert.Equal((mine.Verdict == "Funded", mine.Supporters, mine.Score),
                    (p.GetProperty("funded").GetBoolean(), p.GetProperty("supporters").GetInt32(), p.GetProperty("score").GetDecimal()));
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_thousand_simultaneous_ballots_from_one_voter_store_exactly_one()
    {
        var (story, voters) = await ConcertationWithVotersAsync("100104", "Presupuesto Participativo Cayrán 2027", 800_000m,
            [("Teodora Alvarado Rupay", "46100401"), ("Felícita Bravo Huerta", "46100402")], trained: 2);
        var a = await story.ProposeAsync("Reservorio Cayrán", 300_000m);
        var b = await story.ProposeAsync("Alumbrado Nauyán", 200_000m);
        await story.AssessAsync((a, true, 70m, "Viable"), (b, true, 60m, "Viable"));
        var round = await OpenRoundAsync(story, new { });
        var roundPath = $"/api/deliberation/processes/{story.Process.Id}/rounds/{round.Id}";
        await CastAsync(voters[1].Client, roundPath, new { projects = new[] { b.Id } });

        const int attempts = 1_000;
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = attempts };
        using var burst = new HttpClient(handler) { BaseAddress = system.App.GetEndpoint("gateway", "http"), Timeout = TimeSpan.FromMinutes(3) };
        burst.DefaultRequestHeaders.Authorization = voters[0].Client.DefaultRequestHeaders.Authorization;
        using var gate = new SemaphoreSlim(0);
        var sends = Enumerable.Range(0, attempts).Select(async _ =>
        {
            await gate.WaitAsync(Ct);
            using var response = await burst.PostAsJsonAsync($"{roundPath}/ballots", new { projects = new[] { a.Id, b.Id } }, Ct);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(Ct));
        }).ToList();
        gate.Release(attempts);
        var answers = await Task.WhenAll(sends);

        var counts = answers.GroupBy(r => (int)r.StatusCode).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());
        var summary = string.Join(", ", counts.Select(c => $"{c.Key}: {c.Value}"));
        TestContext.Current.TestOutputHelper?.WriteLine($"{attempts} simultaneous ballots by one voter: {summary}");
        Assert.True(counts.Keys.All(k => k is 201 or 409 or 429), $"only 201, 409 and 429: {summary}; e.g. {answers.FirstOrDefault(r => (int)r.StatusCode is not (201 or 409 or 429)).Body}");
        Assert.True(counts.GetValueOrDefault(201) == 1, $"exactly one ballot accepted: {summary}");
        Assert.All(answers.Where(r => r.StatusCode == HttpStatusCode.Conflict), r => Assert.Contains("already voted", r.Body));
        var receipt = JsonSerializer.Deserialize<ReceiptDto>(answers.Single(r => r.StatusCode == HttpStatusCode.Created).Body, Web)!;

        Assert.Equal(2, (await Public.GetFromJsonAsync<RoundDto>(roundPath, Ct))!.Voters);
        await ExpectAsync<ResultDto>(story.Admin.PostAsync($"{roundPath}/closure", null, Ct), HttpStatusCode.OK);
        var ballots = (await Public.GetFromJsonAsync<List<BallotDto>>($"{roundPath}/ballots", Ct))!;
        Assert.Equal(2, ballots.Count);
        Assert.Equal([a.Id, b.Id], ballots.Single(x => x.Receipt == receipt.Receipt).Projects);
        var result = (await Public.GetFromJsonAsync<ResultDto>($"{roundPath}/result", Ct))!;
        Assert.Equal((1, 2), (result.Projects.Single(p => p.ProposalId == a.Id).Supporters, result.Projects.Single(p => p.ProposalId == b.Id).Supporters));
    }

    [Fact]
    public async Task Refused_ballots_name_the_field_and_store_nothing()
    {
        var (story, voters) = await ConcertationWithVotersAsync("100105", "Presupuesto Participativo Conchamarca 2027", 1_000_000m,
            [("Victoria Salas Inga", "46100501"), ("Wilma Quispe Cárdenas", "46100502"), ("Rita Paucar Leandro", "46100503"), ("Ursula Tolentino Baldeón", "46100504")],
            trained: 3, concertation: false);
        // Trained: Victoria votes, Wilma tries after the close, Rita is revoked while the vote runs; Ursula never trained.
        var (victoria, wilma, rita, ursula) = (voters[0], voters[1], voters[2], voters[3]);
        var processPath = $"/api/deliberation/processes/{story.Process.Id}";

        // In Preparation there is no vote to open, and no round to cast in.
        await ProblemAsync(story.Admin.PostAsJsonAsync($"{processPath}/rounds", new { }, Ct), HttpStatusCode.Conflict, null, null);
        await ProblemAsync(victoria.Client.PostAsJsonAsync($"{processPath}/rounds/{Guid.NewGuid()}/ballots", new { projects = new[] { Guid.NewGuid() } }, Ct), HttpStatusCode.NotFound, null, null);
        await story.StartConcertationAsync();
        var a = await story.ProposeAsync("Posta médica Conchamarca", 400_000m);
        var b = await story.ProposeAsync("Puente peatonal Huancachupa", 300_000m);
        var c = await story.ProposeAsync("Biblioteca comunal", 200_000m);
        await story.AssessAsync((a, true, 80m, "Viable"), (b, true, 70m, "Viable"), (c, true, 60m, "Viable"));
        await ProblemAsync(victoria.Client.PostAsJsonAsync($"{processPath}/rounds/{Guid.NewGuid()}/ballots", new { projects = new[] { a.Id } }, Ct), HttpStatusCode.NotFound, null, null);

        await ProblemAsync(story.Admin.PostAsJsonAsync($"{processPath}/rounds", new { maxProjects = 4 }, Ct), HttpStatusCode.BadRequest, "maxProjects", "1 to 3");
        await ProblemAsync(story.Admin.PostAsJsonAsync($"{processPath}/rounds", new { points = 10 }, Ct), HttpStatusCode.BadRequest, "points", "Only cumulative");
        var round = await OpenRoundAsync(story, new { budgetLimit = 600_000m, maxProjects = 2 });
        Assert.Equal((600_000m, 2), (round.BudgetLimit, round.MaxProjects));
        await ProblemAsync(story.Admin.PostAsJsonAsync($"{processPath}/rounds", new { }, Ct), HttpStatusCode.Conflict, "processId", "already has its vote");
        var roundPath = $"{processPath}/rounds/{round.Id}";
        var ballotsPath = $"{roundPath}/ballots";

        var unknown = Guid.NewGuid();
        await RefusedAsync(roundPath, victoria.Client.PostAsJsonAsync(ballotsPath, new { projects = new[] { unknown } }, Ct), HttpStatusCode.BadRequest, "projects[0]", "not on this round's ballot");
        await RefusedAsync(roundPath, victoria.Client.PostAsJsonAsync(ballotsPath, new { projects = new[] { c.Id, unknown } }, Ct), HttpStatusCode.BadRequest, "projects[1]", "not on this round's ballot");
        await RefusedAsync(roundPath, victoria.Client.PostAsJsonAsync(ballotsPath, new { projects = new[] { c.Id, c.Id } }, Ct), HttpStatusCode.BadRequest, "projects", "appears twice");
        await RefusedAsync(roundPath, victoria.Client.PostAsJsonAsync(ballotsPath, new { projects = new[] { a.Id, b.Id } }, Ct), HttpStatusCode.BadRequest, "projects",
            "S/ 700,000.00, over the ballot's limit of S/ 600,000.00");
        await RefusedAsync(roundPath, victoria.Client.PostAsJsonAsync(ballotsPath, new { projects = new[] { a.Id, b.Id, c.Id } }, Ct), HttpStatusCode.BadRequest, "projects", "At most 2 projects");
        await RefusedAsync(roundPath, victoria.Client.PostAsJsonAsync(ballotsPath, new { projects = Array.Empty<Guid>() }, Ct), HttpStatusCode.BadRequest, "projects", "at least one");
        await RefusedAsync(roundPath, victoria.Client.PostAsJsonAsync(ballotsPath, new { projects = new[] { c.Id }, points = new[] { 5 } }, Ct), HttpStatusCode.BadRequest, "points", "carry no points");

        // Untrained: refused, and the agent reads why.
        await RefusedAsync(roundPath, ursula.Client.PostAsJsonAsync(ballotsPath, new { projects = new[] { c.Id } }, Ct), HttpStatusCode.Forbidden, null, "TrainingNotAttended");
        var untrained = (await ursula.Client.GetFromJsonAsync<EligibilityTests.EligibilityDto>($"{processPath}/eligibility", Ct))!;
        Assert.Equal((false, true, false), (untrained.MayVote, untrained.MayPropose, untrained.Trained));
        Assert.Equal(["TrainingNotAttended"], untrained.Reasons);

        // Revoked while the vote runs: refused once deliberation learns of it.
        Assert.Equal(HttpStatusCode.OK, (await story.Admin.PostAsJsonAsync($"/api/registration/processes/{story.Process.Id}/agents/{rita.Agent.Id}/revocation",
            new { reason = "Dejó de representar a su organización" }, Ct)).StatusCode);
        await Eventually.Get(async () =>
        {
            var e = await story.Admin.GetFromJsonAsync<EligibilityTests.EligibilityDto>($"{processPath}/eligibility?agentId={rita.Agent.Id}", Ct);
            return e is { Reasons: ["AccreditationRevoked"] } ? e : null;
        }, "deliberation to learn of the revocation");
        await RefusedAsync(roundPath, rita.Client.PostAsJsonAsync(ballotsPath, new { projects = new[] { c.Id } }, Ct), HttpStatusCode.Forbidden, null, "AccreditationRevoked");

        var cast = await CastAsync(victoria.Client, roundPath, new { projects = new[] { b.Id, c.Id } });
        Assert.Equal(1, (await Public.GetFromJsonAsync<RoundDto>(roundPath, Ct))!.Voters);
        await RefusedAsync(roundPath, victoria.Client.PostAsJsonAsync(ballotsPath, new { projects = new[] { a.Id } }, Ct), HttpStatusCode.Conflict, "ballot", "already voted");

        await ExpectAsync<ResultDto>(story.Admin.PostAsync($"{roundPath}/closure", null, Ct), HttpStatusCode.OK);
        await RefusedAsync(roundPath, wilma.Client.PostAsJsonAsync(ballotsPath, new { projects = new[] { c.Id } }, Ct), HttpStatusCode.Conflict, "roundId", "closed");
        await ProblemAsync(story.Admin.PostAsync($"{roundPath}/closure", null, Ct), HttpStatusCode.Conflict, "roundId", "already closed");

        await ProblemAsync(Public.GetAsync($"{roundPath}/receipts/NOT-A-RECEIPT", Ct), HttpStatusCode.BadRequest, "receipt", "three groups of four");
        await ProblemAsync(Public.GetAsync($"{roundPath}/receipts/ABCD-EFGH-IJKL", Ct), HttpStatusCode.BadRequest, "receipt", "three groups of four");
        var stranger = cast.Receipt == "0000-0000-0000" ? "1111-1111-1111" : "0000-0000-0000";
        Assert.Equal(HttpStatusCode.NotFound, (await Public.GetAsync($"{roundPath}/receipts/{stranger}", Ct)).StatusCode);
        var ballot = Assert.Single((await Public.GetFromJsonAsync<List<BallotDto>>($"{roundPath}/ballots", Ct))!);
        Assert.Equal(cast.Receipt, ballot.Receipt);
        Assert.Equal([b.Id, c.Id], ballot.Projects);
    }

    [Fact]
    public async Task The_audit_trail_names_who_voted_but_never_their_receipt_or_choice()
    {
        var (story, voters) = await ConcertationWithVotersAsync("100106", "Presupuesto Participativo Pillco Marca Norte 2027", 900_000m,
            [("Agripina Soto Ayala", "46100601"), ("Benita Herrera Cornejo", "46100602"), ("Clotilde Ramos Santiago", "46100603")], trained: 3);
        var a = await story.ProposeAsync("Pistas y veredas Cayhuayna", 450_000m);
        var b = await story.ProposeAsync("Centro de salud mental comunitario", 350_000m);
        await story.AssessAsync((a, true, 70m, "Viable"), (b, true, 75m, "Viable"));
        var round = await OpenRoundAsync(story, new { });
        var roundPath = $"/api/deliberation/processes/{story.Process.Id}/rounds/{round.Id}";
        Guid[][] choices = [[a.Id], [b.Id], [a.Id, b.Id]];
        var receipts = new List<string>();
        for (var i = 0; i < voters.Count; i++)
        {
            receipts.Add((await CastAsync(voters[i].Client, roundPath, new { projects = choices[i] })).Receipt);
        }
        await ExpectAsync<ResultDto>(story.Admin.PostAsync($"{roundPath}/closure", null, Ct), HttpStatusCode.OK);

        var oversight = system.As(await system.TokenAsync("oversight", "100106", "comite-vigilancia-pillco"));
        var trail = (await oversight.GetFromJsonAsync<List<JsonElement>>($"/api/deliberation/audit?processId={story.Process.Id}", Ct))!;
        var cast = trail.Where(e => e.GetProperty("action").GetString() == "ballot.cast").ToList();
        Assert.Equal(voters.Select(v => v.Agent.Id.ToString()).Order(), cast.Select(e => e.GetProperty("subject").GetString()!).Order());
        Assert.All(cast, e => Assert.Equal("agent", e.GetProperty("role").GetString()));
        foreach (var entry in cast.Select(e => e.GetRawText()))
        {
            foreach (var receipt in receipts)
            {
                Assert.DoesNotContain(receipt, entry, StringComparison.OrdinalIgnoreCase);
            }
            foreach (var project in new[] { a.Id, b.Id })
            {
                Assert.DoesNotContain(project.ToString(), entry, StringComparison.OrdinalIgnoreCase);
            }
        }
        // The trail records the vote's opening and close alongside, and still verifies.
        Assert.Contains(trail, e => e.GetProperty("action").GetString() == "round.opened");
        Assert.Contains(trail, e => e.GetProperty("action").GetString() == "round.closed");
        Assert.True((await oversight.GetFromJsonAsync<AuditEndpointsTests.VerificationDto>("/api/deliberation/audit/verification", Ct))!.Ok);
    }

    [Fact]
    public async Task A_cumulative_vote_needs_points_refuses_more_than_the_total_and_scores_each_project_by_its_points()
    {
        const string jurisdiction = "100107";
        var admin = system.As(await system.TokenAsync("process-admin", jurisdiction, $"pp-{jurisdiction}"));
        var rules = new
        {
            agentsPerOrganisation = 2, trainingRequiredToVote = false, ballotFormat = "Cumulative", allocationRule = "greedy", oversightCommitteeSize = 5,
            delegateSeats = 6, directiveCommitteeSeats = 5, quotas = Array.Empty<object>(),
        };
        var process = await ExpectAsync<ProcessDto>(admin.PostAsJsonAsync("/api/registration/processes", new
        {
            name = "Presupuesto Participativo Quicacán 2027", fiscalYear = DateTime.UtcNow.Year + 1, level = "district", budgetCeiling = 1_000_000m,
            calendar = ProcessStory.CompressedCalendar(), rules,
        }, Ct), HttpStatusCode.Created);
        var voters = await AccreditAsync(admin, process, jurisdiction,
            [("Dionisia Campos Berrospi", "46100701"), ("Eulalia Mallqui Trinidad", "46100702"), ("Fortunata Gora Jesús", "46100703")]);
        var processPath = $"/api/deliberation/processes/{process.Id}";
        foreach (var v in voters)
        {
            await WaitEligibleAsync(admin, process.Id, v.Agent.Id, mayVote: true);
        }
        await ProcessSteps.AdvanceAsync(admin, process.Id, "Concertation", Ct);
        var proposals = new List<ProposalDto>();
        foreach (var (title, cost) in new[] { ("Mejoramiento del estadio", 500_000m), ("Electrificación Chullqui", 300_000m), ("Agua y desagüe Quicacán", 400_000m) })
        {
            var proposed = await ProcessSteps.UntilAsync(() => voters[0].Client.PostAsJsonAsync($"{processPath}/proposals", ProcessSteps.Proposal(title, cost), Ct),
                HttpStatusCode.Created, "deliberation to accept a proposal");
            proposals.Add((await proposed.Content.ReadFromJsonAsync<ProposalDto>(Ct))!);
        }
        var assessor = system.As(await system.TokenAsync("technical-team", jurisdiction, $"equipo-tecnico-{jurisdiction}"));
        foreach (var p in proposals)
        {
            await ProcessSteps.UntilAsync(() => assessor.PostAsJsonAsync($"/api/assessment/proposals/{p.Id}/recommendation", new { viable = true, score = 70m, reasons = "Viable" }, Ct),
                HttpStatusCode.OK, "the assessment");
        }
        await Eventually.Get(async () =>
        {
            var seen = await admin.GetFromJsonAsync<List<ProposalDto>>($"{processPath}/proposals", Ct);
            return seen!.All(p => p.Status == "Viable") ? seen : null;
        }, "deliberation to record the assessments");
        var (stadium, power, water) = (proposals[0].Id, proposals[1].Id, proposals[2].Id);

        await ProblemAsync(admin.PostAsJsonAsync($"{processPath}/rounds", new { }, Ct), HttpStatusCode.BadRequest, "points", "need the points");
        await ProblemAsync(admin.PostAsJsonAsync($"{processPath}/rounds", new { points = 10, budgetLimit = 500_000m }, Ct), HttpStatusCode.BadRequest, "budgetLimit", "Only approval");
        var round = await ExpectAsync<RoundDto>(admin.PostAsJsonAsync($"{processPath}/rounds", new { points = 10 }, Ct), HttpStatusCode.Created);
        Assert.Equal(("Cumulative", (int?)10), (round.Format, round.Points));
        var roundPath = $"{processPath}/rounds/{round.Id}";
        var ballotsPath = $"{roundPath}/ballots";

        await RefusedAsync(roundPath, voters[0].Client.PostAsJsonAsync(ballotsPath, new { projects = new[] { stadium, power }, points = new[] { 6, 5 } }, Ct),
            HttpStatusCode.BadRequest, "points", "At most 10 points in all; this ballot gives 11");
        await RefusedAsync(roundPath, voters[0].Client.PostAsJsonAsync(ballotsPath, new { projects = new[] { stadium, power }, points = new[] { 10 } }, Ct),
            HttpStatusCode.BadRequest, "points", "same order");
        await RefusedAsync(roundPath, voters[0].Client.PostAsJsonAsync(ballotsPath, new { projects = new[] { stadium, power }, points = new[] { 10, 0 } }, Ct),
            HttpStatusCode.BadRequest, "points", "positive");

        (Guid[] Projects, int[] Points)[] choices = [([stadium, power], [6, 4]), ([power, water], [7, 3]), ([stadium, water], [2, 8])];
        var receipts = new List<string>();
        for (var i = 0; i < voters.Count; i++)
        {
            receipts.Add((await CastAsync(voters[i].Client, roundPath, new { projects = choices[i].Projects, points = choices[i].Points })).Receipt);
        }
        var result = await ExpectAsync<ResultDto>(admin.PostAsync($"{roundPath}/closure", null, Ct), HttpStatusCode.OK);
        Assert.Equal("greedy", result.Rule);
        var score = result.Projects.ToDictionary(p => p.ProposalId, p => (p.Score, p.Supporters));
        Assert.Equal((8m, 2), score[stadium]);
        Assert.Equal((11m, 2), score[power]);
        Assert.Equal((11m, 2), score[water]);
        // Greedy by points: electrification and water (11 each) fit in 1,000,000; the stadium (8) does not fit in the 300,000 left.
        var verdict = result.Projects.ToDictionary(p => p.ProposalId, p => p.Verdict);
        Assert.Equal(("Funded", "Funded", "DidNotFit"), (verdict[power], verdict[water], verdict[stadium]));
        Assert.Equal(700_000m, result.Spent);

        var ballots = (await Public.GetFromJsonAsync<List<BallotDto>>($"{roundPath}/ballots", Ct))!;
        for (var i = 0; i < voters.Count; i++)
        {
            var ballot = ballots.Single(b => b.Receipt == receipts[i]);
            Assert.Equal(choices[i].Projects, ballot.Projects);
            Assert.Equal(choices[i].Points, ballot.Points);
        }
    }

    /// <summary>
    /// A process in Preparation with its agents accredited, the first <paramref name="trained"/> of them trained and
    /// deliberation aware of both; then, unless told otherwise, in Concertation.
    /// </summary>
    [Fact]
    public async Task Paper_ballots_from_a_workshop_count_one_each_apart_from_online_ones_and_equal_shares_is_compared_with_greedy()
    {
        var (story, voters) = await ConcertationWithVotersAsync("100108", "Presupuesto Participativo Pillco Marca 2027", 1_000_000m,
            [("Nelly Ambrosio Cárdenas", "46100801"), ("Gloria Tarazona Ruiz", "46100802")], trained: 2);
        var market = await story.ProposeAsync("Mercado de Cayhuayna", 600_000m);
        var sports = await story.ProposeAsync("Losa deportiva Potracancha", 400_000m);
        var canal = await story.ProposeAsync("Canal de riego Vichaycoto", 400_000m);
        await story.AssessAsync((market, true, 70m, "Viable"), (sports, true, 60m, "Viable"), (canal, true, 65m, "Viable"));
        var round = await OpenRoundAsync(story, new { });
        var roundPath = $"/api/deliberation/processes/{story.Process.Id}/rounds/{round.Id}";
        await CastAsync(voters[0].Client, roundPath, new { projects = new[] { market.Id } });
        await CastAsync(voters[1].Client, roundPath, new { projects = new[] { market.Id, sports.Id } });
        // The workshop's paper ballots, entered one at a time by the officer; each is checked like an online one.
        var paperReceipts = new List<string>();
        foreach (var choice in new[] { new[] { canal.Id }, [canal.Id], [canal.Id], [canal.Id], [market.Id, sports.Id] })
        {
            paperReceipts.Add((await ExpectAsync<ReceiptDto>(story.Admin.PostAsJsonAsync($"{roundPath}/paper-ballots",
                new { batch = "Taller de Cayhuayna, mesa 1", projects = choice }, Ct), HttpStatusCode.Created)).Receipt);
        }
        await ProblemAsync(story.Admin.PostAsJsonAsync($"{roundPath}/paper-ballots", new { batch = "Taller de Cayhuayna, mesa 1", projects = new[] { canal.Id, canal.Id } }, Ct),
            HttpStatusCode.BadRequest, "projects", "appears twice");
        await ProblemAsync(story.Admin.PostAsJsonAsync($"{roundPath}/paper-ballots", new { projects = new[] { canal.Id } }, Ct), HttpStatusCode.BadRequest, "batch", "Required");
        Assert.Equal(HttpStatusCode.Forbidden, (await voters[0].Client.PostAsJsonAsync($"{roundPath}/paper-ballots", new { batch = "x", projects = new[] { canal.Id } }, Ct)).StatusCode);

        var result = await ExpectAsync<ResultDto>(story.Admin.PostAsync($"{roundPath}/closure", null, Ct), HttpStatusCode.OK);

        Assert.Equal((7, 2, 5), (result.Ballots, result.OnlineBallots, result.PaperBallots));
        var paper = await ExpectAsync<BallotDto>(Public.GetAsync($"{roundPath}/receipts/{paperReceipts[4]}", Ct), HttpStatusCode.OK);
        Assert.Equal("Paper", paper.Channel);
        Assert.Equal([market.Id, sports.Id], paper.Projects);
        // Greedy on the same ballots: the canal (4 votes) then the market (3) fill S/ 1,000,000; every voter is counted once in the comparison.
        var compared = Assert.IsType<ComparisonDto>(result.ComparedWithGreedy);
        Assert.Equal([canal.Id, market.Id], compared.GreedySelected);
        Assert.Equal(1_000_000m, compared.GreedySpent);
        Assert.Equal(result.Ballots, compared.PreferThisOutcome + compared.PreferGreedy + compared.Indifferent);
        var oversight = system.As(await system.TokenAsync("oversight", "100108", "comite-pillco-marca"));
        var trail = (await oversight.GetFromJsonAsync<List<JsonElement>>($"/api/deliberation/audit?processId={story.Process.Id}", Ct))!;
        var entered = trail.Where(e => e.GetProperty("action").GetString() == "ballot.paper-entered").ToList();
        Assert.Equal(5, entered.Count);
        Assert.All(entered, e => Assert.Equal("Taller de Cayhuayna, mesa 1", e.GetProperty("newValues").GetProperty("batch").GetString()));
        Assert.DoesNotContain(paperReceipts, r => trail.Any(e => e.GetRawText().Contains(r, StringComparison.Ordinal)));
    }

    private async Task<(ProcessStory Story, List<Voter> Voters)> ConcertationWithVotersAsync(string jurisdiction, string name, decimal ceiling,
        (string FullName, string Dni)[] agents, int trained, bool concertation = true)
    {
        var story = await ProcessStory.OpenAsync(system, jurisdiction, name, ceiling, Ct);
        var accredited = await story.AccreditAgentsAsync(agents.Select((a, i) => (a.FullName, a.Dni, $"Comité vecinal {jurisdiction}-{i + 1}")).ToArray());
        var voters = new List<Voter>();
        foreach (var agent in accredited)
        {
            voters.Add(new Voter(agent, system.As(await system.TokenAsync("agent", jurisdiction, agent.Id.ToString()))));
        }
        var session = await ExpectAsync<JsonElement>(story.Admin.PostAsJsonAsync($"/api/registration/processes/{story.Process.Id}/training-sessions",
            new { date = ProcessStory.TodayInLima.ToString("yyyy-MM-dd"), topic = "Presupuesto participativo y voto", place = "Municipalidad" }, Ct), HttpStatusCode.Created);
        var sessionId = session.GetProperty("id").GetGuid();
        foreach (var voter in voters.Take(trained))
        {
            await ExpectAsync<JsonElement>(voter.Client.PostAsJsonAsync($"/api/registration/processes/{story.Process.Id}/training-sessions/{sessionId}/attendance", new { }, Ct),
                HttpStatusCode.OK);
        }
        for (var i = 0; i < voters.Count; i++)
        {
            await WaitEligibleAsync(story.Admin, story.Process.Id, voters[i].Agent.Id, mayVote: i < trained);
        }
        if (concertation)
        {
            await story.StartConcertationAsync();
        }
        return (story, voters);
    }

    private static async Task WaitEligibleAsync(HttpClient admin, Guid processId, Guid agentId, bool mayVote) =>
        await Eventually.Get(async () =>
        {
            var r = await admin.GetAsync($"/api/deliberation/processes/{processId}/eligibility?agentId={agentId}", Ct);
            var e = r.IsSuccessStatusCode ? await r.Content.ReadFromJsonAsync<EligibilityTests.EligibilityDto>(Ct) : null;
            return e is { MayPropose: true } && e.MayVote == mayVote ? e : null;
        }, $"deliberation to learn that agent {agentId} may propose and {(mayVote ? "may" : "may not")} vote");

    /// <summary>Preparation for a process with rules of its own: each agent's organisation registers, the committee confirms and accredits them.</summary>
    private async Task<List<Voter>> AccreditAsync(HttpClient admin, ProcessDto process, string jurisdiction, (string FullName, string Dni)[] agents)
    {
        var resident = system.As(await system.TokenAsync("resident", jurisdiction));
        var registrations = $"/api/registration/processes/{process.Id}";
        var accredited = new List<(Guid Id, string Name)>();
        for (var i = 0; i < agents.Length; i++)
        {
            var org = await ExpectAsync<OrganisationDto>(resident.PostAsJsonAsync("/api/registration/organisations", new
            {
                name = $"Comité vecinal {jurisdiction}-{i + 1}", type = "NeighbourhoodCommittee",
                registry = new { kind = "Municipal", number = $"RUOS-{jurisdiction}-{Guid.NewGuid():N}"[..24], date = "2019-03-15" }, territory = jurisdiction, activeMembers = 40,
            }, Ct), HttpStatusCode.Created);
            var application = await ExpectAsync<ApplicationDto>(resident.PostAsJsonAsync($"{registrations}/applications", new
            {
                organisationId = org.Id, channel = "Online",
                agents = new[] { new { role = "Representative", dni = agents[i].Dni, fullName = agents[i].FullName, gender = "Female", birthYear = 1980, phone = "987654321", email = (string?)null } },
            }, Ct), HttpStatusCode.Created);
            foreach (var kind in new[] { "RegistrationForm", "RegistryEntry", "AssemblyAct" })
            {
                using var form = new MultipartFormDataContent();
                form.Add(new StringContent(kind), "kind");
                var file = new ByteArrayContent(ProcessStory.Pdf($"{kind} {org.Name}"));
                file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                form.Add(file, "file", "documento.pdf");
                await ExpectAsync<JsonElement>(resident.PostAsync($"{registrations}/applications/{application.Id}/documents", form, Ct), HttpStatusCode.Created);
            }
            var agentId = application.Agents.Single().Id;
            await ExpectAsync<JsonElement>(admin.PostAsJsonAsync($"{registrations}/applications/{application.Id}/agents/{agentId}/identity", new { method = "DeskCard" }, Ct), HttpStatusCode.OK);
            await ExpectAsync<JsonElement>(admin.PostAsJsonAsync($"{registrations}/applications/{application.Id}/review", new { decision = "Eligible", reasons = "Documentos conformes" }, Ct),
                HttpStatusCode.OK);
            accredited.Add((agentId, agents[i].FullName));
        }
        await ExpectAsync<JsonElement>(admin.PostAsync($"{registrations}/eligible-list", null, Ct), HttpStatusCode.OK);
        await ExpectAsync<JsonElement>(admin.PostAsync($"{registrations}/accreditation", null, Ct), HttpStatusCode.OK);
        var voters = new List<Voter>();
        foreach (var (id, name) in accredited)
        {
            voters.Add(new Voter(new AgentDto(id, process.Id, name, "", "Accredited"), system.As(await system.TokenAsync("agent", jurisdiction, id.ToString()))));
        }
        return voters;
    }

    private static async Task<RoundDto> OpenRoundAsync(ProcessStory story, object request) =>
        await ExpectAsync<RoundDto>(story.Admin.PostAsJsonAsync($"/api/deliberation/processes/{story.Process.Id}/rounds", request, Ct), HttpStatusCode.Created);

    private static async Task<ReceiptDto> CastAsync(HttpClient voter, string roundPath, object ballot) =>
        await ExpectAsync<ReceiptDto>(voter.PostAsJsonAsync($"{roundPath}/ballots", ballot, Ct), HttpStatusCode.Created);

    /// <summary>A refused ballot: the problem names the field, and the round counts no more voters than before.</summary>
    private async Task RefusedAsync(string roundPath, Task<HttpResponseMessage> send, HttpStatusCode expected, string? field, string rule)
    {
        var before = (await Public.GetFromJsonAsync<RoundDto>(roundPath, Ct))!.Voters;
        var problem = await ProblemAsync(send, expected, field, rule);
        if (field is null)
        {
            Assert.Contains(rule, problem.Detail);
        }
        Assert.Equal(before, (await Public.GetFromJsonAsync<RoundDto>(roundPath, Ct))!.Voters);
    }

    /// <summary>Runs the repository's pbtool on a file, as anyone who downloaded the open data would, and reads its JSON answer.</summary>
    internal static async Task<JsonElement> PbToolAllocateAsync(string file, string rule)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "PBServices.sln")))
        {
            root = root.Parent;
        }
        Assert.NotNull(root);
        var dll = Path.Combine(root.FullName, "src", "PbTool", "bin", "Debug", "net10.0", "pbtool.dll");
        Assert.True(File.Exists(dll), $"pbtool is built with the solution: {dll}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { dll, "allocate", file, "--rule", rule, "--json" })
        {
            start.ArgumentList.Add(arg);
        }
        using var pbtool = Process.Start(start)!;
        var stdout = pbtool.StandardOutput.ReadToEndAsync(Ct);
        var stderr = pbtool.StandardError.ReadToEndAsync(Ct);
        await pbtool.WaitForExitAsync(Ct);
        Assert.True(pbtool.ExitCode == 0, $"pbtool exited {pbtool.ExitCode}: {await stderr}");
        return JsonDocument.Parse(await stdout).RootElement.Clone();
    }
}
