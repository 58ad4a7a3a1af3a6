using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

// The gateway's and the national intake's addresses come from the AppHost (service discovery environment), or the arguments.
var gateway = args.FirstOrDefault() ?? Environment.GetEnvironmentVariable("services__gateway__http__0")
    ?? throw new InvalidOperationException("No gateway address: pass it as the first argument");
using var http = new HttpClient { BaseAddress = new Uri(gateway), Timeout = TimeSpan.FromSeconds(30) };

const string Jurisdiction = "180300"; // Provincia de Ilo, Moquegua (ubigeo 18 03 00)
var fiscalYear = DateTime.UtcNow.Year + 1;

async Task<HttpClient> As(string role, string subject)
{
    var response = await http.PostAsJsonAsync("/api/registration/dev-tokens", new { subject, roles = new[] { role }, jurisdiction = Jurisdiction });
    response.EnsureSuccessStatusCode();
    var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
    var client = new HttpClient { BaseAddress = http.BaseAddress, Timeout = http.Timeout };
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    return client;
}

async Task<JsonElement> Expect(HttpResponseMessage response, HttpStatusCode status)
{
    if (response.StatusCode != status)
    {
        throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
    return await response.Content.ReadFromJsonAsync<JsonElement>();
}

// Events cross the broker: retry a step until the receiving service has caught up.
async Task<JsonElement> Retry(Func<Task<HttpResponseMessage>> send, HttpStatusCode status)
{
    for (var attempt = 1; ; attempt++)
    {
        var response = await send();
        if (response.StatusCode == status || attempt == 120)
        {
            return await Expect(response, status);
        }
        await Task.Delay(500);
    }
}

var admin = await As("process-admin", "oficina-pp-ilo");
// The demo runs Preparation in one sitting, so every window of its calendar is today (Lima); a real
// calendar spreads them over weeks, and each step is refused outside its window either way.
var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(-5)).ToString("yyyy-MM-dd");
var window = new { from = today, to = today };
var opened = await admin.PostAsJsonAsync("/api/registration/processes", new
{
    name = $"Presupuesto Participativo Ilo {fiscalYear}", fiscalYear, level = "province", budgetCeiling = 2_500_000m,
    calendar = new
    {
        registration = window, publication = window, objections = window, accreditation = window, training = window,
        concertation = window, coordination = window, formalization = window, submission = window, oversight = window,
    },
    // Ilo's rules: half the delegates and three seats of the directive committee for women; equal shares to allocate.
    rules = new
    {
        agentsPerOrganisation = 2, trainingRequiredToVote = true, ballotFormat = "Approval", allocationRule = "mes-add1", oversightCommitteeSize = 5,
        delegateSeats = 4, directiveCommitteeSeats = 5,
        quotas = new object[] { new { body = "Delegates", group = "Women", minimumSeats = 2 }, new { body = "DirectiveCommittee", group = "Women", minimumSeats = 3 } },
    },
});
if (opened.StatusCode == HttpStatusCode.Conflict)
{
    Console.WriteLine($"The demo process for {Jurisdiction} {fiscalYear} is already loaded.");
    return 0;
}
var processId = (await Expect(opened, HttpStatusCode.Created)).GetProperty("id").GetGuid();
Console.WriteLine($"Opened process {processId}: convocation published with its calendar and rules");

static byte[] Pdf(string title) => System.Text.Encoding.ASCII.GetBytes(
    $"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% {title}\ntrailer << /Root 1 0 R >>\n%%EOF\n");

async Task Upload(HttpClient client, Guid applicationId, string kind, string title)
{
    using var form = new MultipartFormDataContent();
    form.Add(new StringContent(kind), "kind");
    form.Add(new ByteArrayContent(Pdf(title)), "file", $"{kind}.pdf");
    await Expect(await client.PostAsync($"/api/registration/processes/{processId}/applications/{applicationId}/documents", form), HttpStatusCode.Created);
}

// Each organisation registers its representative (and alternate) with the form, its registry entry and the assembly act.
(string Organisation, string Type, string Territory, string Registry, (string Role, string Name, string Dni, string Gender, int BirthYear)[] People, bool AssemblyActLate)[] organisations =
[
    ("Federación de Mujeres de Ilo", "WomensOrganisation", "180301", "SUNARP 11002345",
        [("Representative", "María Quispe Mamani", "40123456", "Female", 1978), ("Alternate", "Lucía Flores Ticona", "40123457", "Female", 1996)], false),
    ("Junta Vecinal Pampa Inalámbrica", "NeighbourhoodCommittee", "180301", "RUOS-ILO 0142",
        [("Representative", "Jorge Ccama Flores", "40234567", "Male", 1969), ("Alternate", "Carmen Apaza Cruz", "40234568", "Female", 1988)], true),
    ("Asociación de Pescadores Artesanales de Ilo", "ProfessionalOrBusinessAssociation", "180301", "SUNARP 11004410",
        [("Representative", "Rosa Huanca Apaza", "40345678", "Female", 1975)], false),
    ("Comedor Popular Virgen de Chapi", "VasoDeLecheOrComedor", "180303", "RUOS-ILO 0311",
        [("Representative", "Pedro Mamani Ccori", "40456789", "Male", 1982), ("Alternate", "Elena Choque Vargas", "40456790", "Female", 2001)], false),
    ("Comunidad Campesina de El Algarrobal", "IndigenousOrPeasantCommunity", "180302", "SUNARP 11000087",
        [("Representative", "Felipe Condori Laura", "40567891", "Male", 1960)], false),
];
var applications = new List<(Guid Id, HttpClient Organisation, JsonElement Body, bool AssemblyActLate)>();
foreach (var (name, type, territory, registry, people, assemblyActLate) in organisations)
{
    var resident = await As("resident", $"vecino-{registry.Replace(' ', '-')}");
    var organisation = await Expect(await resident.PostAsJsonAsync("/api/registration/organisations", new
    {
        name, type, registry = new { kind = registry.StartsWith("SUNARP", StringComparison.Ordinal) ? "Public" : "Municipal", number = registry, date = "2018-06-01" },
        territory, activeMembers = 35 + name.Length,
    }), HttpStatusCode.Created);
    var application = await Expect(await resident.PostAsJsonAsync($"/api/registration/processes/{processId}/applications", new
    {
        organisationId = organisation.GetProperty("id").GetGuid(), channel = "Online",
        agents = people.Select(p => new { role = p.Role, dni = p.Dni, fullName = p.Name, gender = p.Gender, birthYear = p.BirthYear, phone = "952" + p.Dni[2..], email = (string?)null }),
    }), HttpStatusCode.Created);
    var applicationId = application.GetProperty("id").GetGuid();
    await Upload(resident, applicationId, "RegistrationForm", $"Ficha de inscripción {name}");
    await Upload(resident, applicationId, "RegistryEntry", $"Partida registral {registry}");
    if (!assemblyActLate)
    {
        await Upload(resident, applicationId, "AssemblyAct", $"Acta de asamblea {name}");
    }
    applications.Add((applicationId, resident, application, assemblyActLate));
    Console.WriteLine($"Registration: {name} named {string.Join(" and ", people.Select(p => p.Name))}");
}

// The accreditation committee checks each DNI at the desk and reviews each application.
foreach (var (id, organisationClient, body, assemblyActLate) in applications)
{
    foreach (var person in body.GetProperty("agents").EnumerateArray())
    {
        await Expect(await admin.PostAsJsonAsync($"/api/registration/processes/{processId}/applications/{id}/agents/{person.GetProperty("id").GetGuid()}/identity",
            new { method = "DeskCard" }), HttpStatusCode.OK);
    }
    if (assemblyActLate)
    {
        await Expect(await admin.PostAsJsonAsync($"/api/registration/processes/{processId}/applications/{id}/review",
            new { decision = "Observed", reasons = "Falta el acta de asamblea que designa a los representantes", correctBy = today }), HttpStatusCode.OK);
        await Upload(organisationClient, id, "AssemblyAct", "Acta de asamblea (subsanada)");
        await Expect(await organisationClient.PostAsync($"/api/registration/processes/{processId}/applications/{id}/resubmission", null), HttpStatusCode.OK);
        Console.WriteLine("Review: one application observed for a missing assembly act, corrected and resubmitted");
    }
    await Expect(await admin.PostAsJsonAsync($"/api/registration/processes/{processId}/applications/{id}/review",
        new { decision = "Eligible", reasons = "Documentos conformes" }), HttpStatusCode.OK);
}

// The list of eligible agents is published; a resident objects to one entry and the committee hears it.
var list = await Expect(await admin.PostAsync($"/api/registration/processes/{processId}/eligible-list", null), HttpStatusCode.OK);
Console.WriteLine($"Published the list of {list.GetProperty("entries").GetArrayLength()} eligible agents");
var objected = list.GetProperty("entries").EnumerateArray().First(e => e.GetProperty("fullName").GetString() == "Pedro Mamani Ccori");
var objector = await As("resident", "vecina-chapi");
var objection = await Expect(await objector.PostAsJsonAsync($"/api/registration/processes/{processId}/objections", new
{
    agentId = objected.GetProperty("agentId").GetGuid(),
    grounds = "No sería socio activo del comedor", evidence = "Padrón de socios 2025",
}), HttpStatusCode.Created);
await Expect(await admin.PostAsJsonAsync($"/api/registration/processes/{processId}/objections/{objection.GetProperty("id").GetGuid()}/resolution",
    new { decision = "Dismissed", reasons = "El padrón actualizado lo registra como socio desde 2019" }), HttpStatusCode.OK);
Console.WriteLine("Objection against Pedro Mamani Ccori heard and dismissed, with reasons");

var accredited = await Expect(await admin.PostAsync($"/api/registration/processes/{processId}/accreditation", null), HttpStatusCode.OK);
var agentIds = accredited.GetProperty("agents").EnumerateArray().Select(a => a.GetGuid()).ToList();
Console.WriteLine($"Accredited {agentIds.Count} participating agents");

// Training: the office checks agents in at the session; one agent checks in online.
var session = await Expect(await admin.PostAsJsonAsync($"/api/registration/processes/{processId}/training-sessions",
    new { date = today, topic = "Presupuesto participativo, proyectos de inversión y vigilancia", place = "Auditorio de la Municipalidad Provincial de Ilo" }), HttpStatusCode.Created);
var sessionId = session.GetProperty("id").GetGuid();
var selfCheckIn = await As("agent", agentIds[0].ToString());
await Expect(await selfCheckIn.PostAsJsonAsync($"/api/registration/processes/{processId}/training-sessions/{sessionId}/attendance", new { }), HttpStatusCode.OK);
foreach (var agentId in agentIds.Skip(1))
{
    await Expect(await admin.PostAsJsonAsync($"/api/registration/processes/{processId}/training-sessions/{sessionId}/attendance", new { agentId }), HttpStatusCode.OK);
}
Console.WriteLine($"Training attended by {agentIds.Count} agents");

// Delegates under the women's quota: two of four seats; a third man is refused while the quota is short.
var entries = (await Expect(await http.GetAsync($"/api/registration/processes/{processId}/eligible-list"), HttpStatusCode.OK)).GetProperty("entries").EnumerateArray()
    .Where(e => e.GetProperty("role").GetString() == "Representative").ToDictionary(e => e.GetProperty("fullName").GetString()!, e => e.GetProperty("agentId").GetGuid());
foreach (var delegateName in new[] { "Jorge Ccama Flores", "Pedro Mamani Ccori" })
{
    await Expect(await admin.PostAsJsonAsync($"/api/registration/processes/{processId}/seats", new { body = "Delegates", agentId = entries[delegateName] }), HttpStatusCode.Created);
}
var refused = await Expect(await admin.PostAsJsonAsync($"/api/registration/processes/{processId}/seats", new { body = "Delegates", agentId = entries["Felipe Condori Laura"] }), HttpStatusCode.Conflict);
Console.WriteLine($"Seat refused: {refused.GetProperty("detail").GetString()}");
foreach (var delegateName in new[] { "María Quispe Mamani", "Rosa Huanca Apaza" })
{
    await Expect(await admin.PostAsJsonAsync($"/api/registration/processes/{processId}/seats", new { body = "Delegates", agentId = entries[delegateName] }), HttpStatusCode.Created);
}
Console.WriteLine("Delegates: two women and two men, as Ilo's quota asks");

// Preparation closes with the accredited list; the workshops of Concertation take the proposals.
await Expect(await admin.PostAsJsonAsync($"/api/registration/processes/{processId}/stage", new { toStage = "Concertation" }), HttpStatusCode.OK);
Console.WriteLine($"Preparation closed with {agentIds.Count} accredited agents; the process is in Concertation.");

// Concertation's workshops: the diagnosis in the municipal auditorium, the prioritisation also online, the
// formalization ahead in its own stage. The officer checks the agents in from the sign-in sheet.
var workshopsPath = $"/api/deliberation/processes/{processId}/workshops";
var diagnosis = await Retry(() => admin.PostAsJsonAsync(workshopsPath, new
{
    kind = "Diagnosis", date = today, startTime = "09:00", place = "Auditorio de la Municipalidad Provincial de Ilo",
    agenda = "1. Brechas de agua, salud y vías en la provincia 2. Objetivos del Plan de Desarrollo Concertado",
}), HttpStatusCode.Created);
var diagnosisId = diagnosis.GetProperty("id").GetGuid();
var prioritisation = await Expect(await admin.PostAsJsonAsync(workshopsPath, new
{
    kind = "Prioritisation", date = today, startTime = "15:00", place = "Coliseo Municipal de Ilo", onlineLink = "https://reuniones.mpi.gob.pe/priorizacion",
    agenda = "1. Resultados de la evaluación técnica 2. Votación de los proyectos viables",
}), HttpStatusCode.Created);
await Expect(await admin.PostAsJsonAsync(workshopsPath, new
{
    kind = "Formalization", date = today, startTime = "10:00", place = "Auditorio de la Municipalidad Provincial de Ilo",
    agenda = "1. Votación de la lista final 2. Acta de Acuerdos y Compromisos 3. Elección del Comité de Vigilancia",
}), HttpStatusCode.Created);
foreach (var agentId in agentIds)
{
    await Retry(() => admin.PostAsJsonAsync($"{workshopsPath}/{diagnosisId}/attendance", new { agentId }), HttpStatusCode.Created);
}
await Expect(await admin.PostAsJsonAsync($"{workshopsPath}/{diagnosisId}/minutes", new
{
    text = $"Asistieron {agentIds.Count} agentes. Se priorizaron las brechas de agua potable en Pampa Inalámbrica y de atención primaria en Miramar.",
}), HttpStatusCode.Created);
Console.WriteLine($"Workshops: diagnosis held with {agentIds.Count} agents and its minutes; prioritisation (also online) and formalization scheduled");

(string Title, decimal Cost, int Beneficiaries, decimal Score)[] proposals =
[
    ("Ampliación de agua potable en Pampa Inalámbrica", 1_200_000m, 4800, 88m),
    ("Pistas y veredas en El Algarrobal", 900_000m, 2100, 74m),
    ("Equipamiento de la posta médica de Miramar", 450_000m, 3500, 81m),
    ("Muelle artesanal y cámara de frío", 700_000m, 900, 65m),
    ("Parque infantil y loza deportiva en Alto Ilo", 300_000m, 1600, 58m),
];
var proposalIds = new List<(Guid Id, decimal Score)>();
var proposers = new List<HttpClient>();
for (var i = 0; i < proposals.Length; i++)
{
    var p = proposals[i];
    var proposer = await As("agent", agentIds[i % agentIds.Count].ToString());
    var created = await Retry(() => proposer.PostAsJsonAsync($"/api/deliberation/processes/{processId}/proposals",
        new { title = p.Title, description = "Propuesta del taller de diagnóstico y priorización", cost = p.Cost, location = "Ilo", beneficiaries = p.Beneficiaries, planObjective = "PDC Ilo: OE2 servicios básicos" }),
        HttpStatusCode.Created);
    proposalIds.Add((created.GetProperty("id").GetGuid(), p.Score));
    proposers.Add(proposer);
    Console.WriteLine($"Proposal: {p.Title} (S/ {p.Cost:N2})");
}

// The technical team: its lead assigns each proposal to a member, who answers the checklist on the whole proposal
// and recommends by it. The water project is viable at a lower reference cost; the pier is observed, back to its
// proposer, who revises it, and the new version is assigned and assessed again; the rest are viable as proposed.
var lead = await As("technical-team-lead", "jefe-equipo-tecnico-ilo");
var assessor = await As("technical-team", "equipo-tecnico-ilo");
async Task Assign(Guid id) =>
    await Retry(() => lead.PostAsJsonAsync($"/api/assessment/proposals/{id}/assignment", new { assignee = "equipo-tecnico-ilo" }), HttpStatusCode.OK);
// The member saves a first pass, then the whole checklist; an adjusted cost goes with its justification.
async Task Checklist(Guid id, string preInvestment, decimal? adjustedCost = null)
{
    var path = $"/api/assessment/proposals/{id}/checklist";
    await Retry(() => assessor.PutAsJsonAsync(path, new { preInvestment }), HttpStatusCode.OK);
    await Retry(() => assessor.PutAsJsonAsync(path, new
    {
        preInvestment, costFinding = adjustedCost is null ? "AsProposed" : "Adjusted", adjustedCost,
        costJustification = adjustedCost is null ? null : "Las conexiones domiciliarias se costean a los precios de referencia de la EPS Ilo",
        alignedWithPlan = true, alignmentNote = "PDC Ilo: OE2 servicios básicos", competence = "Province", duplication = "None",
    }), HttpStatusCode.OK);
}
async Task Assess(Guid id, object verdict) =>
    await Retry(() => assessor.PostAsJsonAsync($"/api/assessment/proposals/{id}/recommendation", verdict), HttpStatusCode.OK);
foreach (var (id, _) in proposalIds)
{
    await Assign(id);
}
await Checklist(proposalIds[0].Id, "ProfileApproved", adjustedCost: 1_150_000m);
await Assess(proposalIds[0].Id, new
{
    recommendation = "ViableAtAdjustedCost", score = proposalIds[0].Score,
    reasons = "Viable; el costo de las conexiones domiciliarias se ajusta a los precios de referencia de la EPS",
});
foreach (var i in new[] { 1, 2, 4 })
{
    await Checklist(proposalIds[i].Id, "ProfileInPreparation");
    await Assess(proposalIds[i].Id, new { viable = true, score = proposalIds[i].Score, reasons = "Viable: competencia provincial, costos de referencia verificados" });
}
await Checklist(proposalIds[3].Id, "NoStudy");
await Assess(proposalIds[3].Id, new
{
    recommendation = "Observed", score = 0m, reasons = "La demanda de la cámara de frío no está sustentada",
    observations = "Falta el estudio de demanda de la cámara de frío y la opinión de la Dirección Regional de Producción",
});
var pierPath = $"/api/deliberation/processes/{processId}/proposals/{proposalIds[3].Id}";
// The proposer sees the observation once deliberation has it, and answers with a second version.
await Retry(() => proposers[3].PatchAsJsonAsync(pierPath, new
{
    cost = 650_000m,
    description = "Muelle artesanal con cámara de frío de 20 t, dimensionada por el estudio de demanda de la asociación de pescadores; opinión favorable de la DIREPRO adjunta",
}), HttpStatusCode.OK);
// Version 2 reaches the queue unassigned: the lead assigns it again, and the member reassesses it.
await Assign(proposalIds[3].Id);
await Checklist(proposalIds[3].Id, "ProfileInPreparation");
await Retry(() => assessor.PostAsJsonAsync($"/api/assessment/proposals/{proposalIds[3].Id}/recommendation",
    new { viable = true, score = 70m, reasons = "Subsanada la observación: estudio de demanda y opinión sectorial presentados", version = 2 }), HttpStatusCode.OK);
Console.WriteLine("The technical team assessed every proposal: one viable at an adjusted cost (S/ 1,150,000.00), one observed, revised (version 2, S/ 650,000.00) and then viable.");

// The agents vote, secretly, on every viable proposal: approval ballots of at most S/ 2,500,000 each. Five
// vote online; three vote on paper at the prioritisation workshop, and the officer imports that table's ballots.
var ids = proposalIds.Select(p => p.Id).ToArray();
var round = await Retry(() => admin.PostAsJsonAsync($"/api/deliberation/processes/{processId}/rounds", new { budgetLimit = 2_500_000m }), HttpStatusCode.Created);
var roundId = round.GetProperty("id").GetGuid();
var roundPath = $"/api/deliberation/processes/{processId}/rounds/{roundId}";
// Each agent's choice, by the proposals' order above: water, roads, clinic, pier, park.
int[][] choices = [[0, 2], [0, 1], [2, 3], [0, 2, 4], [1, 4], [0, 3], [2, 4], [0, 2]];
const int Online = 5;
var receipts = new List<string>();
for (var i = 0; i < Online; i++)
{
    var voter = await As("agent", agentIds[i].ToString());
    // Deliberation learns of each training attendance from registration's events: retry until it may vote.
    var cast = await Retry(() => voter.PostAsJsonAsync($"{roundPath}/ballots", new { projects = choices[i].Select(c => ids[c]) }), HttpStatusCode.Created);
    receipts.Add(cast.GetProperty("receipt").GetString()!);
}
var paper = "projects\n" + string.Join("\n", choices.Skip(Online).Select(c => string.Join(';', c.Select(x => ids[x]))));
using (var form = new MultipartFormDataContent())
{
    form.Add(new StringContent("Taller de priorización, mesa 1"), "batch");
    var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(paper + "\n"));
    file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
    form.Add(file, "file", "mesa-1.csv");
    var batch = await Expect(await admin.PostAsync($"{roundPath}/paper-batches", form), HttpStatusCode.Created);
    Console.WriteLine($"{receipts.Count} secret ballots cast online (receipts such as {receipts[0]}), {batch.GetProperty("ballots").GetInt32()} paper ballots imported in batch «Taller de priorización, mesa 1»");
}
var result = await Expect(await admin.PostAsync($"{roundPath}/closure", null), HttpStatusCode.OK);
foreach (var project in result.GetProperty("projects").EnumerateArray())
{
    Console.WriteLine($"  {project.GetProperty("verdict").GetString(),-12} {project.GetProperty("title").GetString()} ({project.GetProperty("supporters").GetInt32()} votes)");
}
Console.WriteLine($"Vote closed and counted by equal shares (mes-add1); open data: {roundPath}/election.pb, ballots.csv, result.csv");

// The vote's result goes to coordination as the prioritised list; at the formalization workshop the agents
// approve the coordinated list as the final one.
var prioritised = await Expect(await admin.PostAsync($"/api/deliberation/processes/{processId}/prioritized-list", null), HttpStatusCode.Created);
Console.WriteLine($"Prioritised list sent to coordination: {prioritised.GetProperty("projects").GetArrayLength()} projects, S/ {prioritised.GetProperty("totalCost").GetDecimal():N2}");
// Coordination: the council agrees with the residents of Pampa Inalámbrica that they contribute 30% of the water
// works in labour (faenas), as Ilo's communities do; the municipality pays the rest from its ceiling. It then closes
// coordination, and the list goes to the formalization workshop with that agreement published beside it.
await Expect(await admin.PostAsJsonAsync($"/api/registration/processes/{processId}/stage", new { toStage = "Coordination" }), HttpStatusCode.OK);
var coordinationCouncil = await As("coordination-council", "consejo-coordinacion-ilo");
var coordinationPath = $"/api/coordination/processes/{processId}";
var water = proposalIds[0].Id;
await Retry(() => coordinationCouncil.PutAsJsonAsync($"{coordinationPath}/items/{water}/cofinancing", new
{
    reason = "Acta de compromiso con la junta vecinal de Pampa Inalámbrica",
    shares = new object[]
    {
        new { partyKind = "Government", party = "Municipalidad Provincial de Ilo", processId, contribution = "Money", amount = 805_000m, commitment = "Expediente técnico, materiales y dirección de obra" },
        new { partyKind = "Community", party = "Junta vecinal de Pampa Inalámbrica", contribution = "Labour", amount = 345_000m, commitment = "Faenas comunales de zanjeo y tendido: 30 % de la obra" },
    },
}), HttpStatusCode.OK);
var coordinated = await Expect(await coordinationCouncil.PostAsync($"{coordinationPath}/closure", null), HttpStatusCode.OK);
Console.WriteLine($"Coordinated: the water project co-financed (municipality S/ 805,000.00, community S/ 345,000.00 in labour); Ilo commits " +
    $"S/ {coordinated.GetProperty("commitment").GetDecimal():N2} of its S/ {coordinated.GetProperty("budgetCeiling").GetDecimal():N2} ceiling");
await Expect(await admin.PostAsJsonAsync($"/api/registration/processes/{processId}/stage", new { toStage = "Formalization" }), HttpStatusCode.OK);
var finalVote = await Retry(() => admin.PostAsync($"/api/deliberation/processes/{processId}/final-votes", null), HttpStatusCode.Created);
var finalVotePath = $"/api/deliberation/processes/{processId}/final-votes/{finalVote.GetProperty("id").GetGuid()}";
string[] finalChoices = ["Approve", "Approve", "Approve", "Approve", "Approve", "Reject", "Approve", "Abstain"];
for (var i = 0; i < agentIds.Count; i++)
{
    var voter = await As("agent", agentIds[i].ToString());
    await Expect(await voter.PostAsJsonAsync($"{finalVotePath}/ballots", new { choice = finalChoices[i] }), HttpStatusCode.Created);
}
var final = await Expect(await admin.PostAsync($"{finalVotePath}/closure", null), HttpStatusCode.OK);
var tally = final.GetProperty("tally");
Console.WriteLine($"Final list voted at the formalization workshop: {tally.GetProperty("approve").GetInt32()} approve, {tally.GetProperty("reject").GetInt32()} reject, " +
    $"{tally.GetProperty("abstain").GetInt32()} abstain; approved: {final.GetProperty("approved").GetBoolean()}");

// At the same workshop: the officer records who is present, the agents elect the oversight committee (each approves
// up to five candidates), the acta is drawn up once coordination has the final vote, the authorities and every agent
// present sign it over its hash, and the coordination council and the council approve it, which formalizes the list.
foreach (var agentId in agentIds)
{
    await Retry(() => admin.PostAsJsonAsync($"{coordinationPath}/formalization/present", new { agentId }), HttpStatusCode.Created);
}
var candidates = agentIds.Take(6).ToList();
foreach (var agentId in candidates)
{
    await Expect(await admin.PostAsJsonAsync($"{coordinationPath}/committee/candidates", new { agentId }), HttpStatusCode.Created);
}
for (var i = 0; i < agentIds.Count; i++)
{
    var voter = await As("agent", agentIds[i].ToString());
    var approved = Enumerable.Range(0, 3).Select(k => candidates[(i + k) % candidates.Count]);
    await Expect(await voter.PostAsJsonAsync($"{coordinationPath}/committee/ballots", new { candidates = approved }), HttpStatusCode.Created);
}
var committee = await Expect(await admin.PostAsync($"{coordinationPath}/committee/closure", null), HttpStatusCode.OK);
var members = committee.GetProperty("members").EnumerateArray().ToList();
Console.WriteLine($"Oversight committee elected by {committee.GetProperty("ballots").GetInt32()} agents present: " +
    string.Join(", ", members.Select(m => $"{m.GetProperty("fullName").GetString()} ({m.GetProperty("votes").GetInt32()} votes)")));

var actaNumber = $"ACTA-PP-ILO-{fiscalYear}-001";
var acta = await Retry(() => admin.PostAsJsonAsync($"{coordinationPath}/acta", new { number = actaNumber }), HttpStatusCode.Created);
var contentHash = acta.GetProperty("contentHash").GetString();
var signers = new List<HttpClient> { await As("council", "concejo-ilo"), await As("coordination-council", "ccl-ilo"), admin };
foreach (var agentId in agentIds)
{
    signers.Add(await As("agent", agentId.ToString()));
}
foreach (var signer in signers)
{
    await Expect(await signer.PostAsJsonAsync($"{coordinationPath}/acta/signatures", new { contentHash }), HttpStatusCode.Created);
}
await Expect(await signers[1].PostAsJsonAsync($"{coordinationPath}/acta/approvals", new { body = "CoordinationCouncil" }), HttpStatusCode.OK);
var formalized = await Expect(await signers[0].PostAsJsonAsync($"{coordinationPath}/acta/approvals", new { body = "Council" }), HttpStatusCode.OK);
Console.WriteLine($"{actaNumber} drawn up (SHA-256 {contentHash}), signed by {formalized.GetProperty("signatures").GetArrayLength()} " +
    $"(3 authorities, {agentIds.Count} agents), approved by the coordination council and the council: the list is formalized");

// Submission: the signed package goes to the Ministry's national intake, another deployment with its own credentials.
await Expect(await admin.PostAsJsonAsync($"/api/registration/processes/{processId}/stage", new { toStage = "Submission" }), HttpStatusCode.OK);
// ListFormalized reaches ministry-submission through the broker: the package exists once it has been stored.
var submission = await Retry(() => http.GetAsync($"/api/submissions/processes/{processId}"), HttpStatusCode.OK);
for (var attempt = 0; attempt < 120; attempt++)
{
    submission = await Expect(await http.GetAsync($"/api/submissions/processes/{processId}"), HttpStatusCode.OK);
    if (submission.GetProperty("status").GetString() != "Pending")
    {
        break;
    }
    await Task.Delay(TimeSpan.FromSeconds(1));
}
if (submission.GetProperty("status").GetString() != "Delivered")
{
    throw new InvalidOperationException($"The submission was not delivered: {submission}");
}
var submissionId = submission.GetProperty("submissionId").GetString();
Console.WriteLine($"Submitted to the Ministry: SHA-256 {submission.GetProperty("contentHash").GetString()}, receipt {submission.GetProperty("intakeReceipt").GetString()}");

// At the Ministry, an officer of the national intake (its own token, from its own client credentials) decides per project.
var intakeAddress = args.ElementAtOrDefault(1) ?? Environment.GetEnvironmentVariable("services__national-intake__http__0")
    ?? throw new InvalidOperationException("No national intake address: pass it as the second argument");
using var intake = new HttpClient { BaseAddress = new Uri(intakeAddress), Timeout = http.Timeout };
var officerToken = await Expect(await intake.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
{
    ["grant_type"] = "client_credentials", ["client_id"] = "mef-officer",
    ["client_secret"] = Environment.GetEnvironmentVariable("Demo__MinistryOfficerSecret") ?? "demo-ministry-secret",
})), HttpStatusCode.OK);
intake.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", officerToken.GetProperty("access_token").GetString());
var received = await Expect(await intake.GetAsync($"/api/intake/submissions/{submissionId}"), HttpStatusCode.OK);
var receivedProjects = received.GetProperty("projects").EnumerateArray().ToList();
for (var i = 0; i < receivedProjects.Count; i++)
{
    var p = receivedProjects[i];
    // The last project lacks the approved technical file the budget needs this year; the others enter the budget at what Ilo pays.
    object decision = i < receivedProjects.Count - 1
        ? new { proposalId = p.GetProperty("proposalId").GetString(), decision = "Approved", approvedAmount = p.GetProperty("ownShare").GetDecimal() }
        : new { proposalId = p.GetProperty("proposalId").GetString(), decision = "Rejected", reason = "Sin expediente técnico aprobado en Invierte.pe a la fecha de corte" };
    await Expect(await intake.PostAsJsonAsync($"/api/intake/submissions/{submissionId}/decisions", decision), HttpStatusCode.Created);
}
for (var attempt = 0; attempt < 120; attempt++)
{
    submission = await Expect(await http.GetAsync($"/api/submissions/processes/{processId}"), HttpStatusCode.OK);
    if (submission.GetProperty("projects").EnumerateArray().All(p => p.TryGetProperty("decision", out var d) && d.ValueKind == JsonValueKind.Object))
    {
        break;
    }
    await Task.Delay(TimeSpan.FromSeconds(1));
}
foreach (var p in submission.GetProperty("projects").EnumerateArray())
{
    var d = p.GetProperty("decision");
    Console.WriteLine(d.ValueKind != JsonValueKind.Object ? $"  {p.GetProperty("title").GetString()}: no decision received yet"
        : d.GetProperty("decision").GetString() == "Approved" ? $"  {p.GetProperty("title").GetString()}: approved, S/ {d.GetProperty("approvedAmount").GetDecimal():N2}"
        : $"  {p.GetProperty("title").GetString()}: rejected — {d.GetProperty("reason").GetString()}");
}
var aggregate = await Expect(await intake.GetAsync($"/api/intake/aggregate?fiscalYear={fiscalYear}"), HttpStatusCode.OK);
Console.WriteLine($"The national aggregate for {fiscalYear}: S/ {aggregate.GetProperty("totalApproved").GetDecimal():N2} approved " +
    $"({new Uri(intake.BaseAddress!, $"/agregado?anio={fiscalYear}")}).");

// Oversight: the committee follows the agreements into the opening budget (PIA) and the works. The PB office records the
// budget as the council approved it (the playground left out, as the Ministry found it unready), the water works' milestones
// with what is committed and spent, and the labour the neighbours gave; a member of the committee asks about the health
// post, and the office answers.
await Expect(await admin.PostAsJsonAsync($"/api/registration/processes/{processId}/stage", new { toStage = "Oversight" }), HttpStatusCode.OK);
var followed = await Retry(() => http.GetAsync($"/api/oversight/processes/{processId}"), HttpStatusCode.OK);
for (var attempt = 0; attempt < 120 && followed.GetProperty("projects").GetArrayLength() == 0; attempt++)
{
    await Task.Delay(TimeSpan.FromSeconds(1));
    followed = await Expect(await http.GetAsync($"/api/oversight/processes/{processId}"), HttpStatusCode.OK);
}
var agreed = followed.GetProperty("projects").EnumerateArray().ToList();
if (agreed.Count < 3)
{
    throw new InvalidOperationException($"Oversight did not receive the formalized list: {followed}");
}
var waterWorks = agreed[0].GetProperty("proposalId").GetGuid();
var healthPost = agreed[1].GetProperty("proposalId").GetGuid();
var playground = agreed[2].GetProperty("proposalId").GetGuid();
await Expect(await admin.PostAsJsonAsync($"/api/oversight/projects/{waterWorks}/budget", new { included = true, budgetCode = "2567801", amount = 805_000m }), HttpStatusCode.OK);
await Expect(await admin.PostAsJsonAsync($"/api/oversight/projects/{healthPost}/budget", new { included = true, budgetCode = "2567802", amount = 450_000m }), HttpStatusCode.OK);
await Expect(await admin.PostAsJsonAsync($"/api/oversight/projects/{playground}/budget", new
{
    included = false, reason = $"Sin expediente técnico aprobado, como observó el MEF; se reformula para el PIA {fiscalYear + 1}",
}), HttpStatusCode.OK);
foreach (var m in new object[]
{
    new { kind = "TechnicalFile", date = today, progress = 0, committed = 0m, spent = 0m, note = "Expediente técnico aprobado por Resolución de Gerencia 112" },
    new { kind = "Tender", date = today, progress = 0, committed = 640_000m, spent = 0m, note = "Licitación pública 004, buena pro a Consorcio Pampa" },
    new { kind = "WorksStart", date = today, progress = 5, committed = 640_000m, spent = 96_000m, note = "Acta de entrega de terreno e inicio de obra" },
    new { kind = "Progress", date = today, progress = 35, committed = 805_000m, spent = 281_750m, note = "Valorización 02: redes matrices tendidas en 1.2 km" },
})
{
    await Expect(await admin.PostAsJsonAsync($"/api/oversight/projects/{waterWorks}/milestones", m), HttpStatusCode.OK);
}
await Expect(await admin.PostAsJsonAsync($"/api/oversight/projects/{waterWorks}/contributions", new
{
    partyKind = "Community", party = "Junta vecinal de Pampa Inalámbrica", contribution = "Labour", amount = 120_750m, date = today, note = "Faenas de zanjeo: 1,610 jornales",
}), HttpStatusCode.OK);
var memberId = members[0].GetProperty("agentId").GetGuid();
var watcher = await As("oversight", memberId.ToString());
var asked = await Expect(await watcher.PostAsJsonAsync($"/api/oversight/processes/{processId}/findings", new
{
    kind = "InformationRequest", proposalId = healthPost, text = "¿En qué fecha se convoca la licitación del puesto de salud de Miramar?",
}), HttpStatusCode.Created);
await Expect(await admin.PostAsJsonAsync($"/api/oversight/findings/{asked.GetProperty("id").GetGuid()}/answers", new
{
    text = "El expediente técnico se aprueba este mes; la convocatoria está prevista para el segundo trimestre.",
}), HttpStatusCode.OK);
var progress = await Expect(await http.GetAsync($"/api/oversight/progress?jurisdiction={Jurisdiction}&fiscalYear={fiscalYear}"), HttpStatusCode.OK);
var year = progress.GetProperty("years")[0];
Console.WriteLine($"Oversight of {fiscalYear}: agreed S/ {year.GetProperty("agreed").GetDecimal():N2}, in the PIA S/ {year.GetProperty("budgeted").GetDecimal():N2}, " +
    $"spent S/ {year.GetProperty("spent").GetDecimal():N2}; the water works at 35%, the playground left out with its reason; " +
    $"{members[0].GetProperty("fullName").GetString()} of the committee asked about the health post and the office answered.");
Console.WriteLine($"Demo loaded, in Oversight: {new Uri(http.BaseAddress!, $"/api/oversight/progress?jurisdiction={Jurisdiction}")}");
return 0;
