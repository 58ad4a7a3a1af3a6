using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Registration.Domain;
using static PBServices.UnitTests.Registration.Preparation;

namespace PBServices.UnitTests.Registration;

public sealed class SeatsTests
{
    // Four delegate seats, two of them for women (Rules).
    private static readonly Process Miraflores2027 = Open();

    private static SeatHolder Man(int birthYear = 1970, OrganisationType type = OrganisationType.NeighbourhoodCommittee) =>
        new(Agent(Miraflores2027, gender: "Male", birthYear: birthYear, name: "Juan Huamán Torres"), type);

    private static SeatHolder Woman(int birthYear = 1970) => new(Agent(Miraflores2027, gender: "Female", birthYear: birthYear), OrganisationType.NeighbourhoodCommittee);

    private static Seats Delegates(params SeatHolder[] holders) => new(Miraflores2027, SeatBody.Delegates, holders);

    [Fact]
    public void Seats_are_numbered_in_the_order_they_are_given()
    {
        Assert.Equal(1, Delegates().Assign(Man()));
        Assert.Equal(2, Delegates(Man()).Assign(Man()));
    }

    [Fact]
    public void A_seat_that_would_leave_too_few_for_the_women_s_quota_is_refused()
    {
        var e = Assert.Throws<ConflictException>(() => Delegates(Man(), Man()).Assign(Man()));

        Assert.Equal("quota", e.Field);
        Assert.Equal("The Women quota of Delegates reserves 2 seats; 0 held, and 1 seat would be left after this one: short by 1", e.Message);
    }

    [Fact]
    public void The_shortfall_counts_the_women_already_seated()
    {
        Assert.Equal(3, Delegates(Man(), Woman()).Assign(Man()));

        var e = Assert.Throws<ConflictException>(() => Delegates(Man(), Woman(), Man()).Assign(Man()));
        Assert.Contains("1 held, and 0 seats would be left after this one: short by 1", e.Message);
    }

    [Fact]
    public void The_directive_committee_keeps_its_own_quota()
    {
        // Seven seats, three for women: four men may sit, the fifth would leave two seats for three women.
        var men = Enumerable.Range(0, 4).Select(_ => new SeatHolder(Agent(Miraflores2027, gender: "Male"), OrganisationType.Ngo)).ToArray();
        var committee = new Seats(Miraflores2027, SeatBody.DirectiveCommittee, men[..3]);

        Assert.Equal(4, committee.Assign(men[3]));
        var e = Assert.Throws<ConflictException>(() => new Seats(Miraflores2027, SeatBody.DirectiveCommittee, men).Assign(Man()));

        Assert.Equal("quota", e.Field);
        Assert.Equal("The Women quota of DirectiveCommittee reserves 3 seats; 0 held, and 2 seats would be left after this one: short by 1", e.Message);
    }

    [Fact]
    public void A_woman_is_accepted_while_seats_remain()
    {
        Assert.Equal(3, Delegates(Man(), Man()).Assign(Woman()));
        Assert.Equal(4, Delegates(Man(), Man(), Woman()).Assign(Woman()));
    }

    [Fact]
    public void A_full_body_takes_no_one_more()
    {
        var e = Assert.Throws<ConflictException>(() => Delegates(Man(), Man(), Woman(), Woman()).Assign(Woman()));

        Assert.Equal("body", e.Field);
        Assert.Equal("All 4 seats of Delegates are assigned", e.Message);
    }

    [Fact]
    public void The_same_agent_does_not_take_two_seats()
    {
        var rosa = Woman();

        var e = Assert.Throws<ConflictException>(() => Delegates(rosa).Assign(rosa));

        Assert.Equal("agentId", e.Field);
        Assert.Equal("Rosa Quispe Mamani already holds a seat of Delegates", e.Message);
    }

    [Theory]
    [InlineData("Eligible")]
    [InlineData("Revoked")]
    public void Only_an_accredited_agent_takes_a_seat(string status)
    {
        var e = Assert.Throws<ConflictException>(() =>
            Delegates().Assign(new(Agent(Miraflores2027, status: status), OrganisationType.WomensOrganisation)));

        Assert.Equal("agentId", e.Field);
        Assert.Equal($"Only accredited agents take seats; this one is {status}", e.Message);
    }

    [Fact]
    public void A_quota_of_one_body_does_not_bind_the_other()
    {
        var process = Open(Rules with { Quotas = [new Quota(SeatBody.DirectiveCommittee, QuotaGroup.Women, 7)] });
        var delegates = new Seats(process, SeatBody.Delegates, []);

        Assert.Equal(1, delegates.Assign(new(Agent(process, gender: "Male"), OrganisationType.Ngo)));
    }

    [Theory]
    [InlineData(1998, true)]
    [InlineData(2008, true)]
    [InlineData(1997, false)]
    public void Youth_is_twenty_nine_or_less_in_the_fiscal_year(int birthYear, bool accepted)
    {
        // One delegate seat, for youth: only a candidate who counts as young takes it.
        var process = Open(Rules with { DelegateSeats = 1, Quotas = [new Quota(SeatBody.Delegates, QuotaGroup.Youth, 1)] });
        var seats = new Seats(process, SeatBody.Delegates, []);
        var candidate = new SeatHolder(Agent(process, gender: "Male", birthYear: birthYear), OrganisationType.NeighbourhoodCommittee);

        if (accepted)
        {
            Assert.Equal(1, seats.Assign(candidate));
        }
        else
        {
            var e = Assert.Throws<ConflictException>(() => seats.Assign(candidate));
            Assert.Equal("quota", e.Field);
            Assert.StartsWith("The Youth quota of Delegates reserves 1 seat;", e.Message);
        }
    }

    [Theory]
    [InlineData(OrganisationType.IndigenousOrPeasantCommunity, true)]
    [InlineData(OrganisationType.NeighbourhoodCommittee, false)]
    [InlineData(OrganisationType.Ngo, false)]
    public void Indigenous_counts_those_representing_an_indigenous_or_peasant_community(OrganisationType type, bool accepted)
    {
        var process = Open(Rules with { DelegateSeats = 2, Quotas = [new Quota(SeatBody.Delegates, QuotaGroup.Indigenous, 2)] });
        var seats = new Seats(process, SeatBody.Delegates, []);
        var candidate = new SeatHolder(Agent(process, gender: "Female"), type);

        if (accepted)
        {
            Assert.Equal(1, seats.Assign(candidate));
        }
        else
        {
            var e = Assert.Throws<ConflictException>(() => seats.Assign(candidate));
            Assert.Equal("quota", e.Field);
            Assert.EndsWith("short by 1", e.Message);
        }
    }

    [Fact]
    public void Every_quota_of_the_body_must_still_be_coverable()
    {
        // Four seats: two for women, two for youth. A young man covers youth but not women.
        var process = Open(Rules with { Quotas = [new Quota(SeatBody.Delegates, QuotaGroup.Women, 2), new Quota(SeatBody.Delegates, QuotaGroup.Youth, 2)] });
        SeatHolder YoungMan() => new(Agent(process, gender: "Male", birthYear: 2000), OrganisationType.YouthOrganisation);
        SeatHolder OlderWoman() => new(Agent(process, gender: "Female", birthYear: 1970), OrganisationType.WomensOrganisation);

        Assert.Equal(3, new Seats(process, SeatBody.Delegates, [YoungMan(), OlderWoman()]).Assign(YoungMan()));
        var e = Assert.Throws<ConflictException>(() => new Seats(process, SeatBody.Delegates, [YoungMan(), YoungMan()]).Assign(YoungMan()));

        Assert.Equal("quota", e.Field);
        Assert.StartsWith("The Women quota", e.Message);
    }

    [Fact]
    public void Seats_are_not_assigned_after_Concertation()
    {
        var process = Open();
        process.AdvanceTo(Stage.Concertation, Day("2026-04-20"));
        Assert.Equal(1, new Seats(process, SeatBody.Delegates, []).Assign(new(Agent(process), OrganisationType.Ngo)));
        process.AdvanceTo(Stage.Coordination, Day("2026-06-01"));

        var e = Assert.Throws<ConflictException>(() => new Seats(process, SeatBody.Delegates, []).Assign(new(Agent(process), OrganisationType.Ngo)));

        Assert.Equal("stage", e.Field);
        Assert.Equal("Assigning seats happens in Preparation or Concertation; the process is in Coordination", e.Message);
    }
}
