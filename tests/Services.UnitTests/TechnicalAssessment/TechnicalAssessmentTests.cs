using System.Globalization;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Processes;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
using PBServices.TechnicalAssessment.Domain;
using Assessment = PBServices.TechnicalAssessment.Domain.TechnicalAssessment;

namespace PBServices.UnitTests.TechnicalAssessment;

public sealed class TechnicalAssessmentTests
{
    private static readonly DateTimeOffset Now = new(2025, 5, 20, 10, 0, 0, TimeSpan.Zero);

    private static readonly Guid ProcessId = Guid.CreateVersion7();
    private static readonly ProcessStage InConcertation = new(ProcessId, "150122", Stage.Concertation);

    private static Assessment Queued() => Assessment.Queue(new ProposalSubmitted
    {
        ProcessId = ProcessId, Jurisdiction = "150122", ProposalId = Guid.CreateVersion7(), AgentId = Guid.CreateVersion7(), Title = "Pistas y veredas",
        Description = "Pavimentación de 400 m", Cost = 180_000m, Location = "Jr. Ayacucho", Beneficiaries = 1200, PlanObjective = "OE2",
    }, Now);

    [Fact]
    public void A_queued_proposal_waits_for_the_technical_team()
    {
        var assessment = Queued();

        Assert.Equal(AssessmentStatus.Pending, assessment.Status);
        Assert.Null(assessment.Viable);
        Assert.Null(assessment.Score);
    }

    [Fact]
    public void A_recommendation_completes_the_assessment_with_its_reasons()
    {
        var assessment = Queued();

        var completed = assessment.Recommend(InConcertation, viable: true, score: 87.25m, reasons: "  Cuenta con expediente técnico y brecha priorizada  ", assessor: "ing.torres");

        Assert.Equal(assessment.ProposalId, completed.ProposalId);
        Assert.True(completed.Viable);
        Assert.Equal(87.25m, completed.Score);

        Assert.Equal(AssessmentStatus.Completed, assessment.Status);
        Assert.True(assessment.Viable);
        Assert.Equal(87.25m, assessment.Score);
        Assert.Equal("Cuenta con expediente técnico y brecha priorizada", assessment.Reasons);
        Assert.Equal("ing.torres", assessment.Assessor);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100")]
    [InlineData("99.99")]
    public void Scores_from_0_to_100_are_accepted(string score)
    {
        var assessment = Queued();
        assessment.Recommend(InConcertation, true, decimal.Parse(score, CultureInfo.InvariantCulture), "Viable", "ing.torres");
        Assert.Equal(decimal.Parse(score, CultureInfo.InvariantCulture), assessment.Score);
    }

    [Theory]
    [InlineData("-0.01")]
    [InlineData("100.01")]
    [InlineData("50.125")]
    public void A_score_outside_0_to_100_or_with_more_than_two_decimals_is_refused(string score)
    {
        var assessment = Queued();

        var e = Assert.Throws<DomainException>(() => assessment.Recommend(InConcertation, true, decimal.Parse(score, CultureInfo.InvariantCulture), "Viable", "ing.torres"));

        Assert.Equal("score", e.Field);
        Assert.Equal(AssessmentStatus.Pending, assessment.Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_recommendation_without_reasons_is_refused(string? reasons)
    {
        var assessment = Queued();

        var e = Assert.Throws<DomainException>(() => assessment.Recommend(InConcertation, false, 0m, reasons, "ing.torres"));

        Assert.Equal("reasons", e.Field);
        Assert.Equal(AssessmentStatus.Pending, assessment.Status);
    }

    [Fact]
    public void A_not_viable_proposal_must_score_zero()
    {
        var assessment = Queued();

        var e = Assert.Throws<DomainException>(() => assessment.Recommend(InConcertation, false, 40m, "Sin saneamiento físico-legal del terreno", "ing.torres"));

        Assert.Equal("score", e.Field);
        assessment.Recommend(InConcertation, false, 0m, "Sin saneamiento físico-legal del terreno", "ing.torres");
        Assert.False(assessment.Viable);
    }

    [Fact]
    public void A_second_recommendation_is_refused_and_the_first_stands()
    {
        var assessment = Queued();
        assessment.Recommend(InConcertation, true, 72m, "Viable", "ing.torres");

        var e = Assert.Throws<ConflictException>(() => assessment.Recommend(InConcertation, false, 0m, "Cambio de opinión", "ing.rojas"));

        Assert.Equal("proposalId", e.Field);
        Assert.True(assessment.Viable);
        Assert.Equal(72m, assessment.Score);
        Assert.Equal("ing.torres", assessment.Assessor);
    }

    [Theory]
    [InlineData(Stage.Preparation)]
    [InlineData(Stage.Coordination)]
    [InlineData(Stage.Submission)]
    public void The_technical_team_assesses_only_in_Concertation(Stage stage)
    {
        var assessment = Queued();

        var e = Assert.Throws<ConflictException>(() => assessment.Recommend(InConcertation with { Stage = stage }, true, 72m, "Viable", "ing.torres"));

        Assert.Equal("stage", e.Field);
        Assert.Contains($"the process is in {stage}", e.Message);
        Assert.Equal(AssessmentStatus.Pending, assessment.Status);
    }

    [Fact]
    public void Viable_at_an_adjusted_cost_carries_the_cost_and_the_version_assessed()
    {
        var assessment = Queued();

        var completed = assessment.Recommend(InConcertation, null, 75m, "El expediente subestima el drenaje", "ing.torres",
            AssessmentRecommendation.ViableAtAdjustedCost, adjustedCost: 215_000m);

        Assert.Equal((true, AssessmentRecommendation.ViableAtAdjustedCost, 215_000m, 1), (completed.Viable, completed.Recommendation, completed.AdjustedCost, completed.Version));
        Assert.Equal((AssessmentStatus.Completed, (decimal?)215_000m), (assessment.Status, assessment.AdjustedCost));
    }

    [Theory]
    [InlineData(AssessmentRecommendation.ViableAtAdjustedCost, null)]
    [InlineData(AssessmentRecommendation.ViableAtAdjustedCost, "0")]
    [InlineData(AssessmentRecommendation.ViableAtAdjustedCost, "180000")]
    [InlineData(AssessmentRecommendation.ViableAtAdjustedCost, "1000.001")]
    [InlineData(AssessmentRecommendation.Viable, "200000")]
    [InlineData(AssessmentRecommendation.Observed, "200000")]
    public void An_adjusted_cost_is_a_new_positive_amount_and_only_with_viable_at_adjusted_cost(AssessmentRecommendation recommendation, string? adjustedCost)
    {
        var assessment = Queued();
        var score = recommendation == AssessmentRecommendation.Observed ? 0m : 70m;

        var e = Assert.Throws<DomainException>(() => assessment.Recommend(InConcertation, null, score, "Razones", "ing.torres", recommendation,
            adjustedCost is null ? null : decimal.Parse(adjustedCost, CultureInfo.InvariantCulture)));

        Assert.Equal("adjustedCost", e.Field);
        Assert.Equal(AssessmentStatus.Pending, assessment.Status);
    }

    [Fact]
    public void An_observation_needs_reasons_is_not_viable_and_is_not_ranked()
    {
        Assert.Equal("reasons", Assert.Throws<DomainException>(() => Queued().Recommend(InConcertation, null, 0m, " ", "ing.torres", AssessmentRecommendation.Observed)).Field);
        Assert.Equal("score", Assert.Throws<DomainException>(() => Queued().Recommend(InConcertation, null, 50m, "Falta plano", "ing.torres", AssessmentRecommendation.Observed)).Field);
        Assert.Equal("viable", Assert.Throws<DomainException>(() => Queued().Recommend(InConcertation, true, 0m, "Falta plano", "ing.torres", AssessmentRecommendation.Observed)).Field);
        Assert.Equal("recommendation", Assert.Throws<DomainException>(() => Queued().Recommend(InConcertation, null, 0m, "Falta plano", "ing.torres")).Field);

        var completed = Queued().Recommend(InConcertation, null, 0m, "Falta el plano de ubicación", "ing.torres", AssessmentRecommendation.Observed);
        Assert.Equal((false, AssessmentRecommendation.Observed), (completed.Viable, completed.Recommendation));
    }

    [Fact]
    public void A_revised_version_is_queued_as_itself_and_an_assessment_naming_another_version_is_refused()
    {
        var revised = Assessment.Queue(new ProposalRevised
        {
            ProcessId = ProcessId, Jurisdiction = "150122", ProposalId = Guid.CreateVersion7(), AgentId = Guid.CreateVersion7(), Version = 2, Title = "Pistas y veredas",
            Description = "Pavimentación de 300 m", Cost = 150_000m, Location = "Jr. Ayacucho", Beneficiaries = 1200, PlanObjective = "OE2",
        }, Now);
        Assert.Equal((2, 150_000m, AssessmentStatus.Pending), (revised.Version, revised.Cost, revised.Status));

        var e = Assert.Throws<ConflictException>(() => revised.Recommend(InConcertation, true, 70m, "Viable", "ing.torres", version: 1));
        Assert.Equal("version", e.Field);
        Assert.Equal(2, revised.Recommend(InConcertation, true, 70m, "Viable", "ing.torres", version: 2).Version);
    }
}
