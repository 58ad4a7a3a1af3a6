using PBServices.BuildingBlocks.Errors;
using PBServices.Registration.Domain;
using static PBServices.UnitTests.Registration.Preparation;

namespace PBServices.UnitTests.Registration;

public sealed class AgentApplicationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AgentApplication SubmitFor(Process process, Organisation? organisation, params PersonDetails[] persons) =>
        AgentApplication.Submit(process, organisation?.Id ?? Guid.CreateVersion7(), organisation, "Desk", persons, "desk-officer", InRegistration);

    private static async Task<AgentApplication> ObservedAsync(Process process, string correctBy = "2026-03-12")
    {
        var application = Submit(process);
        AttachAll(process, application);
        await ConfirmAllAsync(process, application);
        application.Review(process, "Observed", "The assembly act is not signed by the board", Day(correctBy), InRegistration);
        return application;
    }

    [Fact]
    public void An_organisation_registers_its_representative_and_alternate()
    {
        var process = Open();
        var organisation = Committee();

        var application = AgentApplication.Submit(process, organisation.Id, organisation, "online", [Representative(), Alternate()], "organisation-user", InRegistration);

        Assert.Equal(ApplicationStatus.Submitted, application.Status);
        Assert.Equal(Channel.Online, application.Channel);
        Assert.Equal("Comité Vecinal Santa Cruz", application.OrganisationName);
        Assert.Equal(OrganisationType.NeighbourhoodCommittee, application.OrganisationType);
        Assert.Equal(InRegistration, application.SubmittedAt);
        Assert.Equal(["Rosa Quispe Mamani", "Juan Huamán Torres"], application.Agents.Select(a => a.FullName));
        Assert.Equal([AgentRole.Representative, AgentRole.Alternate], application.Agents.Select(a => a.Role));
        Assert.All(application.Agents, a => Assert.Equal(AgentStatus.Registered, a.Status));
        Assert.All(application.Agents, a => Assert.False(a.IdentityConfirmed));
        Assert.Equal(Document.RequiredForEligibility, application.MissingDocuments);
    }

    [Fact]
    public void Registration_outside_its_window_is_refused()
    {
        var process = Open();
        var organisation = Committee();

        var e = Assert.Throws<ConflictException>(() =>
            AgentApplication.Submit(process, organisation.Id, organisation, "Online", [Representative()], "organisation-user", At("2026-03-14")));

        Assert.Equal("calendar", e.Field);
        Assert.Equal("Registration of participating agents is open from 2026-03-02 to 2026-03-13 (Lima); today is 2026-03-14", e.Message);
    }

    [Fact]
    public void Two_representatives_are_refused()
    {
        var e = Assert.Throws<DomainException>(() => Submit(Open(), Representative(), Representative(dni: "42345678", name: "Juan Huamán Torres")));

        Assert.Equal("agents", e.Field);
        Assert.Equal("Exactly one Representative; the others are Alternates", e.Message);
    }

    [Fact]
    public void Alternates_without_a_representative_are_refused()
    {
        var e = Assert.Throws<DomainException>(() => Submit(Open(), Alternate()));

        Assert.Equal("agents", e.Field);
        Assert.Contains("Exactly one Representative", e.Message);
    }

    [Fact]
    public void More_persons_than_the_rules_allow_an_organisation_are_refused()
    {
        var process = Open();

        var e = Assert.Throws<DomainException>(() => Submit(process, Representative(), Alternate(), Alternate(dni: "43456789", name: "Ana Flores Ccori")));

        Assert.Equal("agents", e.Field);
        Assert.Equal("One to 2 persons: the process's rules let an organisation register 2", e.Message);
    }

    [Fact]
    public void The_limit_follows_the_process_s_rules()
    {
        var process = Open(Rules with { AgentsPerOrganisation = 3 });

        var application = Submit(process, Representative(), Alternate(), Alternate(dni: "43456789", name: "Ana Flores Ccori"));

        Assert.Equal(3, application.Agents.Count);
    }

    [Fact]
    public void An_application_naming_nobody_is_refused()
    {
        var process = Open();
        var organisation = Committee();

        var none = Assert.Throws<DomainException>(() => SubmitFor(process, organisation));
        var missing = Assert.Throws<DomainException>(() =>
            AgentApplication.Submit(process, organisation.Id, organisation, "Desk", null, "desk-officer", InRegistration));

        Assert.Equal("agents", none.Field);
        Assert.Equal("agents", missing.Field);
    }

    [Theory]
    [InlineData("1234567")]
    [InlineData("123456789")]
    [InlineData("1234567A")]
    [InlineData("")]
    [InlineData(null)]
    public void A_DNI_that_is_not_eight_digits_is_refused_for_that_person(string? dni)
    {
        var e = Assert.Throws<DomainException>(() => Submit(Open(), Representative(), Alternate() with { Dni = dni }));

        Assert.Equal("agents[1].dni", e.Field);
        Assert.Equal("The DNI must be exactly eight digits", e.Message);
    }

    [Fact]
    public void The_same_DNI_twice_is_refused()
    {
        var e = Assert.Throws<DomainException>(() => Submit(Open(), Representative(dni: "41234567"), Alternate(dni: "41234567")));

        Assert.Equal("agents", e.Field);
        Assert.Equal("The same DNI appears twice", e.Message);
    }

    [Theory]
    [InlineData(1916)]
    [InlineData(2009)]
    [InlineData(0)]
    public void A_birth_year_that_is_not_an_adult_s_is_refused(int birthYear)
    {
        var e = Assert.Throws<DomainException>(() => Submit(Open(), Representative(birthYear: birthYear)));

        Assert.Equal("agents[0].birthYear", e.Field);
        Assert.Equal("A year from 1917 to 2008: agents are adults", e.Message);
    }

    [Theory]
    [InlineData(1917)]
    [InlineData(2008)]
    public void The_oldest_and_the_youngest_birth_years_are_accepted(int birthYear)
    {
        Assert.Equal(birthYear, Submit(Open(), Representative(birthYear: birthYear)).Agents[0].BirthYear);
    }

    [Theory]
    [InlineData("rosa")]
    [InlineData("rosa@")]
    [InlineData("Rosa Quispe <rosa@example.pe>")]
    public void An_email_that_is_not_an_address_is_refused(string email)
    {
        var e = Assert.Throws<DomainException>(() => Submit(Open(), Representative() with { Email = email }));

        Assert.Equal("agents[0].email", e.Field);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("98765-4321")]
    [InlineData("+51 987 654 321")]
    [InlineData("1234567890123456")]
    public void A_phone_that_is_not_6_to_15_digits_is_refused(string phone)
    {
        var e = Assert.Throws<DomainException>(() => Submit(Open(), Representative() with { Phone = phone }));

        Assert.Equal("agents[0].phone", e.Field);
        Assert.Equal("Digits only, 6 to 15, optionally after +", e.Message);
    }

    [Fact]
    public void Contact_details_are_optional_and_trimmed()
    {
        var application = Submit(Open(), Representative() with { Phone = " +51987654321 ", Email = " rosa@example.pe " }, Alternate() with { Phone = "", Email = null });

        Assert.Equal("+51987654321", application.Agents[0].Phone);
        Assert.Equal("rosa@example.pe", application.Agents[0].Email);
        Assert.Null(application.Agents[1].Phone);
        Assert.Null(application.Agents[1].Email);
    }

    [Theory]
    [InlineData("role", "Delegate")]
    [InlineData("gender", "X")]
    public void A_role_or_gender_the_DNI_does_not_know_is_refused(string what, string value)
    {
        var person = what == "role" ? Representative() with { Role = value } : Representative() with { Gender = value };

        var e = Assert.Throws<DomainException>(() => Submit(Open(), person));

        Assert.Equal($"agents[0].{what}", e.Field);
    }

    [Fact]
    public void An_organisation_outside_the_process_s_jurisdiction_is_refused()
    {
        // Cercado de Lima is a district of the same province, not of Miraflores.
        var cercado = Committee(territory: "150101");

        var e = Assert.Throws<DomainException>(() => SubmitFor(Open(), cercado, Representative()));

        Assert.Equal("organisationId", e.Field);
        Assert.Equal("Comité Vecinal Santa Cruz is of 150101, outside the process's jurisdiction 150122", e.Message);
    }

    [Fact]
    public void An_organisation_that_is_not_registered_is_refused()
    {
        var id = Guid.CreateVersion7();

        var e = Assert.Throws<DomainException>(() =>
            AgentApplication.Submit(Open(), id, null, "Online", [Representative()], "organisation-user", InRegistration));

        Assert.Equal("organisationId", e.Field);
        Assert.Equal($"No organisation {id} is registered; register the organisation first", e.Message);
    }

    [Fact]
    public void An_unknown_channel_is_refused()
    {
        var organisation = Committee();

        var e = Assert.Throws<DomainException>(() =>
            AgentApplication.Submit(Open(), organisation.Id, organisation, "Post", [Representative()], "organisation-user", InRegistration));

        Assert.Equal("channel", e.Field);
    }

    [Fact]
    public async Task Eligible_needs_every_identity_confirmed_and_names_who_is_not()
    {
        var process = Open();
        var application = Submit(process);
        AttachAll(process, application);
        await application.ConfirmIdentityAsync(process, application.Agents[0].Id, "DeskCard", "officer-1", new OfficerCardCheck(), InRegistration, Ct);

        var e = Assert.Throws<ConflictException>(() => application.Review(process, "Eligible", null, null, InRegistration));

        Assert.Equal("decision", e.Field);
        Assert.Equal("The identity of Juan Huamán Torres has not been confirmed against the DNI", e.Message);
        Assert.Equal(ApplicationStatus.Submitted, application.Status);
    }

    [Fact]
    public async Task Eligible_needs_the_three_documents_and_names_those_missing()
    {
        var process = Open();
        var application = Submit(process);
        application.Attach(process, Pdf(DocumentKind.RegistrationForm), InRegistration);
        application.Attach(process, Pdf(DocumentKind.DniScan), InRegistration);
        await ConfirmAllAsync(process, application);

        var e = Assert.Throws<ConflictException>(() => application.Review(process, "Eligible", null, null, InRegistration));

        Assert.Equal("decision", e.Field);
        Assert.Equal("Documents missing: RegistryEntry, AssemblyAct", e.Message);
        Assert.Equal(ApplicationStatus.Submitted, application.Status);
    }

    [Fact]
    public async Task A_complete_application_found_eligible_puts_its_persons_on_the_list()
    {
        var process = Open();

        var application = await EligibleAsync(process);

        Assert.Equal(ApplicationStatus.Eligible, application.Status);
        Assert.Empty(application.MissingDocuments);
        Assert.All(application.Agents, a => Assert.Equal(AgentStatus.Eligible, a.Status));
        Assert.All(application.Agents, a => Assert.Equal("officer-1", a.IdentityConfirmedBy));
        Assert.All(application.Agents, a => Assert.Equal(IdentityMethod.DeskCard, a.IdentityMethod));
    }

    [Fact]
    public void An_unknown_decision_is_refused()
    {
        var process = Open();

        var e = Assert.Throws<DomainException>(() => Submit(process).Review(process, "Approved", null, null, InRegistration));

        Assert.Equal("decision", e.Field);
        Assert.Equal("Eligible, Observed or Rejected", e.Message);
    }

    [Fact]
    public async Task An_application_already_decided_is_not_reviewed_again()
    {
        var process = Open();
        var application = await EligibleAsync(process);

        var e = Assert.Throws<ConflictException>(() => application.Review(process, "Rejected", "Duplicate registration", null, InRegistration));

        Assert.Equal("applicationId", e.Field);
        Assert.Equal("Only a submitted application is reviewed; this one is Eligible", e.Message);
        Assert.Equal(ApplicationStatus.Eligible, application.Status);
    }

    [Fact]
    public async Task An_observed_application_says_what_to_correct_and_by_when()
    {
        var process = Open();

        var application = await ObservedAsync(process, correctBy: "2026-03-20");

        Assert.Equal(ApplicationStatus.Observed, application.Status);
        Assert.Equal(Day("2026-03-20"), application.CorrectBy);
        Assert.Equal("The assembly act is not signed by the board", application.Observations);
        Assert.All(application.Agents, a => Assert.Equal(AgentStatus.Registered, a.Status));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("2026-03-04")]
    [InlineData("2026-03-21")]
    public void Observed_needs_a_date_from_today_to_the_end_of_publication(string? correctBy)
    {
        var process = Open();
        var application = Submit(process);

        var e = Assert.Throws<DomainException>(() =>
            application.Review(process, "Observed", "Sign the form", correctBy is null ? null : Day(correctBy), InRegistration));

        Assert.Equal("correctBy", e.Field);
        Assert.Equal("The date by which to correct, from 2026-03-05 to 2026-03-20 (the end of publication)", e.Message);
        Assert.Equal(ApplicationStatus.Submitted, application.Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public void Observed_needs_the_reasons(string? reasons)
    {
        var process = Open();
        var application = Submit(process);

        var e = Assert.Throws<DomainException>(() => application.Review(process, "Observed", reasons, Day("2026-03-12"), InRegistration));

        Assert.Equal("reasons", e.Field);
        Assert.Equal(ApplicationStatus.Submitted, application.Status);
    }

    [Fact]
    public void Rejected_needs_the_reasons()
    {
        var process = Open();
        var application = Submit(process);

        var e = Assert.Throws<DomainException>(() => application.Review(process, "Rejected", "", null, InRegistration));

        Assert.Equal("reasons", e.Field);
        Assert.Equal(ApplicationStatus.Submitted, application.Status);
    }

    [Fact]
    public void A_rejected_application_keeps_its_persons_off_the_list()
    {
        var process = Open();
        var application = Submit(process);

        application.Review(process, "Rejected", "The organisation is not in the municipal registry", null, InRegistration);

        Assert.Equal(ApplicationStatus.Rejected, application.Status);
        Assert.Equal("The organisation is not in the municipal registry", application.Reasons);
        Assert.All(application.Agents, a => Assert.Equal(AgentStatus.Rejected, a.Status));
    }

    [Fact]
    public async Task An_observed_application_is_corrected_and_resubmitted_by_its_date()
    {
        var process = Open();
        var application = await ObservedAsync(process);
        var now = At("2026-03-12", hour: 23);

        var agent = application.Correct(process, application.Agents[1].Id, Alternate(name: "Juan Carlos Huamán Torres"), now);
        application.Resubmit(process, now);

        Assert.Equal("Juan Carlos Huamán Torres", agent.FullName);
        Assert.Equal(ApplicationStatus.Submitted, application.Status);
        Assert.Equal(now, application.SubmittedAt);
    }

    [Fact]
    public async Task A_correction_after_its_date_is_refused()
    {
        var process = Open();
        var application = await ObservedAsync(process);

        var correct = Assert.Throws<ConflictException>(() => application.Correct(process, application.Agents[1].Id, Alternate(), At("2026-03-13")));
        var resubmit = Assert.Throws<ConflictException>(() => application.Resubmit(process, At("2026-03-13")));

        Assert.Equal("correctBy", correct.Field);
        Assert.Equal("The corrections were due by 2026-03-12", correct.Message);
        Assert.Equal("correctBy", resubmit.Field);
        Assert.Equal(ApplicationStatus.Observed, application.Status);
    }

    [Fact]
    public void Only_an_observed_application_is_corrected_or_resubmitted()
    {
        var process = Open();
        var application = Submit(process);

        var correct = Assert.Throws<ConflictException>(() => application.Correct(process, application.Agents[0].Id, Representative(), InRegistration));
        var resubmit = Assert.Throws<ConflictException>(() => application.Resubmit(process, InRegistration));

        Assert.Equal("applicationId", correct.Field);
        Assert.Equal("Only an observed application is corrected; this one is Submitted", correct.Message);
        Assert.Equal("applicationId", resubmit.Field);
    }

    [Fact]
    public async Task Changing_a_DNI_resets_the_identity_confirmation()
    {
        var process = Open();
        var application = await ObservedAsync(process);

        var agent = application.Correct(process, application.Agents[0].Id, Representative(dni: "41234568"), InRegistration);

        Assert.False(agent.IdentityConfirmed);
        Assert.Null(agent.IdentityConfirmedBy);
        Assert.Null(agent.IdentityMethod);
        Assert.True(application.Agents[1].IdentityConfirmed);
    }

    [Fact]
    public async Task Changing_a_name_resets_the_identity_confirmation()
    {
        var process = Open();
        var application = await ObservedAsync(process);

        var agent = application.Correct(process, application.Agents[0].Id, Representative(name: "Rosa Elena Quispe Mamani"), InRegistration);

        Assert.False(agent.IdentityConfirmed);
    }

    [Fact]
    public async Task Changing_only_the_contact_details_keeps_the_identity_confirmation()
    {
        var process = Open();
        var application = await ObservedAsync(process);

        var agent = application.Correct(process, application.Agents[0].Id, Representative() with { Phone = "014445566" }, InRegistration);

        Assert.True(agent.IdentityConfirmed);
        Assert.Equal("014445566", agent.Phone);
    }

    [Fact]
    public async Task A_correction_that_reuses_another_person_s_DNI_is_refused()
    {
        var process = Open();
        var application = await ObservedAsync(process);

        var e = Assert.Throws<DomainException>(() => application.Correct(process, application.Agents[1].Id, Alternate(dni: "41234567"), InRegistration));

        Assert.Equal("agents", e.Field);
        Assert.Equal("The same DNI appears twice", e.Message);
    }

    [Fact]
    public async Task A_correction_names_the_field_without_an_index()
    {
        var process = Open();
        var application = await ObservedAsync(process);

        var e = Assert.Throws<DomainException>(() => application.Correct(process, application.Agents[1].Id, Alternate(dni: "4123"), InRegistration));

        Assert.Equal("agent.dni", e.Field);
    }

    [Fact]
    public async Task A_scanned_card_confirmation_needs_a_DNI_scan()
    {
        var process = Open();
        var application = Submit(process);
        var agent = application.Agents[0];

        var e = await Assert.ThrowsAsync<ConflictException>(() =>
            application.ConfirmIdentityAsync(process, agent.Id, "ScannedCard", "officer-1", new OfficerCardCheck(), InRegistration, Ct));

        Assert.Equal("method", e.Field);
        Assert.Contains("No DNI scan has been uploaded", e.Message);
        Assert.False(agent.IdentityConfirmed);

        application.Attach(process, Pdf(DocumentKind.DniScan), InRegistration);
        await application.ConfirmIdentityAsync(process, agent.Id, "ScannedCard", "officer-1", new OfficerCardCheck(), InRegistration, Ct);

        Assert.True(agent.IdentityConfirmed);
        Assert.Equal(IdentityMethod.ScannedCard, agent.IdentityMethod);
        Assert.Equal("officer-1", agent.IdentityConfirmedBy);
        Assert.Equal(InRegistration, agent.IdentityConfirmedAt);
    }

    [Fact]
    public async Task An_unknown_confirmation_method_is_refused()
    {
        var process = Open();
        var application = Submit(process);

        var e = await Assert.ThrowsAsync<DomainException>(() =>
            application.ConfirmIdentityAsync(process, application.Agents[0].Id, "Reniec", "officer-1", new OfficerCardCheck(), InRegistration, Ct));

        Assert.Equal("method", e.Field);
        Assert.False(application.Agents[0].IdentityConfirmed);
    }

    [Fact]
    public async Task A_person_not_in_the_application_is_not_found()
    {
        var process = Open();
        var application = Submit(process);

        await Assert.ThrowsAsync<NotFoundException>(() =>
            application.ConfirmIdentityAsync(process, Guid.CreateVersion7(), "DeskCard", "officer-1", new OfficerCardCheck(), InRegistration, Ct));
    }

    [Fact]
    public async Task A_decided_application_takes_no_more_documents()
    {
        var process = Open();
        var application = await EligibleAsync(process);

        var e = Assert.Throws<ConflictException>(() => application.Attach(process, Pdf(DocumentKind.DniScan), InRegistration));

        Assert.Equal("applicationId", e.Field);
        Assert.Equal("Documents: the application is already Eligible", e.Message);
        Assert.Equal(3, application.Documents.Count);
    }

    [Fact]
    public void Review_closes_once_the_list_is_published()
    {
        var process = Open();
        var application = Submit(process);
        process.PublishEligibleList(Day("2026-03-16"), InPublication);

        var e = Assert.Throws<ConflictException>(() => application.Review(process, "Rejected", "Late", null, InPublication));

        Assert.Equal("eligibleList", e.Field);
        Assert.Contains("Review of applications closed when the list of eligible agents was published", e.Message);
        Assert.Equal(ApplicationStatus.Submitted, application.Status);
    }

    [Fact]
    public void Review_may_continue_during_publication_until_the_list_is_published()
    {
        var process = Open();
        var application = Submit(process);

        application.Review(process, "Rejected", "The act names another organisation", null, At("2026-03-20"));

        Assert.Equal(ApplicationStatus.Rejected, application.Status);
    }
}
