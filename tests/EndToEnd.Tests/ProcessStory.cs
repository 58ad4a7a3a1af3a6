using System.Net;
using System.Net.Http.Json;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// A process taken through the gateway as its officials and agents would, as far as a test needs: what a
/// resident then reads without signing in (the API and the portal) is what these steps created.
/// </summary>
public sealed class ProcessStory
{
    private readonly SystemFixture _system;
    private readonly string _jurisdiction;
    private readonly HttpClient _admin;
    private readonly CancellationToken _ct;
    private HttpClient? _agent;

    private ProcessStory(SystemFixture system, string jurisdiction, HttpClient admin, ProcessDto process, CancellationToken ct)
    {
        _system = system;
        _jurisdiction = jurisdiction;
        _admin = admin;
        Process = process;
        _ct = ct;
    }

    public ProcessDto Process { get; }
    /// <summary>The process-admin's client, for the steps a test takes itself.</summary>
    public HttpClient Admin => _admin;
    /// <summary>The client of the agent accredited last.</summary>
    public HttpClient Agent => _agent ?? throw new InvalidOperationException("Accredit an agent first");
    public List<ProposalDto> Proposals { get; } = [];
    /// <summary>Every agent accredited, in the order registered.</summary>
    public List<AgentDto> Agents { get; } = [];
    /// <summary>Every response an official, resident or agent got while building the story, to check what they reveal (all but the committee's review views, which show the DNI).</summary>
    public List<string> PrivateResponses { get; } = [];

    /// <summary>Peru's date: the calendar's days are Lima's (UTC−5 all year).</summary>
    public static DateOnly TodayInLima => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(-5));

    /// <summary>
    /// A calendar whose every window is today, so a test takes a process through all of Preparation and the
    /// stages in one go; windows may share a day, and the steps still run only in their order.
    /// </summary>
    public static object CompressedCalendar()
    {
        var today = TodayInLima.ToString("yyyy-MM-dd");
        var window = new { from = today, to = today };
        return new
        {
            registration = window, publication = window, objections = window, accreditation = window, training = window,
            concertation = window, coordination = window, formalization = window, submission = window, oversight = window,
        };
    }

    /// <summary>Ilo's rules: two agents per organisation, training to vote, half the delegates and three directive seats for women.</summary>
    public static object IloRules() => new
    {
        agentsPerOrganisation = 2, trainingRequiredToVote = true, ballotFormat = "Approval", allocationRule = "mes-add1", oversightCommitteeSize = 5,
        delegateSeats = 6, directiveCommitteeSeats = 5,
        quotas = new object[] { new { body = "Delegates", group = "Women", minimumSeats = 3 }, new { body = "DirectiveCommittee", group = "Women", minimumSeats = 3 } },
    };

    public static object OpenRequest(string name, decimal ceiling, string level = "district", object? calendar = null, object? rules = null, int? fiscalYear = null) =>
        new { name, fiscalYear = fiscalYear ?? DateTime.UtcNow.Year + 1, level, budgetCeiling = ceiling, calendar = calendar ?? CompressedCalendar(), rules = rules ?? IloRules() };

    /// <summary>A document that is a PDF by its content, as the registration desk would scan one.</summary>
    public static byte[] Pdf(string text) => System.Text.Encoding.ASCII.GetBytes($"%PDF-1.4\n% {text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    /// <summary>
    /// Opens the process for next year (or <paramref name="fiscalYear"/>); it starts in Preparation, when agents register. Ilo's rules
    /// unless <paramref name="rules"/> says otherwise.
    /// </summary>
    public static async Task<ProcessStory> OpenAsync(SystemFixture system, string jurisdiction, string name, decimal ceiling, CancellationToken ct, string level = "district",
        object? rules = null, int? fiscalYear = null)
    {
        var admin = system.As(await system.TokenAsync("process-admin", jurisdiction, $"pp-{jurisdiction}"));
        var opened = await admin.PostAsJsonAsync("/api/registration/processes", OpenRequest(name, ceiling, level, rules: rules, fiscalYear: fiscalYear), ct);
        Assert.True(opened.StatusCode == HttpStatusCode.Created, $"open: {(int)opened.StatusCode} {await opened.Content.ReadAsStringAsync(ct)}");
        return new ProcessStory(system, jurisdiction, admin, (await opened.Content.ReadFromJsonAsync<ProcessDto>(ct))!, ct);
    }

    /// <summary>Preparation is over: the workshops of Concertation begin.</summary>
    public async Task StartConcertationAsync()
    {
        await ProcessSteps.AdvanceAsync(_admin, Process.Id, "Concertation", _ct);
    }

    /// <summary>A training session today, attended online by each agent; returns their clients once deliberation knows they may vote.</summary>
    public async Task<List<HttpClient>> TrainAsync(IEnumerable<AgentDto> agents)
    {
        var session = await Created<System.Text.Json.JsonElement>(_admin.PostAsJsonAsync($"/api/registration/processes/{Process.Id}/training-sessions",
            new { date = TodayInLima.ToString("yyyy-MM-dd"), topic = "Presupuesto participativo y voto", place = "Municipalidad" }, _ct));
        var sessionId = session.GetProperty("id").GetGuid();
        var clients = new List<HttpClient>();
        foreach (var agent in agents)
        {
            var client = _system.As(await _system.TokenAsync("agent", _jurisdiction, agent.Id.ToString()));
            var attended = await client.PostAsJsonAsync($"/api/registration/processes/{Process.Id}/training-sessions/{sessionId}/attendance", new { }, _ct);
            Assert.True(attended.StatusCode == HttpStatusCode.OK, $"attendance: {(int)attended.StatusCode} {await attended.Content.ReadAsStringAsync(_ct)}");
            await Eventually.Get(async () =>
            {
                var r = await _admin.GetAsync($"/api/deliberation/processes/{Process.Id}/eligibility?agentId={agent.Id}", _ct);
                var e = r.IsSuccessStatusCode ? await r.Content.ReadFromJsonAsync<EligibilityTests.EligibilityDto>(_ct) : null;
                return e is { MayVote: true } ? e : null;
            }, $"deliberation to learn that {agent.FullName} may vote");
            clients.Add(client);
        }
        return clients;
    }

    /// <summary>One agent through all of Preparation; the one accredited proposes.</summary>
    public async Task<AgentDto> AccreditAgentAsync(string fullName, string dni, string organisation) =>
        (await AccreditAgentsAsync((fullName, dni, organisation))).Single();

    /// <summary>
    /// Preparation as the municipality runs it: each organisation registers online with its documents, the
    /// committee confirms each identity and finds the application eligible, publishes the list, and, with no
    /// objection pending, accredits it. The last agent accredited proposes.
    /// </summary>
    public Task<List<AgentDto>> AccreditAgentsAsync(params (string FullName, string Dni, string Organisation)[] agents) =>
        AccreditAgentsAsync(agents.Select(a => (a.FullName, a.Dni, a.Organisation, "Female")).ToArray());

    /// <summary>As above, each agent with the gender on their DNI card (Female or Male).</summary>
    public async Task<List<AgentDto>> AccreditAgentsAsync(params (string FullName, string Dni, string Organisation, string Gender)[] agents)
    {
        var applied = await PublishEligibleListAsync(agents);
        await Ok(_admin.PostAsync($"/api/registration/processes/{Process.Id}/accreditation", null, _ct));
        _agent = _system.As(await _system.TokenAsync("agent", _jurisdiction, applied[^1].AgentId.ToString()));
        var accredited = applied.Select((a, i) => new AgentDto(a.AgentId, Process.Id, a.Name, agents[i].Organisation, "Accredited")).ToList();
        Agents.AddRange(accredited);
        return accredited;
    }

    /// <summary>Preparation up to the published list: each agent's organisation registers online with its documents, the committee confirms the DNI and finds it eligible.</summary>
    public async Task<List<(Guid ApplicationId, Guid AgentId, string Name)>> PublishEligibleListAsync(params (string FullName, string Dni, string Organisation, string Gender)[] agents)
    {
        var applied = new List<(Guid ApplicationId, Guid AgentId, string Name)>();
        // One resident registers every organisation online, as a neighbourhood's volunteer often does.
        var resident = _system.As(await _system.TokenAsync("resident", _jurisdiction));
        foreach (var (fullName, dni, organisation, gender) in agents)
        {
            var org = await Created<OrganisationDto>(resident.PostAsJsonAsync("/api/registration/organisations", new
            {
                name = organisation, type = "NeighbourhoodCommittee", registry = new { kind = "Municipal", number = $"RUOS-{_jurisdiction}-{Guid.NewGuid():N}"[..24], date = "2019-03-15" },
                territory = _jurisdiction, activeMembers = 40,
            }, _ct));
            var application = await Created<ApplicationDto>(resident.PostAsJsonAsync($"/api/registration/processes/{Process.Id}/applications", new
            {
                organisationId = org.Id, channel = "Online",
                agents = new[] { new { role = "Representative", dni, fullName, gender, birthYear = 1980, phone = "987654321", email = (string?)null } },
            }, _ct));
            foreach (var kind in new[] { "RegistrationForm", "RegistryEntry", "AssemblyAct" })
            {
                await UploadAsync(resident, application.Id, kind, Pdf($"{kind} {organisation}"), "documento.pdf");
            }
            var agentId = application.Agents.Single().Id;
            // The committee's own view shows the DNI it checks the card against: not one of the answers that must not.
            await Ok(_admin.PostAsJsonAsync($"/api/registration/processes/{Process.Id}/applications/{application.Id}/agents/{agentId}/identity", new { method = "DeskCard" }, _ct), recorded: false);
            await Ok(_admin.PostAsJsonAsync($"/api/registration/processes/{Process.Id}/applications/{application.Id}/review", new { decision = "Eligible", reasons = "Documentos conformes" }, _ct), recorded: false);
            applied.Add((application.Id, agentId, fullName));
        }
        await Ok(_admin.PostAsync($"/api/registration/processes/{Process.Id}/eligible-list", null, _ct));
        return applied;
    }

    /// <summary>
    /// Five neighbours of the jurisdiction, each for an organisation of their own (DNIs <paramref name="dniPrefix"/>01 to 05): as many as
    /// Ilo's rules seat on the oversight committee, and the last one proposes.
    /// </summary>
    public static (string FullName, string Dni, string Organisation)[] Neighbours(string dniPrefix) =>
    [
        ("Luz Condori Mamani", $"{dniPrefix}01", "Comité de Vaso de Leche"),
        ("Rosa Huamán Quispe", $"{dniPrefix}02", "Club de Madres Santa Rosa"),
        ("Julia Ticona Apaza", $"{dniPrefix}03", "Junta Vecinal Miramar"),
        ("Elena Flores Choque", $"{dniPrefix}04", "Asociación de Productores Agropecuarios"),
        ("Marta Cutipa Nina", $"{dniPrefix}05", "Federación de Juntas Vecinales"),
    ];

    /// <summary>Accredits the agents and trains them all, so that each may vote the final list and elect the committee.</summary>
    public Task<List<AgentDto>> AccreditAndTrainAsync(params (string FullName, string Dni, string Organisation)[] agents) =>
        AccreditAndTrainAsync(agents.Select(a => (a.FullName, a.Dni, a.Organisation, "Female")).ToArray());

    public async Task<List<AgentDto>> AccreditAndTrainAsync(params (string FullName, string Dni, string Organisation, string Gender)[] agents)
    {
        var accredited = await AccreditAgentsAsync(agents);
        await TrainAsync(accredited);
        return accredited;
    }

    public async Task<HttpResponseMessage> UploadAsync(HttpClient client, Guid applicationId, string kind, byte[] content, string fileName, bool expectCreated = true)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(kind), "kind");
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        var response = await client.PostAsync($"/api/registration/processes/{Process.Id}/applications/{applicationId}/documents", form, _ct);
        if (expectCreated)
        {
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload {kind}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(_ct)}");
        }
        return response;
    }

    private async Task<T> Created<T>(Task<HttpResponseMessage> send) => await Expect<T>(send, HttpStatusCode.Created);

    private async Task Ok(Task<HttpResponseMessage> send, bool recorded = true) => await Expect<object>(send, HttpStatusCode.OK, recorded);

    private async Task<T> Expect<T>(Task<HttpResponseMessage> send, HttpStatusCode expected, bool recorded = true)
    {
        var response = await send;
        var body = await response.Content.ReadAsStringAsync(_ct);
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}: {(int)response.StatusCode} {body}");
        if (recorded)
        {
            PrivateResponses.Add(body);
        }
        return System.Text.Json.JsonSerializer.Deserialize<T>(body, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
    }

    public async Task<ProposalDto> ProposeAsync(string title, decimal cost, IReadOnlyList<string>? districts = null)
    {
        var agent = _agent ?? throw new InvalidOperationException("Accredit an agent first");
        var proposal = await Eventually.Get(async () =>
        {
            var r = await agent.PostAsJsonAsync($"/api/deliberation/processes/{Process.Id}/proposals",
                new { title, description = "Propuesta del taller de diagnóstico", cost, location = "Centro poblado", beneficiaries = 1200, planObjective = "OE2 Servicios básicos", districts }, _ct);
            return r.StatusCode == HttpStatusCode.Created ? await r.Content.ReadFromJsonAsync<ProposalDto>(_ct) : null;
        }, "deliberation to accept a proposal from the accredited agent");
        Proposals.Add(proposal);
        return proposal;
    }

    /// <summary>The technical team assesses each proposal, once it has reached their queue.</summary>
    public async Task AssessAsync(params (ProposalDto Proposal, bool Viable, decimal Score, string Reasons)[] assessments)
    {
        var assessor = _system.As(await _system.TokenAsync("technical-team", _jurisdiction, $"equipo-tecnico-{_jurisdiction}"));
        await Eventually.Get(async () =>
        {
            var queue = await assessor.GetFromJsonAsync<List<AssessmentDto>>($"/api/assessment/queue?processId={Process.Id}", _ct);
            return assessments.All(a => queue!.Any(q => q.ProposalId == a.Proposal.Id)) ? queue : null;
        }, "the proposals in the technical team's queue");
        foreach (var (proposal, viable, score, reasons) in assessments)
        {
            var r = await assessor.PostAsJsonAsync($"/api/assessment/proposals/{proposal.Id}/recommendation", new { viable, score, reasons }, _ct);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        await Eventually.Get(async () =>
        {
            var seen = await _admin.GetFromJsonAsync<List<ProposalDto>>($"/api/deliberation/processes/{Process.Id}/proposals", _ct);
            return seen!.All(p => p.Status != "Submitted") ? seen : null;
        }, "deliberation to record the assessments");
    }

    public async Task<PrioritizedListDto> PrioritizeAsync()
    {
        var r = await _admin.PostAsync($"/api/deliberation/processes/{Process.Id}/prioritized-list", null, _ct);
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return (await r.Content.ReadFromJsonAsync<PrioritizedListDto>(_ct))!;
    }

    /// <summary>In Coordination, the coordination council closes the list (as the agents left it, unless the test decided otherwise): ListCoordinated.</summary>
    public async Task CloseCoordinationAsync()
    {
        var council = _system.As(await _system.TokenAsync("coordination-council", _jurisdiction, $"consejo-coordinacion-{_jurisdiction}"));
        using var closed = await ProcessSteps.UntilAsync(() => council.PostAsync($"/api/coordination/processes/{Process.Id}/closure", null, _ct), HttpStatusCode.OK,
            "coordination to hold the list in Coordination and close it");
    }

    /// <summary>The stages advance to Formalization, the list is formalized with its signed acta, and in Submission it reaches the Ministry.</summary>
    public async Task<SubmissionDto> FormalizeAndDeliverAsync(string actaReference)
    {
        await ProcessSteps.AdvanceAsync(_admin, Process.Id, "Coordination", _ct);
        await CloseCoordinationAsync();
        await ProcessSteps.AdvanceAsync(_admin, Process.Id, "Formalization", _ct);
        await FormalizeAsync(actaReference);
        // The signed package waits for the Submission stage.
        await ProcessSteps.AdvanceAsync(_admin, Process.Id, "Submission", _ct);
        return await Eventually.Get(async () =>
        {
            var r = await _admin.GetAsync($"/api/submissions/processes/{Process.Id}", _ct);
            var s = r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadFromJsonAsync<SubmissionDto>(_ct) : null;
            return s?.Status == "Delivered" ? s : null;
        }, "the submission to be delivered to the Ministry intake");
    }

    /// <summary>
    /// The formalization workshop, in Formalization: every accredited agent (trained where the rules require it)
    /// approves the final list, is recorded present, stands for the oversight committee and votes; the committee is
    /// elected, the acta drawn up and signed by the council, the coordination council and every agent present; both
    /// approve it, which formalizes the list.
    /// </summary>
    public async Task<ActaDto> FormalizeAsync(string actaReference)
    {
        var agents = new List<HttpClient>();
        foreach (var agent in Agents)
        {
            agents.Add(_system.As(await _system.TokenAsync("agent", _jurisdiction, agent.Id.ToString())));
        }
        var votes = $"/api/deliberation/processes/{Process.Id}/final-votes";
        using var opened = await ProcessSteps.UntilAsync(() => _admin.PostAsync(votes, null, _ct), HttpStatusCode.Created, "deliberation to reach Formalization and open the final vote");
        var voteId = (await opened.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(_ct)).GetProperty("id").GetGuid();
        foreach (var agent in agents)
        {
            await Created<object>(agent.PostAsJsonAsync($"{votes}/{voteId}/ballots", new { choice = "Approve" }, _ct));
        }
        await Ok(_admin.PostAsync($"{votes}/{voteId}/closure", null, _ct));

        var path = $"/api/coordination/processes/{Process.Id}";
        foreach (var agent in Agents)
        {
            await ProcessSteps.UntilAsync(() => _admin.PostAsJsonAsync($"{path}/formalization/present", new { agentId = agent.Id }, _ct), HttpStatusCode.Created,
                "coordination to know the accredited agent and the Formalization stage");
            await Created<object>(_admin.PostAsJsonAsync($"{path}/committee/candidates", new { agentId = agent.Id }, _ct));
        }
        var seats = (await _admin.GetFromJsonAsync<CommitteeDto>($"{path}/committee", _ct))!.Seats;
        foreach (var agent in agents)
        {
            await Created<object>(agent.PostAsJsonAsync($"{path}/committee/ballots", new { candidates = Agents.Take(seats).Select(a => a.Id) }, _ct));
        }
        await Ok(_admin.PostAsync($"{path}/committee/closure", null, _ct));

        using var drawn = await ProcessSteps.UntilAsync(() => _admin.PostAsJsonAsync($"{path}/acta", new { number = actaReference }, _ct), HttpStatusCode.Created,
            "coordination to receive the final vote and draw up the acta");
        var hash = (await drawn.Content.ReadFromJsonAsync<ActaDto>(_ct))!.ContentHash;
        var council = _system.As(await _system.TokenAsync("council", _jurisdiction, $"concejo-{_jurisdiction}"));
        var coordination = _system.As(await _system.TokenAsync("coordination-council", _jurisdiction, $"ccl-{_jurisdiction}"));
        foreach (var signer in agents.Prepend(coordination).Prepend(council))
        {
            await Created<object>(signer.PostAsJsonAsync($"{path}/acta/signatures", new { contentHash = hash }, _ct));
        }
        await Ok(coordination.PostAsJsonAsync($"{path}/acta/approvals", new { body = "CoordinationCouncil" }, _ct));
        var acta = await Expect<ActaDto>(council.PostAsJsonAsync($"{path}/acta/approvals", new { body = "Council" }, _ct), HttpStatusCode.OK);
        Assert.True(acta.Formalized, "both approvals formalize the list");
        return acta;
    }
}
