using PBServices.BuildingBlocks.Errors;
using PBServices.Registration.Domain;
using static PBServices.UnitTests.Registration.Preparation;

namespace PBServices.UnitTests.Registration;

public sealed class ObjectionTests
{
    private const string Grounds = "The representative does not live in the district (DNI address in Surco)";

    [Fact]
    public async Task An_objection_to_an_entry_of_the_published_list_waits_for_the_committee()
    {
        var (process, entry) = await PublishedAsync();

        var objection = Objection.File(process, entry, "resident-7", Grounds, "Copy of the DNI with address in Surco", InObjections);

        Assert.Equal(ObjectionStatus.Pending, objection.Status);
        Assert.Equal(entry.Id, objection.AgentId);
        Assert.Equal(process.Id, objection.ProcessId);
        Assert.Equal("resident-7", objection.FiledBy);
        Assert.Equal(Grounds, objection.Grounds);
        Assert.Equal(InObjections, objection.FiledAt);
        Assert.Null(objection.Resolution);
        Assert.Equal(AgentStatus.Eligible, entry.Status);
    }

    [Fact]
    public async Task An_objection_before_the_list_is_published_is_refused()
    {
        var process = Open();
        var entry = (await EligibleAsync(process)).Agents[0];

        var e = Assert.Throws<ConflictException>(() => Objection.File(process, entry, "resident-7", Grounds, null, InObjections));

        Assert.Equal("eligibleList", e.Field);
        Assert.Equal("An objection needs the list of eligible agents published first", e.Message);
    }

    [Theory]
    [InlineData("2026-03-20")]
    [InlineData("2026-03-28")]
    public async Task An_objection_outside_the_objections_window_is_refused(string day)
    {
        var (process, entry) = await PublishedAsync();

        var e = Assert.Throws<ConflictException>(() => Objection.File(process, entry, "resident-7", Grounds, null, At(day)));

        Assert.Equal("calendar", e.Field);
        Assert.Equal($"The objection period is open from 2026-03-23 to 2026-03-27 (Lima); today is {day}", e.Message);
    }

    [Fact]
    public async Task An_objection_on_the_last_evening_of_the_window_in_Lima_is_accepted()
    {
        var (process, entry) = await PublishedAsync();
        // 03:30 UTC on the 28th is 22:30 on the 27th in Lima.
        var lateEvening = new DateTimeOffset(2026, 3, 28, 3, 30, 0, TimeSpan.Zero);

        Assert.Equal(ObjectionStatus.Pending, Objection.File(process, entry, "resident-7", Grounds, null, lateEvening).Status);
    }

    [Fact]
    public async Task Only_an_entry_of_the_eligible_list_can_be_objected_to()
    {
        var process = Open();
        var rejected = Submit(process);
        rejected.Review(process, "Rejected", "No assembly act", null, InRegistration);
        process.PublishEligibleList(Day("2026-03-16"), InPublication);

        var e = Assert.Throws<ConflictException>(() => Objection.File(process, rejected.Agents[0], "resident-7", Grounds, null, InObjections));

        Assert.Equal("agentId", e.Field);
        Assert.Equal("Only an entry of the eligible list can be objected to; this one is Rejected", e.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public async Task An_objection_without_grounds_is_refused(string? grounds)
    {
        var (process, entry) = await PublishedAsync();

        var e = Assert.Throws<DomainException>(() => Objection.File(process, entry, "resident-7", grounds, null, InObjections));

        Assert.Equal("grounds", e.Field);
    }

    [Fact]
    public async Task An_upheld_objection_strikes_the_entry_from_the_list()
    {
        var (process, entry) = await PublishedAsync();
        var objection = Objection.File(process, entry, "resident-7", Grounds, null, InObjections);

        objection.Resolve(process, entry, "Upheld", "RENIEC record shows residence in Surco", InAccreditation);

        Assert.Equal(ObjectionStatus.Upheld, objection.Status);
        Assert.Equal("RENIEC record shows residence in Surco", objection.Resolution);
        Assert.Equal(InAccreditation, objection.ResolvedAt);
        Assert.Equal(AgentStatus.Excluded, entry.Status);
        var e = Assert.Throws<ConflictException>(() => entry.Accredit(process, OrganisationType.Other, null));
        Assert.Equal("Only an agent who is Eligible can be accredited; this one is Excluded", e.Message);
    }

    [Fact]
    public async Task A_dismissed_objection_keeps_the_entry_on_the_list()
    {
        var (process, entry) = await PublishedAsync();
        var objection = Objection.File(process, entry, "resident-7", Grounds, null, InObjections);

        objection.Resolve(process, entry, "dismissed", "The certificate of residence shows Miraflores", InObjections);

        Assert.Equal(ObjectionStatus.Dismissed, objection.Status);
        Assert.Equal(AgentStatus.Eligible, entry.Status);
        entry.Accredit(process, OrganisationType.Other, null);
        Assert.Equal(AgentStatus.Accredited, entry.Status);
    }

    [Fact]
    public async Task A_second_objection_upheld_against_an_entry_already_struck_off_is_recorded_and_the_entry_stays_excluded()
    {
        var (process, entry) = await PublishedAsync();
        var first = Objection.File(process, entry, "resident-7", Grounds, null, InObjections);
        var second = Objection.File(process, entry, "resident-8", "Not a member of the organisation", null, InObjections);
        first.Resolve(process, entry, "Upheld", "Residence not proven", InObjections);

        second.Resolve(process, entry, "Upheld", "Not on the organisation's roll either", InObjections);

        Assert.Equal((ObjectionStatus.Upheld, ObjectionStatus.Upheld), (first.Status, second.Status));
        Assert.Equal(AgentStatus.Excluded, entry.Status);
    }

    [Fact]
    public async Task An_objection_is_resolved_once()
    {
        var (process, entry) = await PublishedAsync();
        var objection = Objection.File(process, entry, "resident-7", Grounds, null, InObjections);
        objection.Resolve(process, entry, "Dismissed", "Residence proven", InObjections);

        var e = Assert.Throws<ConflictException>(() => objection.Resolve(process, entry, "Upheld", "Changed our mind", InObjections));

        Assert.Equal("objectionId", e.Field);
        Assert.Equal("The objection was already Dismissed", e.Message);
        Assert.Equal(ObjectionStatus.Dismissed, objection.Status);
        Assert.Equal(AgentStatus.Eligible, entry.Status);
    }

    [Theory]
    [InlineData("Pending")]
    [InlineData("Accepted")]
    [InlineData(null)]
    public async Task A_resolution_is_Upheld_or_Dismissed(string? decision)
    {
        var (process, entry) = await PublishedAsync();
        var objection = Objection.File(process, entry, "resident-7", Grounds, null, InObjections);

        var e = Assert.Throws<DomainException>(() => objection.Resolve(process, entry, decision, "Reasons", InObjections));

        Assert.Equal("decision", e.Field);
        Assert.Equal(ObjectionStatus.Pending, objection.Status);
    }

    [Fact]
    public async Task A_resolution_needs_its_reasons()
    {
        var (process, entry) = await PublishedAsync();
        var objection = Objection.File(process, entry, "resident-7", Grounds, null, InObjections);

        var e = Assert.Throws<DomainException>(() => objection.Resolve(process, entry, "Upheld", "", InObjections));

        Assert.Equal("reasons", e.Field);
        Assert.Equal(AgentStatus.Eligible, entry.Status);
    }

    [Fact]
    public async Task Objections_are_resolved_from_the_objection_period_to_the_end_of_accreditation()
    {
        var (process, entry) = await PublishedAsync();
        var objection = Objection.File(process, entry, "resident-7", Grounds, null, InObjections);

        var e = Assert.Throws<ConflictException>(() => objection.Resolve(process, entry, "Upheld", "Proven", At("2026-04-04")));

        Assert.Equal("calendar", e.Field);
        Assert.Equal("Resolving objections is open from 2026-03-23 to 2026-04-03 (Lima); today is 2026-04-04", e.Message);
        Assert.Equal(ObjectionStatus.Pending, objection.Status);
    }
}
