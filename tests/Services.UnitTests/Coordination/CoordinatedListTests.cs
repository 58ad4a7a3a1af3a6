using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Processes;
using PBServices.Contracts;
using PBServices.Coordination.Domain;

namespace PBServices.UnitTests.Coordination;

public sealed class CoordinatedListTests
{
    private static readonly DateTimeOffset Now = new(2025, 7, 15, 18, 30, 0, TimeSpan.Zero);

    private static readonly Guid ProcessId = Guid.CreateVersion7();
    private static readonly ProcessStage InFormalization = new(ProcessId, "150122", Stage.Formalization);

    private static CoordinatedList Received(params ListedProject[] projects) =>
        CoordinatedList.Restore(Guid.CreateVersion7(), ProcessId, "150122", "District", 2026, 1_000_000m, "greedy", "Coordinated", null, null, projects);

    private static readonly ListedProject School = new(Guid.CreateVersion7(), "Aulas I.E. 3045", 600_000m, 95m, 1);

    [Fact]
    public void A_list_is_formalized_with_its_acta()
    {
        var list = Received(School);

        var formalized = list.Formalize(InFormalization, "  Acta N° 012-2025-MDM  ", Now);

        Assert.Equal(ListStatus.Formalized, list.Status);
        Assert.Equal("Acta N° 012-2025-MDM", formalized.ActaReference);
        Assert.Equal([School], formalized.Projects);
        Assert.Equal(GovernmentLevel.District, formalized.Level);
        Assert.Equal("Acta N° 012-2025-MDM", list.ActaReference);
        Assert.Equal(Now, list.ApprovedAt);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void A_list_is_not_formalized_without_the_acta_reference(string? acta)
    {
        var list = Received(School);

        var e = Assert.Throws<DomainException>(() => list.Formalize(InFormalization, acta, Now));

        Assert.Equal("actaReference", e.Field);
        Assert.Equal(ListStatus.Coordinated, list.Status);
    }

    [Fact]
    public void An_acta_reference_longer_than_100_characters_is_refused()
    {
        var e = Assert.Throws<DomainException>(() => Received(School).Formalize(InFormalization, new string('A', 101), Now));
        Assert.Equal("actaReference", e.Field);
    }

    [Fact]
    public void A_list_whose_coordination_is_open_is_not_formalized()
    {
        var list = CoordinatedList.Restore(Guid.CreateVersion7(), ProcessId, "150122", "District", 2026, 1_000_000m, "greedy", "Received", null, null, [School]);

        var e = Assert.Throws<ConflictException>(() => list.Formalize(InFormalization, "Acta N° 012-2025-MDM", Now));

        Assert.Contains("Coordination between levels", e.Message, StringComparison.Ordinal);
        Assert.Equal(ListStatus.Received, list.Status);
    }

    [Fact]
    public void A_list_is_formalized_only_once()
    {
        var list = Received(School);
        list.Formalize(InFormalization, "Acta N° 012-2025-MDM", Now);

        var e = Assert.Throws<ConflictException>(() => list.Formalize(InFormalization, "Acta N° 013-2025-MDM", Now.AddDays(1)));

        Assert.Equal("processId", e.Field);
        Assert.Equal("Acta N° 012-2025-MDM", list.ActaReference);
        Assert.Equal(Now, list.ApprovedAt);
    }

    [Fact]
    public void An_empty_list_cannot_be_formalized()
    {
        var list = Received();

        var e = Assert.Throws<ConflictException>(() => list.Formalize(InFormalization, "Acta N° 012-2025-MDM", Now));

        Assert.Equal("processId", e.Field);
        Assert.Equal(ListStatus.Coordinated, list.Status);
    }

    [Theory]
    [InlineData(Stage.Concertation)]
    [InlineData(Stage.Coordination)]
    [InlineData(Stage.Submission)]
    public void A_list_is_formalized_only_in_the_Formalization_stage(Stage stage)
    {
        var list = Received(School);

        var e = Assert.Throws<ConflictException>(() => list.Formalize(InFormalization with { Stage = stage }, "Acta N° 012-2025-MDM", Now));

        Assert.Equal("stage", e.Field);
        Assert.Contains($"the process is in {stage}", e.Message);
        Assert.Equal(ListStatus.Coordinated, list.Status);
    }
}
