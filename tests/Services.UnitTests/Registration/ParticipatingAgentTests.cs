using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Registration.Domain;
using static PBServices.UnitTests.Registration.Preparation;

namespace PBServices.UnitTests.Registration;

public sealed class ParticipatingAgentTests
{
    [Fact]
    public async Task An_eligible_agent_is_accredited_and_the_event_names_them_and_the_jurisdiction()
    {
        var (process, entry) = await PublishedAsync();

        var accredited = entry.Accredit(process, OrganisationType.IndigenousOrPeasantCommunity, "150122");

        Assert.Equal(AgentStatus.Accredited, entry.Status);
        // What the oversight committee's quotas and residence need, as of the process's fiscal year.
        Assert.Equal([QuotaGroup.Women, QuotaGroup.Indigenous], accredited.Groups);
        Assert.Equal("150122", accredited.Territory);
        Assert.Equal(entry.Id, accredited.AgentId);
        Assert.Equal(process.Id, accredited.ProcessId);
        Assert.Equal(Miraflores, accredited.Jurisdiction);
        Assert.Equal("Rosa Quispe Mamani", accredited.FullName);
        Assert.Equal("Comité Vecinal Santa Cruz", accredited.Organisation);
    }

    [Fact]
    public void An_agent_the_committee_has_not_found_eligible_is_not_accredited()
    {
        var process = Open();
        var registered = Submit(process).Agents[0];

        var e = Assert.Throws<ConflictException>(() => registered.Accredit(process, OrganisationType.Other, null));

        Assert.Equal("agentId", e.Field);
        Assert.Equal("Only an agent who is Eligible can be accredited; this one is Registered", e.Message);
        Assert.Equal(AgentStatus.Registered, registered.Status);
    }

    [Fact]
    public async Task An_agent_is_accredited_once()
    {
        var (process, entry) = await PublishedAsync();
        entry.Accredit(process, OrganisationType.Other, null);

        var e = Assert.Throws<ConflictException>(() => entry.Accredit(process, OrganisationType.Other, null));

        Assert.Contains("this one is Accredited", e.Message);
    }

    [Fact]
    public async Task An_accredited_agent_is_revoked_with_a_public_reason()
    {
        var (process, entry) = await PublishedAsync();
        entry.Accredit(process, OrganisationType.Other, null);

        var revoked = entry.Revoke(process, "  Convicted of electoral fraud (Exp. 123-2026)  ");

        Assert.Equal(AgentStatus.Revoked, entry.Status);
        Assert.Equal(entry.Id, revoked.AgentId);
        Assert.Equal(process.Id, revoked.ProcessId);
        Assert.Equal(Miraflores, revoked.Jurisdiction);
        Assert.Equal("Convicted of electoral fraud (Exp. 123-2026)", revoked.Reason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_revocation_without_a_reason_is_refused(string? reason)
    {
        var (process, entry) = await PublishedAsync();
        entry.Accredit(process, OrganisationType.Other, null);

        var e = Assert.Throws<DomainException>(() => entry.Revoke(process, reason));

        Assert.Equal("reason", e.Field);
        Assert.Equal(AgentStatus.Accredited, entry.Status);
    }

    [Fact]
    public async Task Only_an_accredited_agent_is_revoked()
    {
        var (process, entry) = await PublishedAsync();

        var e = Assert.Throws<ConflictException>(() => entry.Revoke(process, "Moved away"));

        Assert.Equal("agentId", e.Field);
        Assert.Equal("Only an agent who is Accredited can be revoked; this one is Eligible", e.Message);
        Assert.Equal(AgentStatus.Eligible, entry.Status);
    }

    [Fact]
    public async Task A_revoked_agent_is_not_accredited_again()
    {
        var (process, entry) = await PublishedAsync();
        entry.Accredit(process, OrganisationType.Other, null);
        entry.Revoke(process, "Moved away");

        var accredit = Assert.Throws<ConflictException>(() => entry.Accredit(process, OrganisationType.Other, null));
        var revoke = Assert.Throws<ConflictException>(() => entry.Revoke(process, "Again"));

        Assert.Contains("this one is Revoked", accredit.Message);
        Assert.Contains("this one is Revoked", revoke.Message);
    }

    [Theory]
    [InlineData("Female", QuotaGroup.Women, true)]
    [InlineData("Male", QuotaGroup.Women, false)]
    public void Women_are_counted_by_the_gender_on_the_DNI(string gender, QuotaGroup group, bool belongs)
    {
        Assert.Equal(belongs, Agent(Open(), gender: gender).BelongsTo(group, FiscalYear, OrganisationType.NeighbourhoodCommittee));
    }

    [Theory]
    [InlineData(1998, 2027, true)]
    [InlineData(1997, 2027, false)]
    [InlineData(1997, 2026, true)]
    public void Youth_is_counted_by_age_in_the_fiscal_year(int birthYear, int fiscalYear, bool belongs)
    {
        Assert.Equal(belongs, Agent(Open(), birthYear: birthYear).BelongsTo(QuotaGroup.Youth, fiscalYear, OrganisationType.YouthOrganisation));
    }

    [Fact]
    public void An_agent_without_a_recorded_birth_year_does_not_count_as_young()
    {
        var process = Open();
        var agent = ParticipatingAgent.Restore(Guid.CreateVersion7(), process.Id, null, null, "Rosa Quispe Mamani", "41234567", "Comité Vecinal Santa Cruz",
            null, null, null, null, "Accredited", null, null, null);

        Assert.False(agent.BelongsTo(QuotaGroup.Youth, FiscalYear, OrganisationType.YouthOrganisation));
        Assert.False(agent.BelongsTo(QuotaGroup.Women, FiscalYear, OrganisationType.YouthOrganisation));
        Assert.Equal(AgentRole.Representative, agent.Role);
    }

    [Fact]
    public void Indigenous_is_counted_by_the_organisation_represented()
    {
        var agent = Agent(Open());

        Assert.True(agent.BelongsTo(QuotaGroup.Indigenous, FiscalYear, OrganisationType.IndigenousOrPeasantCommunity));
        Assert.False(agent.BelongsTo(QuotaGroup.Indigenous, FiscalYear, OrganisationType.VasoDeLecheOrComedor));
    }
}
