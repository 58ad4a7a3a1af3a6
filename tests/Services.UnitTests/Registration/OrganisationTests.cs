using PBServices.BuildingBlocks.Errors;
using PBServices.Registration.Domain;
using static PBServices.UnitTests.Registration.Preparation;

namespace PBServices.UnitTests.Registration;

public sealed class OrganisationTests
{
    private static readonly DateOnly Today = Day("2026-03-05");

    private static Organisation Register(string actsFor = Miraflores, string? name = "Comunidad Campesina de Llanavilla", string? type = "IndigenousOrPeasantCommunity",
        string? kind = "Public", string? number = "11045678", DateOnly? date = null, string? territory = Miraflores, int members = 85) =>
        Organisation.Register(actsFor, "officer-1", name, type, kind, number, date ?? Day("2019-08-01"), territory, members, Today);

    [Fact]
    public void An_organisation_is_registered_with_its_registry_entry_and_territory()
    {
        var organisation = Register(name: "  Comunidad Campesina de Llanavilla ", type: "indigenousorpeasantcommunity");

        Assert.Equal("Comunidad Campesina de Llanavilla", organisation.Name);
        Assert.Equal(OrganisationType.IndigenousOrPeasantCommunity, organisation.Type);
        Assert.Equal(new RegistryEntry(RegistryKind.Public, "11045678", Day("2019-08-01")), organisation.Registry);
        Assert.Equal(Miraflores, organisation.Territory);
        Assert.Equal(85, organisation.ActiveMembers);
        Assert.Equal("officer-1", organisation.RegisteredBy);
    }

    [Fact]
    public void A_province_registers_organisations_of_its_districts()
    {
        Assert.Equal(Miraflores, Register(actsFor: "150100").Territory);
    }

    [Fact]
    public void A_territory_outside_the_jurisdiction_acted_for_is_refused()
    {
        var e = Assert.Throws<DomainException>(() => Register(actsFor: Miraflores, territory: "150101"));

        Assert.Equal("territory", e.Field);
        Assert.Equal("150101 is not within the jurisdiction 150122 the token acts for", e.Message);
    }

    [Fact]
    public void A_territory_that_is_not_a_ubigeo_is_refused()
    {
        var e = Assert.Throws<DomainException>(() => Register(actsFor: "PE", territory: "Miraflores"));

        Assert.Equal("territory", e.Field);
    }

    [Fact]
    public void An_unknown_type_is_refused()
    {
        var e = Assert.Throws<DomainException>(() => Register(type: "Club"));

        Assert.Equal("type", e.Field);
        Assert.Contains("IndigenousOrPeasantCommunity", e.Message);
    }

    [Fact]
    public void A_registry_other_than_the_public_or_municipal_one_is_refused()
    {
        var e = Assert.Throws<DomainException>(() => Register(kind: "Church"));

        Assert.Equal("registry.kind", e.Field);
    }

    [Fact]
    public void A_registry_date_in_the_future_is_refused()
    {
        var tomorrow = Assert.Throws<DomainException>(() => Register(date: Today.AddDays(1)));

        Assert.Equal("registry.date", tomorrow.Field);
        Assert.Equal(Today, Register(date: Today).Registry.Date);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1_000_001)]
    public void Active_members_outside_one_to_a_million_are_refused(int members)
    {
        var e = Assert.Throws<DomainException>(() => Register(members: members));

        Assert.Equal("activeMembers", e.Field);
    }

    [Fact]
    public void A_registry_number_is_required()
    {
        var e = Assert.Throws<DomainException>(() => Register(number: " "));

        Assert.Equal("registry.number", e.Field);
    }
}
