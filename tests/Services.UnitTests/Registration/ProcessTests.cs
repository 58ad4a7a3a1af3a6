using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Registration.Domain;

namespace PBServices.UnitTests.Registration;

public sealed class ProcessTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 10, 9, 0, 0, TimeSpan.FromHours(-5));

    private static Process Open(string? name = "PP 2026 Distrito de Miraflores", int fiscalYear = 2026, string? level = "district",
        decimal ceiling = 1_500_000m) =>
        Process.Open("150122", name, fiscalYear, level, ceiling, Now).Process;

    [Fact]
    public void A_valid_process_opens_in_preparation_with_its_details()
    {
        var process = Open(name: "  PP 2026 Distrito de Miraflores  ", level: "Province", ceiling: 1_234_567.89m);

        Assert.Equal(Stage.Preparation, process.Stage);
        Assert.Equal("PP 2026 Distrito de Miraflores", process.Name);
        Assert.Equal(GovernmentLevel.Province, process.Level);
        Assert.Equal(1_234_567.89m, process.BudgetCeiling);
        Assert.Equal(Now, process.OpenedAt);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_process_without_a_name_is_refused(string? name)
    {
        var e = Assert.Throws<DomainException>(() => Open(name: name));
        Assert.Equal("name", e.Field);
    }

    [Fact]
    public void A_name_longer_than_200_characters_is_refused()
    {
        Assert.Equal(Process.MaxNameLength, Open(name: new string('n', Process.MaxNameLength)).Name.Length);

        var e = Assert.Throws<DomainException>(() => Open(name: new string('n', Process.MaxNameLength + 1)));
        Assert.Equal("name", e.Field);
    }

    [Theory]
    [InlineData(2025)]
    [InlineData(2026)]
    [InlineData(2027)]
    public void The_fiscal_year_may_be_this_year_or_the_next_two(int fiscalYear)
    {
        Assert.Equal(fiscalYear, Open(fiscalYear: fiscalYear).FiscalYear);
    }

    [Theory]
    [InlineData(2024)]
    [InlineData(2028)]
    [InlineData(0)]
    public void A_fiscal_year_outside_the_window_is_refused(int fiscalYear)
    {
        var e = Assert.Throws<DomainException>(() => Open(fiscalYear: fiscalYear));
        Assert.Equal("fiscalYear", e.Field);
        Assert.Contains("2025", e.Message);
        Assert.Contains("2027", e.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("municipality")]
    [InlineData("1")]
    [InlineData("7")]
    [InlineData("district,region")]
    public void A_level_other_than_district_province_or_region_is_refused(string? level)
    {
        var e = Assert.Throws<DomainException>(() => Open(level: level));
        Assert.Equal("level", e.Field);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("100.005")]
    [InlineData("0.001")]
    public void A_ceiling_that_is_not_a_positive_amount_in_centimos_is_refused(string ceiling)
    {
        var e = Assert.Throws<DomainException>(() => Open(ceiling: decimal.Parse(ceiling, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("budgetCeiling", e.Field);
    }

    [Fact]
    public void Stages_advance_one_at_a_time_to_oversight()
    {
        var process = Open();
        var reached = new List<Stage>();

        foreach (var next in new[] { Stage.Concertation, Stage.Coordination, Stage.Formalization, Stage.Submission, Stage.Oversight })
        {
            var advanced = process.AdvanceTo(next);
            Assert.Equal(next - 1, advanced.FromStage);
            Assert.Equal(next, advanced.ToStage);
            reached.Add(process.Stage);
        }

        Assert.Equal([Stage.Concertation, Stage.Coordination, Stage.Formalization, Stage.Submission, Stage.Oversight], reached);
    }

    [Fact]
    public void Stage_cannot_be_skipped()
    {
        var process = Open();

        var e = Assert.Throws<ConflictException>(() => process.AdvanceTo(Stage.Coordination));

        Assert.Equal("stage", e.Field);
        Assert.Contains("the next stage is Concertation", e.Message);
        Assert.Equal(Stage.Preparation, process.Stage);
    }

    [Fact]
    public void A_closed_stage_never_reopens()
    {
        var process = Open();
        process.AdvanceTo(Stage.Concertation);
        process.AdvanceTo(Stage.Coordination);

        var back = Assert.Throws<ConflictException>(() => process.AdvanceTo(Stage.Concertation));
        var same = Assert.Throws<ConflictException>(() => process.AdvanceTo(Stage.Coordination));

        Assert.Contains("the next stage is Formalization", back.Message);
        Assert.Contains("the next stage is Formalization", same.Message);
        Assert.Equal(Stage.Coordination, process.Stage);
    }

    [Fact]
    public void Oversight_is_the_last_stage()
    {
        var process = Open();
        for (var next = Stage.Concertation; next <= Stage.Oversight; next++)
        {
            process.AdvanceTo(next);
        }

        var e = Assert.Throws<ConflictException>(() => process.AdvanceTo(Stage.Oversight));

        Assert.Contains("the next stage is none", e.Message);
    }
}
