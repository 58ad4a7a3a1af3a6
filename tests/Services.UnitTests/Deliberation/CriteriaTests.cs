using System.Text.Json;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Security;
using PBServices.Contracts;
using PBServices.Deliberation.Domain;
using PBServices.UnitTests.Registration;

namespace PBServices.UnitTests.Deliberation;

public sealed class CriteriaTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 4, 15, 0, 0, TimeSpan.Zero);
    private const string ScorerA = "equipo-tecnico-1";
    private const string ScorerB = "equipo-tecnico-2";
    private const string ScorerC = "equipo-tecnico-3";

    private static ProcessCopy Process(CriteriaScoredBy scoredBy = CriteriaScoredBy.TechnicalTeam, Stage stage = Stage.Concertation, decimal ceiling = 1_000_000m) =>
        new(Guid.CreateVersion7(), "140101", "PP Chiclayo 2027", 2027, GovernmentLevel.District, ceiling, stage,
            new ProcessRules(2, true, BallotFormat.Approval, "greedy", 5, 4, 5, [], scoredBy));

    private static CriteriaMatrix Define(ProcessCopy process, params CriterionInput[] criteria) =>
        CriteriaMatrix.Define(process, criteria, scored: false, prioritized: false, Now);

    private static AssessedProposal Viable(string title, decimal cost, decimal technicalScore, Guid? id = null) =>
        new(id ?? Guid.CreateVersion7(), title, cost, ProposalStatus.Viable, technicalScore);

    private static IReadOnlyList<CriterionScore> Scores(CriteriaMatrix matrix, ProcessCopy process, string scorer, AssessedProposal proposal, params int[] values) =>
        matrix.Score(process, new Scorer(scorer, Roles.TechnicalTeam), proposal, matrix.Criteria.Select((c, i) => (ScoreInput?)new ScoreInput(c.Id, values[i])).ToList(), prioritized: false);

    [Fact]
    public void The_weighted_total_is_the_weighted_mean_over_scorers_divided_by_the_sum_of_the_weights_in_exact_decimals()
    {
        var process = Process();
        var matrix = Define(process, new("Población beneficiada", 0.3m, 0, 5), new("Brecha de pobreza", 0.2m, 0, 5), new("Sostenibilidad", 0.5m, 0, 10));
        var water = Viable("Agua potable", 300_000m, 70m);

        var ranking = CriteriaRanking.Of(matrix, [water], [.. Scores(matrix, process, ScorerA, water, 4, 3, 7), .. Scores(matrix, process, ScorerB, water, 5, 2, 8)]);

        var row = ranking.Proposals.Single();
        // Means 4.5, 2.5, 7.5: (0.3 × 4.5 + 0.2 × 2.5 + 0.5 × 7.5) ÷ 1.0 = 1.35 + 0.5 + 3.75 = 5.6.
        Assert.Equal([4.5m, 2.5m, 7.5m], row.Criteria.Select(c => c.Mean));
        Assert.Equal(5.60m, row.WeightedTotal);
        Assert.Equal((2, 1), (row.Scorers, row.Rank));
    }

    [Fact]
    public void Weights_need_not_sum_to_one_and_tenths_stay_exact_where_binary_floating_point_would_not()
    {
        var process = Process();
        // 0.1 + 0.2 is 0.30000000000000004 in doubles; in decimals the total of two 1s is exactly 1.
        var tenths = Define(process, new("A", 0.1m, 0, 5), new("B", 0.2m, 0, 5));
        var percents = Define(process, new("A", 10m, 0, 5), new("B", 20m, 0, 5));
        var p = Viable("Losa", 100m, 50m);

        Assert.Equal(1m, CriteriaRanking.Of(tenths, [p], Scores(tenths, process, ScorerA, p, 1, 1)).Proposals.Single().WeightedTotal);
        // The same proportions weigh the same whatever their sum: (10 × 2 + 20 × 5) ÷ 30 = 4.
        Assert.Equal(4m, CriteriaRanking.Of(percents, [p], Scores(percents, process, ScorerA, p, 2, 5)).Proposals.Single().WeightedTotal);
        Assert.Equal(4m, CriteriaRanking.Of(tenths, [p], Scores(tenths, process, ScorerA, p, 2, 5)).Proposals.Single().WeightedTotal);
    }

    [Fact]
    public void Totals_are_rounded_once_to_two_decimals_half_away_from_zero_and_means_are_shown_the_same_way()
    {
        var process = Process();
        var eighths = Define(process, new("A", 1m, 0, 5), new("B", 7m, 0, 5));
        var thirds = Define(process, new("A", 1m, 0, 5), new("B", 2m, 0, 5));
        var p = Viable("Posta", 100m, 50m);

        // (1 × 1 + 7 × 0) ÷ 8 = 0.125, a midpoint: away from zero gives 0.13 (banker's rounding would give 0.12).
        Assert.Equal(0.13m, CriteriaRanking.Of(eighths, [p], Scores(eighths, process, ScorerA, p, 1, 0)).Proposals.Single().WeightedTotal);
        // Three scorers give A 1, 1 and 2, B 0: mean A 4/3 shows as 1.33; total (1 × 4 + 2 × 0) ÷ (3 × 3) = 0.444… is 0.44.
        var row = CriteriaRanking.Of(thirds, [p], [.. Scores(thirds, process, ScorerA, p, 1, 0), .. Scores(thirds, process, ScorerB, p, 1, 0), .. Scores(thirds, process, ScorerC, p, 2, 0)])
            .Proposals.Single();
        Assert.Equal([1.33m, 0m], row.Criteria.Select(c => c.Mean));
        Assert.Equal(0.44m, row.WeightedTotal);
    }

    [Fact]
    public void Highest_total_ranks_first_equal_totals_rank_by_proposal_id_and_unscored_proposals_come_last_unranked()
    {
        var process = Process();
        var matrix = Define(process, new("Población", 2m, 0, 5), new("Sostenibilidad", 1m, 0, 5));
        var low = Viable("Alumbrado", 100m, 90m, Guid.Parse("0195f000-0000-7000-8000-000000000001"));
        var tiedLater = Viable("Canal", 100m, 80m, Guid.Parse("0195f000-0000-7000-8000-0000000000b2"));
        var tiedEarlier = Viable("Aulas", 100m, 70m, Guid.Parse("0195f000-0000-7000-8000-0000000000a3"));
        var unscored = Viable("Mercado", 100m, 60m, Guid.Parse("0195f000-0000-7000-8000-000000000000"));
        var notViable = new AssessedProposal(Guid.CreateVersion7(), "Quiosco", 50m, ProposalStatus.NotViable, 0m);

        // Canal (2 × 4 + 1 × 1) ÷ 3 = 3; Aulas (2 × 3 + 1 × 3) ÷ 3 = 3; Alumbrado (2 × 1 + 1 × 1) ÷ 3 = 1.
        var ranking = CriteriaRanking.Of(matrix, [low, tiedLater, unscored, notViable, tiedEarlier],
            [.. Scores(matrix, process, ScorerA, tiedLater, 4, 1), .. Scores(matrix, process, ScorerA, tiedEarlier, 3, 3), .. Scores(matrix, process, ScorerA, low, 1, 1)]);

        Assert.Equal([("Aulas", 3.00m, 1), ("Canal", 3.00m, 2), ("Alumbrado", 1.00m, 3)],
            ranking.Proposals.Where(p => p.Rank is not null).Select(p => (p.Title, p.WeightedTotal!.Value, p.Rank!.Value)));
        var last = ranking.Proposals[^1];
        Assert.Equal(("Mercado", 0, (decimal?)null, (int?)null), (last.Title, last.Scorers, last.WeightedTotal, last.Rank));
        Assert.All(last.Criteria, c => Assert.Null(c.Mean));
        Assert.DoesNotContain(ranking.Proposals, p => p.Title == "Quiosco");
    }

    [Theory]
    [InlineData(0, "criteria[1].weight", "A positive number")]
    [InlineData(-1, "criteria[1].weight", "A positive number")]
    [InlineData(0.00001, "criteria[1].weight", "at most 4 decimals")]
    [InlineData(1000.5, "criteria[1].weight", "up to 1000")]
    public void A_weight_that_is_not_a_positive_exact_number_is_refused_by_field(double weight, string field, string rule)
    {
        var e = Assert.Throws<DomainException>(() => Define(Process(), new("A", 1m, 0, 5), new("B", (decimal)weight, 0, 5)));

        Assert.Equal(field, e.Field);
        Assert.Contains(rule, e.Message);
    }

    [Theory]
    [InlineData(5, 5, "criteria[0].scaleMax", "above scaleMin (5)")]
    [InlineData(3, 1, "criteria[0].scaleMax", "above scaleMin (3)")]
    [InlineData(-1, 5, "criteria[0].scaleMin", "from 0 to 100")]
    [InlineData(0, 101, "criteria[0].scaleMax", "at most 100")]
    public void A_scale_that_is_not_a_rising_range_of_whole_numbers_from_0_to_100_is_refused_by_field(int min, int max, string field, string rule)
    {
        var e = Assert.Throws<DomainException>(() => Define(Process(), new CriterionInput("A", 1m, min, max)));

        Assert.Equal(field, e.Field);
        Assert.Contains(rule, e.Message);
    }

    [Fact]
    public void A_matrix_needs_named_distinct_criteria_with_every_value_given()
    {
        var process = Process();

        Assert.Equal("criteria", Assert.Throws<DomainException>(() => Define(process)).Field);
        Assert.Equal("criteria[1].name", Assert.Throws<DomainException>(() => Define(process, new("Sostenibilidad", 1m, 0, 5), new("sostenibilidad", 1m, 0, 5))).Field);
        Assert.Equal("criteria[0].name", Assert.Throws<DomainException>(() => Define(process, new CriterionInput(" ", 1m, 0, 5))).Field);
        Assert.Equal("criteria[0].weight", Assert.Throws<DomainException>(() => Define(process, new CriterionInput("A", null, 0, 5))).Field);
        Assert.Equal("criteria[0].scaleMax", Assert.Throws<DomainException>(() => Define(process, new CriterionInput("A", 1m, 0, null))).Field);
        Assert.Equal("criteria[0]", Assert.Throws<DomainException>(() => CriteriaMatrix.Define(process, [null], false, false, Now)).Field);
    }

    [Fact]
    public void The_matrix_is_defined_in_Concertation_and_is_fixed_once_scored_or_prioritised()
    {
        CriterionInput[] criteria = [new("A", 1m, 0, 5)];

        Assert.Equal("stage", Assert.Throws<ConflictException>(() => CriteriaMatrix.Define(Process(stage: Stage.Preparation), criteria, false, false, Now)).Field);
        Assert.Contains("fixed", Assert.Throws<ConflictException>(() => CriteriaMatrix.Define(Process(), criteria, scored: true, prioritized: false, Now)).Message);
        Assert.Contains("prioritised", Assert.Throws<ConflictException>(() => CriteriaMatrix.Define(Process(), criteria, scored: false, prioritized: true, Now)).Message);
    }

    [Fact]
    public void A_score_outside_its_criterion_scale_or_a_set_that_misses_or_repeats_a_criterion_is_refused_by_field()
    {
        var process = Process();
        var matrix = Define(process, new("Población", 1m, 0, 5), new("Sostenibilidad", 1m, 1, 3));
        var p = Viable("Agua", 100m, 50m);
        var scorer = new Scorer(ScorerA, Roles.TechnicalTeam);
        var (pop, sus) = (matrix.Criteria[0].Id, matrix.Criteria[1].Id);

        DomainException Refused(params ScoreInput[] scores) => Assert.Throws<DomainException>(() => matrix.Score(process, scorer, p, scores, prioritized: false));

        var outOfScale = Refused(new(pop, 5), new(sus, 4));
        Assert.Equal("scores[1].value", outOfScale.Field);
        Assert.Contains("from 1 to 3", outOfScale.Message);
        Assert.Equal("scores[0].value", Refused(new(pop, -1), new(sus, 2)).Field);
        Assert.Equal("scores[1].value", Refused(new(pop, 1), new(sus, null)).Field);
        Assert.Equal("scores", Refused(new ScoreInput(pop, 1)).Field);
        Assert.Equal("scores[1].criterionId", Refused(new(pop, 1), new(pop, 2)).Field);
        Assert.Equal("scores[0].criterionId", Refused(new(Guid.CreateVersion7(), 1), new(sus, 2)).Field);
        Assert.Equal([5, 3], matrix.Score(process, scorer, p, [new(sus, 3), new(pop, 5)], false).OrderBy(s => s.CriterionId == sus).Select(s => s.Value));
    }

    [Fact]
    public void Only_viable_proposals_are_scored_and_only_until_the_list_is_prioritised()
    {
        var process = Process();
        var matrix = Define(process, new CriterionInput("Población", 1m, 0, 5));
        var scorer = new Scorer(ScorerA, Roles.TechnicalTeam);
        ScoreInput?[] scores = [new(matrix.Criteria[0].Id, 3)];

        var notViable = Assert.Throws<ConflictException>(() => matrix.Score(process, scorer, new AssessedProposal(Guid.CreateVersion7(), "Quiosco", 50m, ProposalStatus.NotViable, 0m), scores, false));
        Assert.Contains("NotViable", notViable.Message);
        Assert.Contains("closed", Assert.Throws<ConflictException>(() => matrix.Score(process, scorer, Viable("Agua", 100m, 50m), scores, prioritized: true)).Message);
    }

    [Fact]
    public void The_scorers_are_whom_the_rules_name_and_agents_score_only_if_they_may_vote()
    {
        var byAgents = Process(CriteriaScoredBy.Agents);
        var agent = Guid.CreateVersion7();
        var trained = Eligibility.Of(byAgents, agent, new Participant(agent, byAgents.Id, Revoked: false, Trained: true));
        var untrained = Eligibility.Of(byAgents, agent, new Participant(agent, byAgents.Id, Revoked: false, Trained: false));

        Assert.Equal(new Scorer(agent.ToString(), Roles.Agent), CriteriaMatrix.Admit(byAgents, agent.ToString(), r => r == Roles.Agent, trained));
        Assert.Contains("TrainingNotAttended", Assert.Throws<ForbiddenException>(() => CriteriaMatrix.Admit(byAgents, agent.ToString(), r => r == Roles.Agent, untrained)).Message);
        Assert.Contains("agent role", Assert.Throws<ForbiddenException>(() => CriteriaMatrix.Admit(byAgents, "equipo-tecnico-1", r => r == Roles.TechnicalTeam, null)).Message);
        Assert.Equal(Roles.ProcessAdmin, CriteriaMatrix.Admit(Process(CriteriaScoredBy.ProcessAdmin), "pp-140101", r => r == Roles.ProcessAdmin, null).Role);
        Assert.Throws<ForbiddenException>(() => CriteriaMatrix.Admit(Process(CriteriaScoredBy.TechnicalTeam), "pp-140101", r => r == Roles.ProcessAdmin, null));
        // A process copied before rules existed keeps the scoring with the technical team.
        Assert.Equal(Roles.TechnicalTeam, CriteriaMatrix.ScorerRole(Process() with { Rules = null }));
    }

    [Fact]
    public void Without_a_vote_the_prioritised_list_funds_by_weighted_total_where_the_matrix_has_scores_and_says_so_in_its_rule()
    {
        var process = Process(ceiling: 500_000m);
        var matrix = Define(process, new("Población", 3m, 0, 5), new("Brecha", 1m, 0, 5));
        // The technical team ranks the road first; the criteria rank the clinic first.
        var road = Viable("Trocha", 300_000m, 90m);
        var clinic = Viable("Posta", 250_000m, 60m);
        var school = Viable("Aulas", 200_000m, 75m);
        AssessedProposal[] proposals = [road, clinic, school];

        var technical = PrioritizedList.Prioritize(process, proposals, Now).List;
        // Posta (3 × 5 + 1 × 4) ÷ 4 = 4.75; Aulas (3 × 4 + 1 × 4) ÷ 4 = 4; Trocha (3 × 2 + 1 × 2) ÷ 4 = 2.
        var ranking = CriteriaRanking.Of(matrix, proposals,
            [.. Scores(matrix, process, ScorerA, road, 2, 2), .. Scores(matrix, process, ScorerA, clinic, 5, 4), .. Scores(matrix, process, ScorerA, school, 4, 4)]);
        var (byCriteria, prioritized) = PrioritizedList.Prioritize(process, proposals, Now, ranking);

        Assert.Equal("greedy", technical.Rule);
        Assert.Equal(["Trocha", "Aulas"], technical.Items.Select(i => i.Title));
        Assert.Equal(PrioritizedList.CriteriaGreedyRule, byCriteria.Rule);
        Assert.Equal([("Posta", 4.75m), ("Aulas", 4.00m)], byCriteria.Items.Select(i => (i.Title, i.Score)));
        Assert.Equal("greedy-criteria", prioritized.Rule);
        Assert.Equal(450_000m, byCriteria.Total);
    }

    [Fact]
    public void A_matrix_without_scores_leaves_the_technical_score_and_a_viable_proposal_left_unscored_stops_the_list()
    {
        var process = Process();
        var matrix = Define(process, new CriterionInput("Población", 1m, 0, 5));
        var a = Viable("Agua", 100m, 80m);
        var b = Viable("Pistas", 100m, 70m);

        var unscoredMatrix = PrioritizedList.Prioritize(process, [a, b], Now, CriteriaRanking.Of(matrix, [a, b], [])).List;
        Assert.Equal(PrioritizedList.GreedyRule, unscoredMatrix.Rule);
        Assert.Equal([80m, 70m], unscoredMatrix.Items.Select(i => i.Score));

        var halfScored = CriteriaRanking.Of(matrix, [a, b], Scores(matrix, process, ScorerA, a, 3));
        var e = Assert.Throws<ConflictException>(() => PrioritizedList.Prioritize(process, [a, b], Now, halfScored));
        Assert.StartsWith("1 viable proposal(s) have no criteria scores", e.Message);
    }

    [Fact]
    public void Rules_published_before_criteriaScoredBy_existed_read_as_scored_by_the_technical_team()
    {
        const string earlier = """{"agentsPerOrganisation":2,"trainingRequiredToVote":true,"ballotFormat":"Approval","allocationRule":"mes","oversightCommitteeSize":5,"delegateSeats":4,"directiveCommitteeSeats":5,"quotas":[]}""";
        var rules = JsonSerializer.Deserialize<ProcessRules>(earlier, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

        Assert.Equal(CriteriaScoredBy.TechnicalTeam, rules.CriteriaScoredBy);
        Assert.Contains("\"criteriaScoredBy\":\"Agents\"", JsonSerializer.Serialize(rules with { CriteriaScoredBy = CriteriaScoredBy.Agents }, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
    }

    [Fact]
    public void Registration_refuses_a_scorer_the_rules_do_not_know()
    {
        var e = Assert.Throws<DomainException>(() => Preparation.Open(Preparation.Rules with { CriteriaScoredBy = (CriteriaScoredBy)7 }));

        Assert.Equal("rules.criteriaScoredBy", e.Field);
        Assert.Equal(CriteriaScoredBy.Agents, Preparation.Open(Preparation.Rules with { CriteriaScoredBy = CriteriaScoredBy.Agents }).Rules!.CriteriaScoredBy);
    }
}
