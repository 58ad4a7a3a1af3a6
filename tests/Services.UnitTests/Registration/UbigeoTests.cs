using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Registration.Domain;

namespace PBServices.UnitTests.Registration;

public sealed class UbigeoTests
{
    [Theory]
    [InlineData("040000")]
    [InlineData("040100")]
    [InlineData("040101")]
    [InlineData("250000")]
    [InlineData("010101")]
    public void A_six_digit_code_of_a_department_01_to_25_is_accepted(string code)
    {
        Assert.Equal(code, Ubigeo.Parse("jurisdiction", code));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("04010")]
    [InlineData("0401011")]
    [InlineData("04O101")]
    [InlineData(" 40101")]
    [InlineData("０４０１０１")]
    public void A_code_that_is_not_six_ascii_digits_is_refused(string? code)
    {
        var e = Assert.Throws<DomainException>(() => Ubigeo.Parse("territory", code));

        Assert.Equal("territory", e.Field);
        Assert.Contains("six-digit", e.Message);
    }

    [Theory]
    [InlineData("000000")]
    [InlineData("000101")]
    [InlineData("260000")]
    [InlineData("990101")]
    public void A_department_outside_01_to_25_is_refused(string code)
    {
        var e = Assert.Throws<DomainException>(() => Ubigeo.Parse("jurisdiction", code));

        Assert.Equal("jurisdiction", e.Field);
        Assert.Contains("01 to 25", e.Message);
    }

    [Fact]
    public void A_district_without_its_province_is_refused()
    {
        var e = Assert.Throws<DomainException>(() => Ubigeo.Parse("jurisdiction", "040001"));

        Assert.Equal("jurisdiction", e.Field);
        Assert.Contains("province", e.Message);
    }

    [Theory]
    [InlineData("040000", GovernmentLevel.Region)]
    [InlineData("040100", GovernmentLevel.Province)]
    [InlineData("040101", GovernmentLevel.District)]
    [InlineData("150122", GovernmentLevel.District)]
    public void The_level_is_read_from_the_trailing_zeros(string code, GovernmentLevel level)
    {
        Assert.Equal(level, Ubigeo.LevelOf(code));
    }

    [Theory]
    [InlineData("040101", "040100")]
    [InlineData("040100", "040000")]
    [InlineData("040000", null)]
    public void A_district_belongs_to_its_province_and_a_province_to_its_region(string code, string? parent)
    {
        Assert.Equal(parent, Ubigeo.ParentOf(code));
    }

    [Fact]
    public void The_lineage_of_a_district_runs_from_its_region_down_to_itself()
    {
        Assert.Equal(["150000", "150100", "150122"], Ubigeo.Lineage("150122"));
        Assert.Equal(["150000", "150100"], Ubigeo.Lineage("150100"));
        Assert.Equal(["150000"], Ubigeo.Lineage("150000"));
    }

    [Theory]
    [InlineData("150000", "150122", true)]
    [InlineData("150000", "150100", true)]
    [InlineData("150000", "150000", true)]
    [InlineData("150100", "150122", true)]
    [InlineData("150100", "150100", true)]
    [InlineData("150122", "150122", true)]
    [InlineData("150000", "040101", false)]
    [InlineData("150100", "150201", false)]
    [InlineData("150122", "150101", false)]
    [InlineData("150122", "150100", false)]
    [InlineData("150100", "150000", false)]
    public void A_jurisdiction_contains_the_places_within_it_and_no_others(string jurisdiction, string code, bool contains)
    {
        Assert.Equal(contains, Ubigeo.Contains(jurisdiction, code));
    }
}
