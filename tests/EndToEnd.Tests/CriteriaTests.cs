using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using static PBServices.EndToEnd.Tests.Answers;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// The criteria matrix through the gateway: the process-admin defines weighted criteria, whom the rules name
/// scores the viable proposals, anyone reads the ranking, and without a vote the prioritised list follows it.
/// </summary>
public sealed class CriteriaTests(SystemFixture system)
{
    public sealed record CriterionDto(Guid Id, int Position, string Name, decimal Weight, int ScaleMin, int ScaleMax);
    public sealed record MatrixDto(Guid ProcessId, string ScoredBy, bool Fixed, decimal TotalWeight, List<CriterionDto> Criteria);
    public sealed record ScoreValueDto(Guid CriterionId, string Name, int Value);
    public sealed record ScoresDto(Guid ProcessId, Guid ProposalId, string ScorerId, string Role, List<ScoreValueDto> Scores);
    public sealed record MeanDto(Guid CriterionId, string Name, decimal Weight, decimal? Mean);
    public sealed record RankedDto(Guid ProposalId, string Title, decimal Cost, int Scorers, List<MeanDto> Criteria, decimal? WeightedTotal, int? Rank);
    public sealed record RankingDto(Guid ProcessId, string ScoredBy, decimal TotalWeight, string Method, List<CriterionDto> Criteria, List<RankedDto> Proposals);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The six criteria the API documentation suggests, weighted 25/20/20/15/10/10 on 0..5.</summary>
    private static object UsualMatrix(decimal secondWeight = 20m, int firstScaleMax = 5) => new
    {
        criteria = new object[]
        {
            new { name = "Población beneficiada", weight = 25m, scaleMin = 0, scaleMax = firstScaleMax },
            new { name = "Brecha de pobreza", weight = secondWeight, scaleMin = 0, scaleMax = 5 },
            new { name = "Acceso a servicios básicos", weight = 20m, scaleMin = 0, scaleMax = 5 },
            new { name = "Alineamiento con el Plan de Desarrollo Concertado", weight = 15m, scaleMin = 0, scaleMax = 5 },
            new { name = "Cofinanciamiento", weight = 10m, scaleMin = 0, scaleMax = 5 },
            new { name = "Sostenibilidad", weight = 10m, scaleMin = 0, scaleMax = 5 },
        },
    };

    private static object Scores(MatrixDto matrix, params int[] values) =>
        new { scores = matrix.Criteria.Select((c, i) => new { criterionId = c.Id, value = values[i] }).ToArray() };

    private static string ScoresPath(ProcessStory story, ProposalDto p) => $"/api/deliberation/processes/{story.Process.Id}/proposals/{p.Id}/scores";

    [Fact]
    public async Task The_technical_team_scores_the_matrix_anyone_reads_the_ranking_and_without_a_vote_the_list_follows_the_weighted_totals_not_the_technical_scores()
    {
        var story = await ProcessStory.OpenAsync(system, "140101", "Presupuesto Participativo Chiclayo 2027", 1_000_000m, Ct);
        await story.AccreditAgentAsync("Santos Chapoñán Llontop", "46140101", "Comité vecinal Urrunaga");
        await story.StartConcertationAsync();
        var road = await story.ProposeAsync("Pistas y veredas Urrunaga", 500_000m);
        var clinic = await story.ProposeAsync("Puesto de salud Cerropón", 400_000m);
        var school = await story.ProposeAsync("Aulas IE 10022", 300_000m);
        // The technical order is road, school, clinic: greedily road and school (800,000), the clinic no longer fits.
        await story.AssessAsync((road, true, 90m, "Viable"), (clinic, true, 60m, "Viable"), (school, true, 75m, "Viable"));
        var criteriaPath = $"/api/deliberation/processes/{story.Process.Id}/criteria";
        await BodyAsync(system.Gateway.GetAsync(criteriaPath, Ct), HttpStatusCode.NotFound);

        await ProblemAsync(story.Admin.PutAsJsonAsync(criteriaPath, UsualMatrix(secondWeight: 0m), Ct), HttpStatusCode.BadRequest, "criteria[1].weight", "A positive number");
        await ProblemAsync(story.Admin.PutAsJsonAsync(criteriaPath, UsualMatrix(secondWeight: 0.00001m), Ct), HttpStatusCode.BadRequest, "criteria[1].weight", "at most 4 decimals");
        await ProblemAsync(story.Admin.PutAsJsonAsync(criteriaPath, UsualMatrix(firstScaleMax: 0), Ct), HttpStatusCode.BadRequest, "criteria[0].scaleMax", "above scaleMin (0)");
        await ProblemAsync(story.Agent.PutAsJsonAsync(criteriaPath, UsualMatrix(), Ct), HttpStatusCode.Forbidden, null, null);
        // A first matrix may be replaced while nothing is scored; the second is the one in force.
        await ExpectAsync<MatrixDto>(story.Admin.PutAsJsonAsync(criteriaPath, new { criteria = new[] { new { name = "Población beneficiada", weight = 1m, scaleMin = 0, scaleMax = 10 } } }, Ct),
            HttpStatusCode.OK);
        var matrix = await ExpectAsync<MatrixDto>(story.Admin.PutAsJsonAsync(criteriaPath, UsualMatrix(), Ct), HttpStatusCode.OK);
        Assert.Equal(("TechnicalTeam", false, 100m, 6), (matrix.ScoredBy, matrix.Fixed, matrix.TotalWeight, matrix.Criteria.Count));
        Assert.Equal(matrix.Criteria, (await ExpectAsync<MatrixDto>(system.Gateway.GetAsync(criteriaPath, Ct), HttpStatusCode.OK)).Criteria);

        var first = system.As(await system.TokenAsync("technical-team", "140101", "equipo-tecnico-140101-a"));
        var second = system.As(await system.TokenAsync("technical-team", "140101", "equipo-tecnico-140101-b"));
        await ProblemAsync(first.PutAsJsonAsync(ScoresPath(story, clinic), Scores(matrix, 6, 5, 4, 4, 3, 4), Ct), HttpStatusCode.BadRequest, "scores[0].value", "from 0 to 5");
        var refused = await ProblemAsync(story.Agent.PutAsJsonAsync(ScoresPath(story, clinic), Scores(matrix, 5, 5, 4, 4, 3, 4), Ct), HttpStatusCode.Forbidden, null, null);
        Assert.Contains("technical-team", refused.Detail);

        var recorded = await ExpectAsync<ScoresDto>(first.PutAsJsonAsync(ScoresPath(story, clinic), Scores(matrix, 5, 5, 4, 4, 3, 4), Ct), HttpStatusCode.OK);
        Assert.Equal(("technical-team", "equipo-tecnico-140101-a"), (recorded.Role, recorded.ScorerId));
        Assert.Equal([5, 5, 4, 4, 3, 4], recorded.Scores.Select(s => s.Value));
        // Scored once, the matrix is fixed.
        await ProblemAsync(story.Admin.PutAsJsonAsync(criteriaPath, UsualMatrix(), Ct), HttpStatusCode.Conflict, "criteria", "fixed");
        Assert.True((await ExpectAsync<MatrixDto>(system.Gateway.GetAsync(criteriaPath, Ct), HttpStatusCode.OK)).Fixed);

        await ExpectAsync<ScoresDto>(second.PutAsJsonAsync(ScoresPath(story, clinic), Scores(matrix, 5, 4, 5, 4, 3, 4), Ct), HttpStatusCode.OK);
        await ExpectAsync<ScoresDto>(first.PutAsJsonAsync(ScoresPath(story, school), Scores(matrix, 4, 4, 4, 4, 4, 4), Ct), HttpStatusCode.OK);
        await ExpectAsync<ScoresDto>(second.PutAsJsonAsync(ScoresPath(story, school), Scores(matrix, 4, 4, 4, 4, 4, 4), Ct), HttpStatusCode.OK);
        await ExpectAsync<ScoresDto>(first.PutAsJsonAsync(ScoresPath(story, road), Scores(matrix, 2, 2, 3, 3, 5, 2), Ct), HttpStatusCode.OK);
        // A scorer changes their mind before prioritisation: the later values replace the earlier.
        await ExpectAsync<ScoresDto>(second.PutAsJsonAsync(ScoresPath(story, road), Scores(matrix, 0, 0, 0, 0, 0, 0), Ct), HttpStatusCode.OK);
        await ExpectAsync<ScoresDto>(second.PutAsJsonAsync(ScoresPath(story, road), Scores(matrix, 3, 2, 3, 3, 5, 2), Ct), HttpStatusCode.OK);

        var ranking = await ExpectAsync<RankingDto>(system.Gateway.GetAsync($"{criteriaPath}/ranking", Ct), HttpStatusCode.OK);
        // Clinic: sums 10, 9, 9, 8, 6, 8 → (250 + 180 + 180 + 120 + 60 + 80) ÷ (2 × 100) = 4.35.
        // School: every mean 4 → 4.00. Road: sums 5, 4, 6, 6, 10, 4 → 555 ÷ 200 = 2.775, half away from zero 2.78.
        Assert.Equal([(clinic.Id, 4.35m, 1, 2), (school.Id, 4.00m, 2, 2), (road.Id, 2.78m, 3, 2)],
            ranking.Proposals.Select(p => (p.ProposalId, p.WeightedTotal!.Value, p.Rank!.Value, p.Scorers)));
        Assert.Equal([5m, 4.5m, 4.5m, 4m, 3m, 4m], ranking.Proposals[0].Criteria.Select(c => c.Mean!.Value));
        Assert.Equal([2.5m, 2m, 3m, 3m, 5m, 2m], ranking.Proposals[2].Criteria.Select(c => c.Mean!.Value));
        Assert.Contains("proposal id", ranking.Method);
        // The ranking names no scorer.
        var rankingBody = await BodyAsync(system.Gateway.GetAsync($"{criteriaPath}/ranking", Ct), HttpStatusCode.OK);
        Assert.DoesNotContain("equipo-tecnico", rankingBody);

        var list = await story.PrioritizeAsync();
        Assert.Equal("greedy-criteria", list.Rule);
        Assert.Equal([(clinic.Id, 4.35m, 1), (school.Id, 4.00m, 2)], list.Projects.Select(p => (p.ProposalId, p.Score, p.Rank)));
        Assert.Equal(700_000m, list.TotalCost);
        await ProblemAsync(first.PutAsJsonAsync(ScoresPath(story, road), Scores(matrix, 5, 5, 5, 5, 5, 5), Ct), HttpStatusCode.Conflict, "proposalId", "closed");

        var oversight = system.As(await system.TokenAsync("oversight", "140101", "comite-vigilancia-chiclayo"));
        var trail = (await oversight.GetFromJsonAsync<List<JsonElement>>($"/api/deliberation/audit?processId={story.Process.Id}", Ct))!;
        Assert.Equal(2, trail.Count(e => e.GetProperty("action").GetString() == "criteria.defined"));
        var scored = trail.Where(e => e.GetProperty("action").GetString() == "criteria.scored").ToList();
        Assert.Equal(7, scored.Count);
        Assert.All(scored, e => Assert.Equal("technical-team", e.GetProperty("role").GetString()));
    }

    [Fact]
    public async Task Where_agents_score_only_those_who_may_vote_do_two_at_once_both_land_and_one_agent_racing_the_same_score_stores_it_once()
    {
        var rules = new
        {
            agentsPerOrganisation = 2, trainingRequiredToVote = true, ballotFormat = "Approval", allocationRule = "greedy", oversightCommitteeSize = 5,
            delegateSeats = 6, directiveCommitteeSeats = 5, quotas = Array.Empty<object>(), criteriaScoredBy = "Agents",
        };
        var story = await ProcessStory.OpenAsync(system, "140102", "Presupuesto Participativo Chongoyape 2027", 800_000m, Ct, rules: rules);
        var agents = await story.AccreditAgentsAsync(("Felipa Sandoval Ñiquen", "46140201", "Comité vecinal Chongoyape 1"),
            ("Marcelina Chozo Puican", "46140202", "Comité vecinal Chongoyape 2"), ("Eusebia Carrasco Vidaurre", "46140203", "Comité vecinal Chongoyape 3"));
        var clients = new List<HttpClient>();
        foreach (var a in agents)
        {
            clients.Add(system.As(await system.TokenAsync("agent", "140102", a.Id.ToString())));
        }
        // The first two attend the training; the third does not, and may propose but not vote, so not score.
        var session = await ExpectAsync<JsonElement>(story.Admin.PostAsJsonAsync($"/api/registration/processes/{story.Process.Id}/training-sessions",
            new { date = ProcessStory.TodayInLima.ToString("yyyy-MM-dd"), topic = "Matriz de criterios", place = "Municipalidad" }, Ct), HttpStatusCode.Created);
        foreach (var client in clients.Take(2))
        {
            await ExpectAsync<JsonElement>(client.PostAsJsonAsync($"/api/registration/processes/{story.Process.Id}/training-sessions/{session.GetProperty("id").GetGuid()}/attendance",
                new { }, Ct), HttpStatusCode.OK);
        }
        foreach (var (agent, mayVote) in agents.Zip(new[] { true, true, false }))
        {
            await Eventually.Get(async () =>
            {
                var e = await story.Admin.GetFromJsonAsync<EligibilityTests.EligibilityDto>($"/api/deliberation/processes/{story.Process.Id}/eligibility?agentId={agent.Id}", Ct);
                return e is { MayPropose: true } && e.MayVote == mayVote ? e : null;
            }, $"deliberation to learn whether {agent.FullName} may vote");
        }
        await story.StartConcertationAsync();
        var canal = await story.ProposeAsync("Canal de riego Pampagrande", 350_000m);
        var lights = await story.ProposeAsync("Alumbrado público Mocupe", 200_000m);
        await story.AssessAsync((canal, true, 70m, "Viable"), (lights, true, 65m, "Viable"));
        var criteriaPath = $"/api/deliberation/processes/{story.Process.Id}/criteria";
        var matrix = await ExpectAsync<MatrixDto>(story.Admin.PutAsJsonAsync(criteriaPath, new
        {
            criteria = new[] { new { name = "Población beneficiada", weight = 0.6m, scaleMin = 1, scaleMax = 5 }, new { name = "Sostenibilidad", weight = 0.4m, scaleMin = 1, scaleMax = 5 } },
        }, Ct), HttpStatusCode.OK);
        Assert.Equal("Agents", matrix.ScoredBy);

        var technical = system.As(await system.TokenAsync("technical-team", "140102", "equipo-tecnico-140102"));
        Assert.Contains("agent role", (await ProblemAsync(technical.PutAsJsonAsync(ScoresPath(story, canal), Scores(matrix, 4, 4), Ct), HttpStatusCode.Forbidden, null, null)).Detail);
        Assert.Contains("TrainingNotAttended", (await ProblemAsync(clients[2].PutAsJsonAsync(ScoresPath(story, canal), Scores(matrix, 4, 4), Ct), HttpStatusCode.Forbidden, null, null)).Detail);
        await ProblemAsync(clients[0].PutAsJsonAsync(ScoresPath(story, canal), Scores(matrix, 0, 4), Ct), HttpStatusCode.BadRequest, "scores[0].value", "from 1 to 5");

        // Two scorers at the same moment: both land.
        using var gate = new SemaphoreSlim(0);
        var pair = new[] { (clients[0], new[] { 5, 3 }), (clients[1], new[] { 4, 2 }) }.Select(async s =>
        {
            await gate.WaitAsync(Ct);
            using var r = await s.Item1.PutAsJsonAsync(ScoresPath(story, canal), Scores(matrix, s.Item2), Ct);
            return r.StatusCode;
        }).ToList();
        gate.Release(pair.Count);
        Assert.All(await Task.WhenAll(pair), s => Assert.Equal(HttpStatusCode.OK, s));

        // One scorer sends the same score twenty times at once: one set is stored.
        const int attempts = 20;
        using var race = new SemaphoreSlim(0);
        var burst = Enumerable.Range(0, attempts).Select(async _ =>
        {
            await race.WaitAsync(Ct);
            using var r = await clients[1].PutAsJsonAsync(ScoresPath(story, lights), Scores(matrix, 3, 5), Ct);
            return r.StatusCode;
        }).ToList();
        race.Release(attempts);
        Assert.All(await Task.WhenAll(burst), s => Assert.Equal(HttpStatusCode.OK, s));

        var ranking = await ExpectAsync<RankingDto>(system.Gateway.GetAsync($"{criteriaPath}/ranking", Ct), HttpStatusCode.OK);
        var byId = ranking.Proposals.ToDictionary(p => p.ProposalId);
        // Canal: means 4.5 and 2.5 → (0.6 × 4.5 + 0.4 × 2.5) ÷ 1.0 = 3.70. Lights: one scorer, (0.6 × 3 + 0.4 × 5) ÷ 1.0 = 3.80.
        Assert.Equal((2, 3.70m, 2), (byId[canal.Id].Scorers, byId[canal.Id].WeightedTotal!.Value, byId[canal.Id].Rank!.Value));
        Assert.Equal([4.5m, 2.5m], byId[canal.Id].Criteria.Select(c => c.Mean!.Value));
        Assert.Equal((1, 3.80m, 1), (byId[lights.Id].Scorers, byId[lights.Id].WeightedTotal!.Value, byId[lights.Id].Rank!.Value));
        Assert.Equal([3m, 5m], byId[lights.Id].Criteria.Select(c => c.Mean!.Value));

        var oversight = system.As(await system.TokenAsync("oversight", "140102", "comite-vigilancia-chongoyape"));
        var trail = (await oversight.GetFromJsonAsync<List<JsonElement>>($"/api/deliberation/audit?processId={story.Process.Id}", Ct))!;
        Assert.Equal(2 + attempts, trail.Count(e => e.GetProperty("action").GetString() == "criteria.scored"));
        Assert.True((await oversight.GetFromJsonAsync<AuditEndpointsTests.VerificationDto>("/api/deliberation/audit/verification", Ct))!.Ok);
    }
}
