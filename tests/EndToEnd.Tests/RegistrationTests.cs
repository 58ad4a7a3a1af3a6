using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Grpc.Core;
using PBServices.Grpc.Registration;

using static PBServices.EndToEnd.Tests.Answers;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// Preparation as a municipality runs it (issue 12), through the gateway: organisations register their agents,
/// the committee reviews them, publishes the list, resolves objections and accredits it; training, seats under
/// quotas, statistics and the audit trail follow. Each test has its own jurisdictions (0901xx, 1001xx).
/// </summary>
public sealed class RegistrationTests(SystemFixture system)
{
    public sealed record WindowDto(string From, string To);
    public sealed record QuotaDto(string Body, string Group, int MinimumSeats);
    public sealed record RulesDto(int AgentsPerOrganisation, bool TrainingRequiredToVote, string BallotFormat, string AllocationRule, int OversightCommitteeSize,
        int DelegateSeats, int DirectiveCommitteeSeats, List<QuotaDto> Quotas);
    public sealed record ProcessDetailDto(Guid Id, string Jurisdiction, int FiscalYear, string Stage, int AccreditedAgents, Dictionary<string, WindowDto> Calendar,
        RulesDto Rules, List<string> OpenSteps, DateTimeOffset? EligibleListPublishedAt);
    public sealed record JurisdictionDto(string Code, string Level, string? Parent);
    public sealed record EntryDto(Guid AgentId, string FullName, string Role, Guid? OrganisationId, string OrganisationName, string? OrganisationType, string Status, int PendingObjections);
    public sealed record PublishedListDto(Guid ProcessId, DateTimeOffset PublishedAt, List<EntryDto> Entries);
    public sealed record SeatDto(string Body, int SeatNumber, Guid AgentId, string FullName, string OrganisationName, string? Gender);
    public sealed record SessionDto(Guid Id, string Date, string Topic, string? Place, string? OnlineLink, int Attendees);
    public sealed record AttendanceDto(Guid SessionId, Guid AgentId, string CheckedInBy, DateTimeOffset At);
    public sealed record AccreditationDto(int Accredited, List<Guid> Agents);
    public sealed record AgentRecordDto(Guid Id, string FullName, string Organisation, string Status, bool Trained, List<SeatDto> Seats);
    public sealed record AuditEntryDto(long Sequence, string Subject, string Role, string Action, string SubjectId, JsonElement NewValues, string? Reason);
    public sealed record VerificationDto(bool Ok, long Entries, long? FirstBrokenSequence, string? Reason);

    /// <summary>A person as an organisation names them in its application.</summary>
    private sealed record Person(string Role, string Dni, string FullName, string Gender, int BirthYear)
    {
        public object Body => new { role = Role, dni = Dni, fullName = FullName, gender = Gender, birthYear = BirthYear, phone = "953123456", email = (string?)null };
    }

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly string[] RequiredDocuments = ["RegistrationForm", "RegistryEntry", "AssemblyAct"];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    // ---------------------------------------------------------------- 1. Bad input

    [Fact]
    public async Task Opening_a_process_with_bad_input_is_a_400_naming_the_field_and_the_rule_and_opens_nothing()
    {
        const string jurisdiction = "090104";
        var admin = system.As(await system.TokenAsync("process-admin", jurisdiction, $"pp-{jurisdiction}"));
        Task<HttpResponseMessage> Open(object request) => admin.PostAsJsonAsync("/api/registration/processes", request, Ct);

        await ProblemAsync(Open(ProcessStory.OpenRequest("Presupuesto Participativo 090104", 900_000m, level: "province")), HttpStatusCode.BadRequest,
            "level", "090104 is a district's ubigeo, not a province's");
        await ProblemAsync(Open(ProcessStory.OpenRequest("Presupuesto Participativo 090104", -250_000m)), HttpStatusCode.BadRequest,
            "budgetCeiling", "A positive amount of soles");
        var today = ProcessStory.TodayInLima;
        var outOfOrder = new Dictionary<string, object>
        {
            ["registration"] = new { from = Day(today), to = Day(today.AddDays(2)) },
            // Publication starts while registration still runs.
            ["publication"] = new { from = Day(today.AddDays(1)), to = Day(today.AddDays(2)) },
        };
        foreach (var name in new[] { "objections", "accreditation", "training", "concertation", "coordination", "formalization", "submission", "oversight" })
        {
            outOfOrder[name] = new { from = Day(today.AddDays(2)), to = Day(today.AddDays(2)) };
        }
        await ProblemAsync(Open(ProcessStory.OpenRequest("Presupuesto Participativo 090104", 900_000m, calendar: outOfOrder)), HttpStatusCode.BadRequest,
            "calendar.publication", "the calendar runs in order");

        // Nothing was opened: the jurisdiction has no process, and is not even on record.
        Assert.Empty((await system.Gateway.GetFromJsonAsync<List<ProcessDetailDto>>($"/api/registration/processes?jurisdiction={jurisdiction}", Ct))!);
        Assert.Equal(HttpStatusCode.NotFound, (await system.Gateway.GetAsync($"/api/registration/jurisdictions/{jurisdiction}", Ct)).StatusCode);

        var opened = await ExpectAsync<ProcessDetailDto>(Open(ProcessStory.OpenRequest("Presupuesto Participativo 090104", 900_000m)), HttpStatusCode.Created);
        Assert.Equal(("Preparation", 900_000m), (opened.Stage, (await system.Gateway.GetFromJsonAsync<ProcessDto>($"/api/registration/processes/{opened.Id}", Ct))!.BudgetCeiling));
        Assert.Equal(new JurisdictionDto(jurisdiction, "District", "090100"),
            await system.Gateway.GetFromJsonAsync<JurisdictionDto>($"/api/registration/jurisdictions/{jurisdiction}", Ct));
    }

    [Fact]
    public async Task Registering_with_bad_input_is_a_problem_naming_the_field_and_the_rule_and_changes_nothing()
    {
        const string jurisdiction = "090105";
        var story = await ProcessStory.OpenAsync(system, jurisdiction, "Presupuesto Participativo 090105", 1_200_000m, Ct);
        var (process, admin) = (story.Process, story.Admin);
        var resident = system.As(await system.TokenAsync("resident", jurisdiction, $"vecino-{Guid.NewGuid():N}"));
        Task<HttpResponseMessage> Register(string name, string type, string territory) =>
            resident.PostAsJsonAsync("/api/registration/organisations", OrganisationBody(name, type, territory), Ct);

        await ProblemAsync(Register("Junta Vecinal Villa del Mar", "NeighbourhoodCommittee", "260101"), HttpStatusCode.BadRequest, "territory", "must be 01 to 25");
        await ProblemAsync(Register("Junta Vecinal Villa del Mar", "NeighbourhoodCommittee", "09010A"), HttpStatusCode.BadRequest, "territory", "six-digit ubigeo");
        await ProblemAsync(Register("Club de Tiro Ilo", "ShootingClub", jurisdiction), HttpStatusCode.BadRequest, "type", "One of NeighbourhoodCommittee");
        Assert.Empty((await system.Gateway.GetFromJsonAsync<List<OrganisationDto>>($"/api/registration/organisations?jurisdiction={jurisdiction}", Ct))!);

        var first = await OrganisationAsync(resident, jurisdiction, "Junta Vecinal Villa del Mar", "NeighbourhoodCommittee");
        var second = await OrganisationAsync(resident, jurisdiction, "Comedor Popular Nueva Victoria", "VasoDeLecheOrComedor");
        Task<HttpResponseMessage> Apply(Guid organisationId, params Person[] persons) => resident.PostAsJsonAsync($"/api/registration/processes/{process.Id}/applications",
            new { organisationId, channel = "Online", agents = persons.Select(p => p.Body).ToArray() }, Ct);
        var representative = new Person("Representative", "45123001", "Elena Chambilla Quispe", "Female", 1979);

        await ProblemAsync(Apply(first.Id, representative with { Dni = "4512300" }), HttpStatusCode.BadRequest, "agents[0].dni", "exactly eight digits");
        await ProblemAsync(Apply(first.Id, representative, new Person("Alternate", "4512300A", "Rubén Mamani Coaquira", "Male", 1985)), HttpStatusCode.BadRequest,
            "agents[1].dni", "exactly eight digits");
        await ProblemAsync(Apply(Guid.NewGuid(), representative), HttpStatusCode.BadRequest, "organisationId", "register the organisation first");
        await ProblemAsync(Apply(first.Id, representative, new Person("Alternate", "45123002", "Rubén Mamani Coaquira", "Male", 1985),
            new Person("Alternate", "45123003", "Nilda Apaza Vilca", "Female", 1990)), HttpStatusCode.BadRequest, "agents", "One to 2 persons");

        var client = new RegistrationQuery.RegistrationQueryClient(system.GatewayGrpc);
        var headers = await GrpcHeadersAsync(jurisdiction);
        Assert.Empty(await QueueAsync(admin, process.Id));
        Assert.Empty((await resident.GetFromJsonAsync<List<ApplicationDto>>("/api/registration/applications/mine", Ct))!);
        Assert.Equal(0, (await client.GetCountsAsync(new GetCountsRequest { ProcessId = process.Id.ToString() }, headers, cancellationToken: Ct)).Registered);

        var application = await ExpectAsync<ApplicationDto>(Apply(first.Id, representative), HttpStatusCode.Created);
        await ProblemAsync(Apply(second.Id, new Person("Representative", representative.Dni, "Elena Chambilla Quispe", "Female", 1979)), HttpStatusCode.Conflict,
            "dni", "already registered in this process");
        // The refused application left nothing behind: the queue holds one, and the second organisation can still apply.
        var queue = await QueueAsync(admin, process.Id);
        Assert.Equal([application.Id], queue.Select(a => a.Id));
        Assert.Equal(1, (await client.GetCountsAsync(new GetCountsRequest { ProcessId = process.Id.ToString() }, headers, cancellationToken: Ct)).Registered);
        await ExpectAsync<ApplicationDto>(Apply(second.Id, new Person("Representative", "45123004", "Gloria Ticona Flores", "Female", 1970)), HttpStatusCode.Created);

        await ProblemAsync(UploadAsync(resident, process.Id, application.Id, "AssemblyAct", "Acta de asamblea, en texto plano"u8.ToArray(), "acta.pdf"),
            HttpStatusCode.BadRequest, "file", "Only PDF, JPEG or PNG");
        var oversized = new byte[10 * 1024 * 1024 + 1];
        ProcessStory.Pdf("Acta de asamblea escaneada").CopyTo(oversized, 0);
        await ProblemAsync(UploadAsync(resident, process.Id, application.Id, "AssemblyAct", oversized, "acta.pdf"), HttpStatusCode.BadRequest, "file", "At most 10 MB");
        var unchanged = (await resident.GetFromJsonAsync<ApplicationDto>($"/api/registration/processes/{process.Id}/applications/{application.Id}", Ct))!;
        Assert.Empty(unchanged.Documents);
        Assert.Equal(RequiredDocuments, unchanged.MissingDocuments);

        await ExpectAsync<DocumentDto>(UploadAsync(resident, process.Id, application.Id, "AssemblyAct", ProcessStory.Pdf("Acta de asamblea"), "acta.pdf"), HttpStatusCode.Created);
        var withOne = (await resident.GetFromJsonAsync<ApplicationDto>($"/api/registration/processes/{process.Id}/applications/{application.Id}", Ct))!;
        Assert.Equal(["AssemblyAct"], withOne.Documents.Select(d => d.Kind));
        Assert.Equal(["RegistrationForm", "RegistryEntry"], withOne.MissingDocuments);
    }

    [Fact]
    public async Task An_objection_before_its_period_opens_is_refused_and_files_nothing()
    {
        const string jurisdiction = "090106";
        var today = ProcessStory.TodayInLima;
        var tomorrow = today.AddDays(1);
        // Registration and publication today; objections and everything after from tomorrow.
        var calendar = new Dictionary<string, object> { ["registration"] = Window(today, today), ["publication"] = Window(today, today) };
        foreach (var name in new[] { "objections", "accreditation", "training", "concertation", "coordination", "formalization", "submission", "oversight" })
        {
            calendar[name] = Window(tomorrow, tomorrow);
        }
        var admin = system.As(await system.TokenAsync("process-admin", jurisdiction, $"pp-{jurisdiction}"));
        var process = await ExpectAsync<ProcessDetailDto>(admin.PostAsJsonAsync("/api/registration/processes", new
        {
            name = "Presupuesto Participativo 090106", fiscalYear = tomorrow.Year + 1, level = "district", budgetCeiling = 700_000m, calendar, rules = ProcessStory.IloRules(),
        }, Ct), HttpStatusCode.Created);
        Assert.Equal(["Registration", "Publication"], process.OpenSteps);

        var resident = system.As(await system.TokenAsync("resident", jurisdiction, $"vecina-{Guid.NewGuid():N}"));
        var organisation = await OrganisationAsync(resident, jurisdiction, "Asociación de Pescadores Artesanales", "ProfessionalOrBusinessAssociation");
        var application = await ApplyAsync(resident, process.Id, organisation.Id, new Person("Representative", "46123001", "Walter Coayla Ramos", "Male", 1972));
        await MakeEligibleAsync(admin, resident, process.Id, application);
        await ExpectAsync<PublishedListDto>(admin.PostAsync($"/api/registration/processes/{process.Id}/eligible-list", null, Ct), HttpStatusCode.OK);

        var agentId = application.Agents.Single().Id;
        var objector = system.As(await system.TokenAsync("resident", jurisdiction, $"objetor-{Guid.NewGuid():N}"));
        await ProblemAsync(objector.PostAsJsonAsync($"/api/registration/processes/{process.Id}/objections",
            new { agentId, grounds = "No reside en el distrito", evidence = "Constancia de domicilio de otro distrito" }, Ct), HttpStatusCode.Conflict,
            "calendar", $"The objection period is open from {Day(tomorrow)}");

        Assert.Empty((await admin.GetFromJsonAsync<List<ObjectionDto>>($"/api/registration/processes/{process.Id}/objections", Ct))!);
        var entry = (await system.Gateway.GetFromJsonAsync<PublishedListDto>($"/api/registration/processes/{process.Id}/eligible-list", Ct))!.Entries.Single();
        Assert.Equal((agentId, "Eligible", 0), (entry.AgentId, entry.Status, entry.PendingObjections));
    }

    [Fact]
    public async Task A_seat_that_would_break_a_quota_is_refused_with_the_shortfall_and_assigns_nothing()
    {
        const string jurisdiction = "090107";
        var admin = system.As(await system.TokenAsync("process-admin", jurisdiction, $"pp-{jurisdiction}"));
        // Two delegate seats, both reserved for women.
        var rules = new
        {
            agentsPerOrganisation = 2, trainingRequiredToVote = false, ballotFormat = "Approval", allocationRule = "greedy", oversightCommitteeSize = 4,
            delegateSeats = 2, directiveCommitteeSeats = 4, quotas = new[] { new { body = "Delegates", group = "Women", minimumSeats = 2 } },
        };
        var process = await ExpectAsync<ProcessDetailDto>(admin.PostAsJsonAsync("/api/registration/processes", new
        {
            name = "Presupuesto Participativo 090107", fiscalYear = DateTime.UtcNow.Year + 1, level = "district", budgetCeiling = 600_000m,
            calendar = ProcessStory.CompressedCalendar(), rules,
        }, Ct), HttpStatusCode.Created);
        var resident = system.As(await system.TokenAsync("resident", jurisdiction, $"vecino-{Guid.NewGuid():N}"));
        var applications = new List<ApplicationDto>();
        foreach (var (org, person) in new[]
        {
            ("Comité de Regantes El Algarrobal", new Person("Representative", "47123001", "Hugo Cutipa Mendoza", "Male", 1966)),
            ("Club de Madres Santa Rosa", new Person("Representative", "47123002", "Yolanda Machaca Choque", "Female", 1981)),
        })
        {
            var application = await ApplyAsync(resident, process.Id, (await OrganisationAsync(resident, jurisdiction, org, "Other")).Id, person);
            await MakeEligibleAsync(admin, resident, process.Id, application);
            applications.Add(application);
        }
        await ExpectAsync<PublishedListDto>(admin.PostAsync($"/api/registration/processes/{process.Id}/eligible-list", null, Ct), HttpStatusCode.OK);
        await ExpectAsync<AccreditationDto>(admin.PostAsync($"/api/registration/processes/{process.Id}/accreditation", null, Ct), HttpStatusCode.OK);
        var (man, woman) = (applications[0].Agents.Single().Id, applications[1].Agents.Single().Id);
        Task<HttpResponseMessage> Seat(Guid agentId) => admin.PostAsJsonAsync($"/api/registration/processes/{process.Id}/seats", new { body = "Delegates", agentId }, Ct);

        await ProblemAsync(Seat(man), HttpStatusCode.Conflict, "quota", "Women quota of Delegates reserves 2 seats; 0 held, and 1 seat would be left after this one: short by 1");
        Assert.Empty((await system.Gateway.GetFromJsonAsync<List<SeatDto>>($"/api/registration/processes/{process.Id}/seats", Ct))!);
        Assert.Equal(1, (await ExpectAsync<SeatDto>(Seat(woman), HttpStatusCode.Created)).SeatNumber);
        await ProblemAsync(Seat(man), HttpStatusCode.Conflict, "quota", "1 held, and 0 seats would be left after this one: short by 1");
        var seats = (await system.Gateway.GetFromJsonAsync<List<SeatDto>>($"/api/registration/processes/{process.Id}/seats", Ct))!;
        Assert.Equal([(1, woman, "Female")], seats.Select(s => (s.SeatNumber, s.AgentId, s.Gender)));
    }

    // ---------------------------------------------------------------- 2. Concurrency

    [Fact]
    public async Task A_hundred_simultaneous_registrations_of_one_DNI_register_it_exactly_once()
    {
        const string jurisdiction = "090108";
        var story = await ProcessStory.OpenAsync(system, jurisdiction, "Presupuesto Participativo 090108", 2_000_000m, Ct);
        var (process, admin) = (story.Process, story.Admin);
        const string dni = "48123001";
        var founder = system.As(await system.TokenAsync("resident", jurisdiction, $"fundador-{Guid.NewGuid():N}"));
        var organisations = new List<OrganisationDto>();
        foreach (var batch in Enumerable.Range(1, 100).Chunk(10))
        {
            organisations.AddRange(await Task.WhenAll(batch.Select(i => OrganisationAsync(founder, jurisdiction, $"Junta Vecinal Sector {i}", "NeighbourhoodCommittee"))));
        }
        // Ten residents submit for ten organisations each, all at once.
        var submitters = new List<HttpClient>();
        for (var i = 0; i < 10; i++)
        {
            submitters.Add(system.As(await system.TokenAsync("resident", jurisdiction, $"solicitante-{i}-{Guid.NewGuid():N}")));
        }
        using var start = new SemaphoreSlim(0);
        var sends = organisations.Select(async (o, i) =>
        {
            await start.WaitAsync(Ct);
            var response = await submitters[i % 10].PostAsJsonAsync($"/api/registration/processes/{process.Id}/applications", new
            {
                organisationId = o.Id, channel = "Online",
                agents = new[] { new Person("Representative", dni, "Maribel Quispe Condori", "Female", 1983).Body },
            }, Ct);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(Ct));
        }).ToList();
        start.Release(sends.Count);
        var answers = await Task.WhenAll(sends);

        Assert.True(answers.All(a => a.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict),
            "every answer is 201 or 409: " + string.Join(" | ", answers.Where(a => a.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Conflict)).Select(a => $"{(int)a.StatusCode} {a.Body}").Distinct()));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        foreach (var refused in answers.Where(a => a.StatusCode == HttpStatusCode.Conflict))
        {
            var problem = JsonSerializer.Deserialize<ProblemDto>(refused.Body, Web)!;
            Assert.True(problem.Errors?.ContainsKey("dni") == true, $"a refusal names the dni: {refused.Body}");
        }
        var created = JsonSerializer.Deserialize<ApplicationDto>(answers.Single(a => a.StatusCode == HttpStatusCode.Created).Body, Web)!;
        var queue = await QueueAsync(admin, process.Id);
        Assert.Equal([created.Id], queue.Select(a => a.Id));
        Assert.Equal([dni], queue.SelectMany(a => a.Agents).Select(a => a.Dni));
    }

    [Fact]
    public async Task Twenty_simultaneous_seat_assignments_to_a_five_seat_body_fill_it_once_with_seats_one_to_five()
    {
        const string jurisdiction = "090109";
        var story = await ProcessStory.OpenAsync(system, jurisdiction, "Presupuesto Participativo 090109", 2_000_000m, Ct);
        // Women all: the directive committee's quota (3 of its 5 seats) never refuses them, only its size does.
        var agents = await story.AccreditAgentsAsync(Enumerable.Range(1, 20)
            .Select(i => ($"Agente {i:D2} Vilca Mamani", $"49{i:D6}", $"Organización Vecinal {i:D2}")).ToArray());
        using var start = new SemaphoreSlim(0);
        var sends = agents.Select(async a =>
        {
            await start.WaitAsync(Ct);
            var response = await story.Admin.PostAsJsonAsync($"/api/registration/processes/{story.Process.Id}/seats", new { body = "DirectiveCommittee", agentId = a.Id }, Ct);
            return (a.Id, response.StatusCode, Body: await response.Content.ReadAsStringAsync(Ct));
        }).ToList();
        start.Release(sends.Count);
        var answers = await Task.WhenAll(sends);

        var unexpected = answers.Where(a => a.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Conflict)).Select(a => $"{(int)a.StatusCode} {a.Body}").Distinct();
        Assert.True(!unexpected.Any(), "every answer is 201 or 409: " + string.Join(" | ", unexpected));
        var seated = answers.Where(a => a.StatusCode == HttpStatusCode.Created).Select(a => a.Id).ToHashSet();
        Assert.Equal(5, seated.Count);
        foreach (var refused in answers.Where(a => a.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.Contains("All 5 seats of DirectiveCommittee are assigned", refused.Body);
        }
        var seats = (await system.Gateway.GetFromJsonAsync<List<SeatDto>>($"/api/registration/processes/{story.Process.Id}/seats", Ct))!
            .Where(s => s.Body == "DirectiveCommittee").ToList();
        Assert.Equal([1, 2, 3, 4, 5], seats.Select(s => s.SeatNumber).Order());
        Assert.Equal(seated, seats.Select(s => s.AgentId).ToHashSet());
    }

    // ---------------------------------------------------------------- 3. The walk

    [Fact]
    public async Task Preparation_from_registration_to_revocation_as_Ilo_runs_it()
    {
        const string jurisdiction = "090101";
        var story = await ProcessStory.OpenAsync(system, jurisdiction, "Presupuesto Participativo Ilo", 3_500_000m, Ct);
        var (process, admin) = (story.Process, story.Admin);
        var today = Day(ProcessStory.TodayInLima);
        var processPath = $"/api/registration/processes/{process.Id}";
        string Path(string rest) => $"{processPath}/{rest}";

        // An organisation registers online its representative and alternate, the alternate's name misspelt.
        var pampa = system.As(await system.TokenAsync("resident", jurisdiction, "vecina-pampa-inalambrica"));
        var pampaOrg = await OrganisationAsync(pampa, jurisdiction, "Junta Vecinal Pampa Inalámbrica", "NeighbourhoodCommittee");
        var rosa = new Person("Representative", "40112201", "Rosa Quispe Mamani", "Female", 1975);
        var jorge = new Person("Alternate", "40112202", "Jorge Flores Ticona", "Male", 1990);
        var pampaApp = await ApplyAsync(pampa, process.Id, pampaOrg.Id, rosa, jorge with { FullName = "Jorje Flores Ticona" });
        foreach (var kind in RequiredDocuments)
        {
            await ExpectAsync<DocumentDto>(UploadAsync(pampa, process.Id, pampaApp.Id, kind, ProcessStory.Pdf($"{kind} Pampa Inalámbrica"), $"{kind}.pdf"), HttpStatusCode.Created);
        }
        Assert.Empty((await pampa.GetFromJsonAsync<ApplicationDto>(Path($"applications/{pampaApp.Id}"), Ct))!.MissingDocuments);
        var jorgeId = pampaApp.Agents.Single(a => a.Role == "Alternate").Id;
        foreach (var agent in pampaApp.Agents)
        {
            await ConfirmIdentityAsync(admin, process.Id, pampaApp.Id, agent.Id);
        }
        var observation = "El nombre del suplente no coincide con su DNI: debe decir Jorge Flores Ticona";
        var observed = await ExpectAsync<ApplicationDto>(admin.PostAsJsonAsync(Path($"applications/{pampaApp.Id}/review"),
            new { decision = "Observed", reasons = observation, correctBy = today }, Ct), HttpStatusCode.OK);
        Assert.Equal(("Observed", observation, today), (observed.Status, observed.Observations, observed.CorrectBy));
        var mine = Assert.Single((await pampa.GetFromJsonAsync<List<ApplicationDto>>("/api/registration/applications/mine", Ct))!);
        Assert.Equal(("Observed", observation), (mine.Status, mine.Observations));

        // The organisation corrects the name and resubmits; the corrected person's identity is confirmed again.
        var corrected = await ExpectAsync<ApplicationDto>(pampa.PutAsJsonAsync(Path($"applications/{pampaApp.Id}/agents/{jorgeId}"), jorge.Body, Ct), HttpStatusCode.OK);
        var correctedJorge = corrected.Agents.Single(a => a.Id == jorgeId);
        Assert.Equal(("Jorge Flores Ticona", false), (correctedJorge.FullName, correctedJorge.IdentityConfirmed));
        Assert.Equal("Submitted", (await ExpectAsync<ApplicationDto>(pampa.PostAsJsonAsync(Path($"applications/{pampaApp.Id}/resubmission"), new { }, Ct), HttpStatusCode.OK)).Status);
        await ProblemAsync(admin.PostAsJsonAsync(Path($"applications/{pampaApp.Id}/review"), new { decision = "Eligible", reasons = "Conforme" }, Ct),
            HttpStatusCode.Conflict, "decision", "The identity of Jorge Flores Ticona has not been confirmed");
        await ConfirmIdentityAsync(admin, process.Id, pampaApp.Id, jorgeId);
        var eligible = await ExpectAsync<ApplicationDto>(admin.PostAsJsonAsync(Path($"applications/{pampaApp.Id}/review"),
            new { decision = "Eligible", reasons = "Subsanado y conforme" }, Ct), HttpStatusCode.OK);
        Assert.Equal(["Eligible", "Eligible"], eligible.Agents.Select(a => a.Status));

        // A second organisation is rejected with reasons.
        var comedor = system.As(await system.TokenAsync("resident", jurisdiction, "vecina-comedor"));
        var juana = new Person("Representative", "40112203", "Juana Ccama Huanca", "Female", 1962);
        var comedorApp = await ApplyAsync(comedor, process.Id, (await OrganisationAsync(comedor, jurisdiction, "Comedor Popular Virgen de Chapi", "VasoDeLecheOrComedor")).Id, juana);
        const string rejection = "La organización no acredita su inscripción vigente en el registro municipal de organizaciones sociales";
        var rejected = await ExpectAsync<ApplicationDto>(admin.PostAsJsonAsync(Path($"applications/{comedorApp.Id}/review"), new { decision = "Rejected", reasons = rejection }, Ct), HttpStatusCode.OK);
        Assert.Equal(("Rejected", rejection, "Rejected"), (rejected.Status, rejected.Reasons, rejected.Agents.Single().Status));
        Assert.Equal(rejection, Assert.Single((await comedor.GetFromJsonAsync<List<ApplicationDto>>("/api/registration/applications/mine", Ct))!).Reasons);

        // Four more organisations, found eligible.
        var carmen = new Person("Representative", "40112204", "Carmen Apaza Choque", "Female", 1968);
        var lucia = new Person("Alternate", "40112205", "Lucía Vargas Nina", "Female", 2000);
        var diego = new Person("Representative", "40112206", "Diego Cruz Laura", "Male", 2001);
        var kevin = new Person("Alternate", "40112207", "Kevin Huanca Calla", "Male", 1999);
        var mario = new Person("Representative", "40112208", "Mario Condori Ccallo", "Male", 1955);
        var teodoro = new Person("Alternate", "40112209", "Teodoro Mamani Pari", "Male", 1960);
        var luis = new Person("Representative", "40112210", "Luis Ramos Tito", "Male", 1980);
        var organisations = new (string Name, string Type, Person[] Persons)[]
        {
            ("Federación de Mujeres de Ilo", "WomensOrganisation", [carmen, lucia]),
            ("Colectivo Juvenil Ilo Joven", "YouthOrganisation", [diego, kevin]),
            ("Comunidad Campesina de Algarrobal", "IndigenousOrPeasantCommunity", [mario, teodoro]),
            ("Asociación de Comerciantes del Puerto", "ProfessionalOrBusinessAssociation", [luis]),
        };
        var ids = new Dictionary<string, Guid> { [rosa.Dni] = pampaApp.Agents.Single(a => a.Role == "Representative").Id, [jorge.Dni] = jorgeId, [juana.Dni] = comedorApp.Agents.Single().Id };
        foreach (var (name, type, persons) in organisations)
        {
            var resident = system.As(await system.TokenAsync("resident", jurisdiction, $"vecino-{Guid.NewGuid():N}"));
            var application = await ApplyAsync(resident, process.Id, (await OrganisationAsync(resident, jurisdiction, name, type)).Id, persons);
            await MakeEligibleAsync(admin, resident, process.Id, application);
            foreach (var person in persons)
            {
                ids[person.Dni] = application.Agents.Single(a => a.FullName == person.FullName).Id;
            }
        }
        var everyone = new[] { rosa, jorge, juana, carmen, lucia, diego, kevin, mario, teodoro, luis };

        // The list is published; anyone reads names and organisations, and no DNI.
        await ExpectAsync<PublishedListDto>(admin.PostAsync(Path("eligible-list"), null, Ct), HttpStatusCode.OK);
        var publicList = await system.Gateway.GetAsync(Path("eligible-list"), Ct);
        Assert.Equal(HttpStatusCode.OK, publicList.StatusCode);
        var publicBody = await publicList.Content.ReadAsStringAsync(Ct);
        Assert.All(everyone, p => Assert.DoesNotContain(p.Dni, publicBody));
        var list = JsonSerializer.Deserialize<PublishedListDto>(publicBody, Web)!;
        Assert.Equal(everyone.Where(p => p != juana).Select(p => p.FullName).Order(), list.Entries.Select(e => e.FullName).Order());
        Assert.Equal("Junta Vecinal Pampa Inalámbrica", list.Entries.Single(e => e.AgentId == ids[jorge.Dni]).OrganisationName);
        Assert.Equal(("Comunidad Campesina de Algarrobal", "IndigenousOrPeasantCommunity", "Alternate"),
            list.Entries.Where(e => e.AgentId == ids[teodoro.Dni]).Select(e => (e.OrganisationName, e.OrganisationType, e.Role)).Single());
        Assert.All(list.Entries, e => Assert.Equal("Eligible", e.Status));

        // A resident objects to an entry; accreditation waits for the committee, which upholds it.
        var objector = system.As(await system.TokenAsync("resident", jurisdiction, "vecino-objetor"));
        var objection = await ExpectAsync<ObjectionDto>(objector.PostAsJsonAsync(Path("objections"), new
        {
            agentId = ids[teodoro.Dni], grounds = "Es funcionario de la municipalidad, incompatible con ser agente participante", evidence = "Resolución de designación 045-2026-MPI",
        }, Ct), HttpStatusCode.Created);
        Assert.Equal("Pending", objection.Status);
        Assert.Equal(1, (await system.Gateway.GetFromJsonAsync<PublishedListDto>(Path("eligible-list"), Ct))!.Entries.Single(e => e.AgentId == ids[teodoro.Dni]).PendingObjections);
        await ProblemAsync(admin.PostAsync(Path("accreditation"), null, Ct), HttpStatusCode.Conflict, "objections", "1 objection(s) are pending");
        Assert.Equal(0, (await system.Gateway.GetFromJsonAsync<ProcessDto>(processPath, Ct))!.AccreditedAgents);
        const string upheld = "Se verificó la designación como funcionario municipal";
        var resolved = await ExpectAsync<ObjectionDto>(admin.PostAsJsonAsync(Path($"objections/{objection.Id}/resolution"), new { decision = "Upheld", reasons = upheld }, Ct), HttpStatusCode.OK);
        Assert.Equal(("Upheld", upheld), (resolved.Status, resolved.Resolution));
        Assert.Equal(("Excluded", 0), (await system.Gateway.GetFromJsonAsync<PublishedListDto>(Path("eligible-list"), Ct))!.Entries
            .Where(e => e.AgentId == ids[teodoro.Dni]).Select(e => (e.Status, e.PendingObjections)).Single());

        var accredited = new[] { rosa, jorge, carmen, lucia, diego, kevin, mario, luis };
        var accreditation = await ExpectAsync<AccreditationDto>(admin.PostAsync(Path("accreditation"), null, Ct), HttpStatusCode.OK);
        Assert.Equal(accredited.Length, accreditation.Accredited);
        Assert.Equal(accredited.Select(p => ids[p.Dni]).Order(), accreditation.Agents.Order());
        Assert.Equal(accredited.Length, (await system.Gateway.GetFromJsonAsync<ProcessDto>(processPath, Ct))!.AccreditedAgents);
        var finalList = (await system.Gateway.GetFromJsonAsync<PublishedListDto>(Path("eligible-list"), Ct))!;
        Assert.Equal(accredited.Select(p => ids[p.Dni]).Order(), finalList.Entries.Where(e => e.Status == "Accredited").Select(e => e.AgentId).Order());

        // Training today: Rosa checks in online with her own token; an officer checks Carmen in at the venue.
        var session = await ExpectAsync<SessionDto>(admin.PostAsJsonAsync(Path("training-sessions"), new
        {
            date = today, topic = "Presupuesto participativo por resultados y el Programa Multianual de Inversiones", place = "Auditorio municipal de Ilo",
            onlineLink = "https://reuniones.mpi.gob.pe/capacitacion-pp",
        }, Ct), HttpStatusCode.Created);
        var rosaAgent = system.As(await system.TokenAsync("agent", jurisdiction, ids[rosa.Dni].ToString()));
        var self = await ExpectAsync<AttendanceDto>(rosaAgent.PostAsJsonAsync(Path($"training-sessions/{session.Id}/attendance"), new { }, Ct), HttpStatusCode.OK);
        Assert.Equal((ids[rosa.Dni], "Self"), (self.AgentId, self.CheckedInBy));
        var byOfficer = await ExpectAsync<AttendanceDto>(admin.PostAsJsonAsync(Path($"training-sessions/{session.Id}/attendance"), new { agentId = ids[carmen.Dni] }, Ct), HttpStatusCode.OK);
        Assert.Equal((ids[carmen.Dni], "Officer"), (byOfficer.AgentId, byOfficer.CheckedInBy));
        await ProblemAsync(admin.PostAsJsonAsync(Path($"training-sessions/{session.Id}/attendance"), new { agentId = ids[teodoro.Dni] }, Ct),
            HttpStatusCode.Conflict, "agentId", "Only accredited agents attend training");
        Assert.Equal(2, Assert.Single((await system.Gateway.GetFromJsonAsync<List<SessionDto>>(Path("training-sessions"), Ct))!).Attendees);
        var rosaRecord = (await rosaAgent.GetFromJsonAsync<AgentRecordDto>(Path($"agents/{ids[rosa.Dni]}"), Ct))!;
        Assert.Equal(("Accredited", true), (rosaRecord.Status, rosaRecord.Trained));

        // Delegates under Ilo's quotas: six seats, three for women. A fourth man would leave too few.
        Task<HttpResponseMessage> Seat(Person p) => admin.PostAsJsonAsync(Path("seats"), new { body = "Delegates", agentId = ids[p.Dni] }, Ct);
        foreach (var (man, number) in new[] { (jorge, 1), (diego, 2), (kevin, 3) })
        {
            Assert.Equal(number, (await ExpectAsync<SeatDto>(Seat(man), HttpStatusCode.Created)).SeatNumber);
        }
        await ProblemAsync(Seat(mario), HttpStatusCode.Conflict, "quota", "The Women quota of Delegates reserves 3 seats; 0 held, and 2 seats would be left after this one: short by 1");
        foreach (var (woman, number) in new[] { (rosa, 4), (carmen, 5), (lucia, 6) })
        {
            Assert.Equal(number, (await ExpectAsync<SeatDto>(Seat(woman), HttpStatusCode.Created)).SeatNumber);
        }
        var delegates = (await system.Gateway.GetFromJsonAsync<List<SeatDto>>(Path("seats"), Ct))!.Where(s => s.Body == "Delegates").ToList();
        Assert.Equal([1, 2, 3, 4, 5, 6], delegates.Select(s => s.SeatNumber));
        Assert.Equal(3, delegates.Count(s => s.Gender == "Female"));
        Assert.Equal("Federación de Mujeres de Ilo", delegates.Single(s => s.AgentId == ids[carmen.Dni]).OrganisationName);
        Assert.Equal([4], (await rosaAgent.GetFromJsonAsync<AgentRecordDto>(Path($"agents/{ids[rosa.Dni]}"), Ct))!.Seats.Select(s => s.SeatNumber));

        // Statistics count everyone named, and the accredited, by gender, organisation type, territory and age band; JSON and CSV agree.
        var typeOf = new Dictionary<string, string> { [rosa.Dni] = "NeighbourhoodCommittee", [jorge.Dni] = "NeighbourhoodCommittee", [juana.Dni] = "VasoDeLecheOrComedor" };
        foreach (var (_, type, persons) in organisations)
        {
            foreach (var person in persons)
            {
                typeOf[person.Dni] = type;
            }
        }
        string Band(int birthYear) => (process.FiscalYear - birthYear) switch { < 30 => "18-29", < 45 => "30-44", < 60 => "45-59", _ => "60+" };
        var expected = new (string Dimension, Func<Person, string> Value)[]
            {
                ("Gender", p => p.Gender), ("OrganisationType", p => typeOf[p.Dni]), ("Territory", _ => jurisdiction), ("AgeBand", p => Band(p.BirthYear)),
            }
            .SelectMany(d => everyone.GroupBy(d.Value).Select(g => (d.Dimension, Value: g.Key, Registered: g.Count(), Accredited: g.Count(p => accredited.Contains(p)))))
            .Order().ToList();
        var statistics = (await system.Gateway.GetFromJsonAsync<StatisticsDto>(Path("statistics"), Ct))!;
        Assert.All(statistics.Rows, r => Assert.Equal((process.FiscalYear, process.Id), (r.FiscalYear, r.ProcessId)));
        Assert.Equal(expected, statistics.Rows.Select(r => (r.Dimension, r.Value, r.Registered, r.Accredited)).Order());
        var csvResponse = await system.Gateway.GetAsync(Path("statistics?format=csv"), Ct);
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        var csv = (await csvResponse.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("fiscalYear,processId,dimension,value,registered,accredited", csv[0]);
        Assert.Equal(statistics.Rows.Select(r => string.Join(',', r.FiscalYear, r.ProcessId, r.Dimension, r.Value, r.Registered, r.Accredited)), csv[1..]);
        var acrossYears = (await system.Gateway.GetFromJsonAsync<StatisticsDto>($"/api/registration/statistics?jurisdiction={jurisdiction}", Ct))!;
        Assert.Equal(statistics.Rows, acrossYears.Rows);

        // Concertation: Luis proposes; once revoked, deliberation refuses him, and not the others.
        await story.StartConcertationAsync();
        var luisAgent = system.As(await system.TokenAsync("agent", jurisdiction, ids[luis.Dni].ToString()));
        Task<HttpResponseMessage> ProposeAs(HttpClient agent, string title) =>
            agent.PostAsJsonAsync($"/api/deliberation/processes/{process.Id}/proposals", ProcessSteps.Proposal(title, 450_000m), Ct);
        await ProcessSteps.UntilAsync(() => ProposeAs(luisAgent, "Mejoramiento del mercado del puerto"), HttpStatusCode.Created, "deliberation to accept Luis's proposal");
        const string revocation = "Dejó de representar a la asociación según acta de asamblea del 20 de noviembre";
        var revoked = await ExpectAsync<AgentRecordDto>(admin.PostAsJsonAsync(Path($"agents/{ids[luis.Dni]}/revocation"), new { reason = revocation }, Ct), HttpStatusCode.OK);
        Assert.Equal("Revoked", revoked.Status);
        var refusal = await ProcessSteps.UntilAsync(() => ProposeAs(luisAgent, "Ampliación del desembarcadero artesanal"), HttpStatusCode.Forbidden,
            "deliberation to learn of the revocation");
        Assert.Contains("Only agents accredited in this process may propose projects", (await refusal.Content.ReadFromJsonAsync<ProblemDto>(Ct))!.Detail);
        var diegoAgent = system.As(await system.TokenAsync("agent", jurisdiction, ids[diego.Dni].ToString()));
        await ProcessSteps.UntilAsync(() => ProposeAs(diegoAgent, "Losa deportiva en Pampa Inalámbrica"), HttpStatusCode.Created, "deliberation to accept Diego's proposal");
        Assert.Equal("Revoked", (await system.Gateway.GetFromJsonAsync<PublishedListDto>(Path("eligible-list"), Ct))!.Entries.Single(e => e.AgentId == ids[luis.Dni]).Status);

        // The trail holds the review, the objection, accreditation and revocation; it verifies, and names no DNI.
        var oversight = system.As(await system.TokenAsync("oversight", jurisdiction, "comite-vigilancia-ilo"));
        var trailResponse = await oversight.GetAsync($"/api/registration/audit?processId={process.Id}", Ct);
        var trailBody = await trailResponse.Content.ReadAsStringAsync(Ct);
        Assert.True(trailResponse.StatusCode == HttpStatusCode.OK, trailBody);
        Assert.All(everyone, p => Assert.DoesNotContain(p.Dni, trailBody));
        var trail = JsonSerializer.Deserialize<List<AuditEntryDto>>(trailBody, Web)!;
        Assert.Contains(trail, e => e.Action == "application.reviewed" && e.SubjectId == comedorApp.Id.ToString() && e.Reason == rejection);
        Assert.Contains(trail, e => e.Action == "application.reviewed" && e.SubjectId == pampaApp.Id.ToString() && e.Reason == observation);
        Assert.Contains(trail, e => e.Action == "objection.filed" && e.SubjectId == objection.Id.ToString() && e.Role == "resident");
        Assert.Contains(trail, e => e.Action == "objection.resolved" && e.SubjectId == objection.Id.ToString() && e.Reason == upheld);
        Assert.Equal(accredited.Select(p => ids[p.Dni].ToString()).Order(), trail.Where(e => e.Action == "agent.accredited").Select(e => e.SubjectId).Order());
        var revokedEntry = Assert.Single(trail, e => e.Action == "agent.accreditation-revoked");
        Assert.Equal((ids[luis.Dni].ToString(), revocation, $"pp-{jurisdiction}"), (revokedEntry.SubjectId, revokedEntry.Reason, revokedEntry.Subject));
        Assert.Equal(6, trail.Count(e => e.Action == "seat.assigned"));
        Assert.Equal(2, trail.Count(e => e.Action == "training.attended"));
        var verification = (await oversight.GetFromJsonAsync<VerificationDto>($"/api/registration/audit/verification?processId={process.Id}", Ct))!;
        Assert.True(verification.Ok, verification.Reason);
    }

    // ---------------------------------------------------------------- 4. Personal data

    [Fact]
    public async Task An_application_and_its_documents_are_read_only_by_its_submitter_and_the_process_admin()
    {
        const string jurisdiction = "090102";
        var story = await ProcessStory.OpenAsync(system, jurisdiction, "Presupuesto Participativo 090102", 1_000_000m, Ct);
        var (process, admin) = (story.Process, story.Admin);
        var submitter = system.As(await system.TokenAsync("resident", jurisdiction, "vecina-submitter-090102"));
        var neighbour = system.As(await system.TokenAsync("resident", jurisdiction, "vecino-curioso-090102"));
        var organisation = await OrganisationAsync(submitter, jurisdiction, "Asociación de Vivienda Los Ángeles", "NeighbourhoodCommittee");
        var person = new Person("Representative", "41223301", "Norma Cáceres Zapata", "Female", 1977);
        var application = await ApplyAsync(submitter, process.Id, organisation.Id, person);
        var form = ProcessStory.Pdf("Formulario de inscripción firmado por Norma Cáceres Zapata");
        // A PNG named .pdf: its type is what its content is.
        byte[] scan = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. RandomNumberGenerator.GetBytes(2048)];
        var formDoc = await ExpectAsync<DocumentDto>(UploadAsync(submitter, process.Id, application.Id, "RegistrationForm", form, "formulario.pdf"), HttpStatusCode.Created);
        var scanDoc = await ExpectAsync<DocumentDto>(UploadAsync(submitter, process.Id, application.Id, "DniScan", scan, "dni.pdf"), HttpStatusCode.Created);
        Assert.Equal(("application/pdf", form.Length), (formDoc.ContentType, formDoc.Size));
        Assert.Equal(("image/png", scan.Length), (scanDoc.ContentType, scanDoc.Size));

        var applicationPath = $"/api/registration/processes/{process.Id}/applications/{application.Id}";
        var own = (await submitter.GetFromJsonAsync<ApplicationDto>(applicationPath, Ct))!;
        Assert.Equal(new[] { formDoc.Id, scanDoc.Id }.Order(), own.Documents.Select(d => d.Id).Order());
        Assert.Null(own.Agents.Single().Dni);
        var officers = (await admin.GetFromJsonAsync<ApplicationDto>(applicationPath, Ct))!;
        Assert.Equal(person.Dni, officers.Agents.Single().Dni);

        Assert.Equal(HttpStatusCode.Forbidden, (await neighbour.GetAsync(applicationPath, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await neighbour.GetAsync($"{applicationPath}/documents/{formDoc.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await system.Gateway.GetAsync($"{applicationPath}/documents/{formDoc.Id}", Ct)).StatusCode);
        Assert.Empty((await neighbour.GetFromJsonAsync<List<ApplicationDto>>("/api/registration/applications/mine", Ct))!);
        await ProblemAsync(UploadAsync(neighbour, process.Id, application.Id, "AssemblyAct", ProcessStory.Pdf("Acta ajena"), "acta.pdf"), HttpStatusCode.Forbidden, null, null);
        Assert.Equal(2, (await admin.GetFromJsonAsync<ApplicationDto>(applicationPath, Ct))!.Documents.Count);

        foreach (var reader in new[] { submitter, admin })
        {
            foreach (var (document, content) in new[] { (formDoc, form), (scanDoc, scan) })
            {
                var download = await reader.GetAsync($"{applicationPath}/documents/{document.Id}", Ct);
                Assert.Equal(HttpStatusCode.OK, download.StatusCode);
                Assert.Equal(document.ContentType, download.Content.Headers.ContentType?.MediaType);
                var bytes = await download.Content.ReadAsByteArrayAsync(Ct);
                Assert.Equal(content, bytes);
                Assert.Equal(document.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            }
        }
    }

    // ---------------------------------------------------------------- 5. gRPC

    [Fact]
    public async Task RegistrationQuery_over_gRPC_reports_the_calendar_rules_accreditation_and_counts()
    {
        const string jurisdiction = "090103";
        var story = await ProcessStory.OpenAsync(system, jurisdiction, "Presupuesto Participativo 090103", 1_500_000m, Ct);
        var (process, admin) = (story.Process, story.Admin);
        var resident = system.As(await system.TokenAsync("resident", jurisdiction, $"vecino-{Guid.NewGuid():N}"));
        var applications = new List<ApplicationDto>();
        foreach (var (org, person) in new[]
        {
            ("Comité de Agua Potable Miramar", new Person("Representative", "42334401", "Ana Llanos Cornejo", "Female", 1986)),
            ("Asociación de Productores de Olivo", new Person("Representative", "42334402", "Félix Aquino Rojas", "Male", 1958)),
        })
        {
            var application = await ApplyAsync(resident, process.Id, (await OrganisationAsync(resident, jurisdiction, org, "Other")).Id, person);
            await MakeEligibleAsync(admin, resident, process.Id, application);
            applications.Add(application);
        }
        var (ana, felix) = (applications[0].Agents.Single().Id, applications[1].Agents.Single().Id);
        await ExpectAsync<PublishedListDto>(admin.PostAsync($"/api/registration/processes/{process.Id}/eligible-list", null, Ct), HttpStatusCode.OK);
        var objection = await ExpectAsync<ObjectionDto>(resident.PostAsJsonAsync($"/api/registration/processes/{process.Id}/objections",
            new { agentId = felix, grounds = "La asociación no tiene asamblea vigente", evidence = "Partida registral vencida" }, Ct), HttpStatusCode.Created);
        var client = new RegistrationQuery.RegistrationQueryClient(system.GatewayGrpc);
        var headers = await GrpcHeadersAsync(jurisdiction);
        Assert.Equal(1, (await client.GetCountsAsync(new GetCountsRequest { ProcessId = process.Id.ToString() }, headers, cancellationToken: Ct)).PendingObjections);
        await ExpectAsync<ObjectionDto>(admin.PostAsJsonAsync($"/api/registration/processes/{process.Id}/objections/{objection.Id}/resolution",
            new { decision = "Upheld", reasons = "Partida registral vencida" }, Ct), HttpStatusCode.OK);
        await ExpectAsync<AccreditationDto>(admin.PostAsync($"/api/registration/processes/{process.Id}/accreditation", null, Ct), HttpStatusCode.OK);

        var reply = await client.GetProcessAsync(new GetProcessRequest { ProcessId = process.Id.ToString() }, headers, cancellationToken: Ct);
        var today = Day(ProcessStory.TodayInLima);
        Assert.Equal((jurisdiction, "District", "Preparation", 1_500_000m, 1),
            (reply.Jurisdiction, reply.Level, reply.Stage, decimal.Parse(reply.BudgetCeiling, CultureInfo.InvariantCulture), reply.AccreditedAgents));
        Assert.Equal(["registration", "publication", "objections", "accreditation", "training", "concertation", "coordination", "formalization", "submission", "oversight"],
            reply.Calendar.Select(w => w.Name.ToLowerInvariant()));
        Assert.All(reply.Calendar, w => Assert.Equal((today, today), (w.From, w.To)));
        Assert.Equal(["Registration", "Publication", "Objections", "Accreditation", "Training"], reply.OpenSteps);
        var rules = reply.Rules;
        Assert.Equal((2, true, "Approval", "mes-add1", 5, 6, 5), (rules.AgentsPerOrganisation, rules.TrainingRequiredToVote, rules.BallotFormat, rules.AllocationRule,
            rules.OversightCommitteeSize, rules.DelegateSeats, rules.DirectiveCommitteeSeats));
        Assert.Equal([("Delegates", "Women", 3), ("DirectiveCommittee", "Women", 3)], rules.Quotas.Select(q => (q.Body, q.Group, q.MinimumSeats)));

        var accredited = await client.IsAccreditedAsync(new IsAccreditedRequest { ProcessId = process.Id.ToString(), AgentId = ana.ToString() }, headers, cancellationToken: Ct);
        Assert.Equal((true, "Accredited", false), (accredited.Accredited, accredited.Status, accredited.Trained));
        var excluded = await client.IsAccreditedAsync(new IsAccreditedRequest { ProcessId = process.Id.ToString(), AgentId = felix.ToString() }, headers, cancellationToken: Ct);
        Assert.Equal((false, "Excluded"), (excluded.Accredited, excluded.Status));

        var counts = await client.GetCountsAsync(new GetCountsRequest { ProcessId = process.Id.ToString() }, headers, cancellationToken: Ct);
        Assert.Equal((2, 0, 0, 1, 1, 0, 0, 0), (counts.Registered, counts.Eligible, counts.Rejected, counts.Excluded, counts.Accredited, counts.Revoked, counts.PendingObjections, counts.Trained));
        // The same as the published list and the process say over HTTP.
        var entries = (await system.Gateway.GetFromJsonAsync<PublishedListDto>($"/api/registration/processes/{process.Id}/eligible-list", Ct))!.Entries;
        Assert.Equal((counts.Accredited, counts.Excluded), (entries.Count(e => e.Status == "Accredited"), entries.Count(e => e.Status == "Excluded")));
        Assert.Equal(counts.Accredited, (await system.Gateway.GetFromJsonAsync<ProcessDto>($"/api/registration/processes/{process.Id}", Ct))!.AccreditedAgents);
    }

    // ---------------------------------------------------------------- Steps

    private static object Window(DateOnly from, DateOnly to) => new { from = Day(from), to = Day(to) };

    private static object OrganisationBody(string name, string type, string territory) => new
    {
        name, type, registry = new { kind = "Municipal", number = $"RUOS-{territory}-{Guid.NewGuid():N}"[..30], date = "2018-06-04" }, territory, activeMembers = 35,
    };

    private async Task<Metadata> GrpcHeadersAsync(string jurisdiction) =>
        new() { { "authorization", $"Bearer {await system.TokenAsync("resident", jurisdiction)}" } };

    private static async Task<OrganisationDto> OrganisationAsync(HttpClient client, string territory, string name, string type) =>
        await ExpectAsync<OrganisationDto>(client.PostAsJsonAsync("/api/registration/organisations", OrganisationBody(name, type, territory), Ct), HttpStatusCode.Created);

    private static async Task<ApplicationDto> ApplyAsync(HttpClient client, Guid processId, Guid organisationId, params Person[] persons) =>
        await ExpectAsync<ApplicationDto>(client.PostAsJsonAsync($"/api/registration/processes/{processId}/applications",
            new { organisationId, channel = "Online", agents = persons.Select(p => p.Body).ToArray() }, Ct), HttpStatusCode.Created);

    private static async Task<List<ApplicationDto>> QueueAsync(HttpClient admin, Guid processId) =>
        (await admin.GetFromJsonAsync<List<ApplicationDto>>($"/api/registration/processes/{processId}/applications", Ct))!;

    private static async Task ConfirmIdentityAsync(HttpClient admin, Guid processId, Guid applicationId, Guid agentId) =>
        await ExpectAsync<ApplicationDto>(admin.PostAsJsonAsync($"/api/registration/processes/{processId}/applications/{applicationId}/agents/{agentId}/identity",
            new { method = "DeskCard" }, Ct), HttpStatusCode.OK);

    /// <summary>The organisation uploads its three documents; the committee confirms each person at the desk and finds it eligible.</summary>
    private static async Task MakeEligibleAsync(HttpClient admin, HttpClient submitter, Guid processId, ApplicationDto application)
    {
        foreach (var kind in RequiredDocuments)
        {
            await ExpectAsync<DocumentDto>(UploadAsync(submitter, processId, application.Id, kind, ProcessStory.Pdf($"{kind} {application.OrganisationName}"), $"{kind}.pdf"),
                HttpStatusCode.Created);
        }
        foreach (var agent in application.Agents)
        {
            await ConfirmIdentityAsync(admin, processId, application.Id, agent.Id);
        }
        var reviewed = await ExpectAsync<ApplicationDto>(admin.PostAsJsonAsync($"/api/registration/processes/{processId}/applications/{application.Id}/review",
            new { decision = "Eligible", reasons = "Documentos conformes" }, Ct), HttpStatusCode.OK);
        Assert.Equal("Eligible", reviewed.Status);
    }

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, Guid processId, Guid applicationId, string kind, byte[] content, string fileName)
    {
        var form = new MultipartFormDataContent { { new StringContent(kind), "kind" } };
        var file = new ByteArrayContent(content);
        // What the browser would claim for a .pdf name; the service goes by the content.
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", fileName);
        return client.PostAsync($"/api/registration/processes/{processId}/applications/{applicationId}/documents", form, Ct);
    }
}
