using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

// The gateway's address comes from the AppHost (service discovery environment), or the first argument.
var gateway = args.FirstOrDefault() ?? Environment.GetEnvironmentVariable("services__gateway__http__0")
    ?? throw new InvalidOperationException("No gateway address: pass it as the first argument");
using var http = new HttpClient { BaseAddress = new Uri(gateway), Timeout = TimeSpan.FromSeconds(30) };

const string Jurisdiction = "180301"; // Provincia de Ilo, Moquegua
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
var opened = await admin.PostAsJsonAsync("/api/registration/processes",
    new { name = $"Presupuesto Participativo Ilo {fiscalYear}", fiscalYear, level = "province", budgetCeiling = 2_500_000m });
if (opened.StatusCode == HttpStatusCode.Conflict)
{
    Console.WriteLine($"The demo process for {Jurisdiction} {fiscalYear} is already loaded.");
    return 0;
}
var processId = (await Expect(opened, HttpStatusCode.Created)).GetProperty("id").GetGuid();
Console.WriteLine($"Opened process {processId}");

(string Name, string Dni, string Organisation)[] agents =
[
    ("María Quispe Mamani", "40123456", "Federación de Mujeres de Ilo"),
    ("Jorge Ccama Flores", "40234567", "Junta Vecinal Pampa Inalámbrica"),
    ("Rosa Huanca Apaza", "40345678", "Asociación de Pescadores Artesanales"),
];
var resident = await As("resident", "vecino");
var agentIds = new List<Guid>();
foreach (var (name, dni, organisation) in agents)
{
    var agent = await Expect(await resident.PostAsJsonAsync($"/api/registration/processes/{processId}/agents", new { fullName = name, dni, organisation }), HttpStatusCode.Created);
    var agentId = agent.GetProperty("id").GetGuid();
    await Expect(await admin.PostAsync($"/api/registration/processes/{processId}/agents/{agentId}/accreditation", null), HttpStatusCode.OK);
    agentIds.Add(agentId);
    Console.WriteLine($"Accredited {name} ({organisation})");
}

// The accredited list closes Preparation; the workshops of Concertation take the proposals.
await Expect(await admin.PostAsJsonAsync($"/api/registration/processes/{processId}/stage", new { toStage = "Concertation" }), HttpStatusCode.OK);
Console.WriteLine("Preparation closed with three accredited agents; the process is in Concertation.");

(string Title, decimal Cost, int Beneficiaries, decimal Score)[] proposals =
[
    ("Ampliación de agua potable en Pampa Inalámbrica", 1_200_000m, 4800, 88m),
    ("Pistas y veredas en El Algarrobal", 900_000m, 2100, 74m),
    ("Equipamiento de la posta médica de Miramar", 450_000m, 3500, 81m),
    ("Muelle artesanal y cámara de frío", 700_000m, 900, 65m),
    ("Parque infantil y loza deportiva en Alto Ilo", 300_000m, 1600, 58m),
];
var proposalIds = new List<(Guid Id, decimal Score)>();
for (var i = 0; i < proposals.Length; i++)
{
    var p = proposals[i];
    var proposer = await As("agent", agentIds[i % agentIds.Count].ToString());
    var created = await Retry(() => proposer.PostAsJsonAsync($"/api/deliberation/processes/{processId}/proposals",
        new { title = p.Title, description = "Propuesta del taller de diagnóstico y priorización", cost = p.Cost, location = "Ilo", beneficiaries = p.Beneficiaries, planObjective = "PDC Ilo: OE2 servicios básicos" }),
        HttpStatusCode.Created);
    proposalIds.Add((created.GetProperty("id").GetGuid(), p.Score));
    Console.WriteLine($"Proposal: {p.Title} (S/ {p.Cost:N2})");
}

var assessor = await As("technical-team", "equipo-tecnico-ilo");
foreach (var (id, score) in proposalIds)
{
    await Retry(() => assessor.PostAsJsonAsync($"/api/assessment/proposals/{id}/recommendation",
        new { viable = true, score, reasons = "Viable: competencia provincial, costos de referencia verificados" }), HttpStatusCode.OK);
}
Console.WriteLine("The technical team assessed every proposal.");
Console.WriteLine($"Demo loaded, in Concertation. Next: prioritise the list (POST /api/deliberation/processes/{processId}/prioritized-list as process-admin), then advance the stages; see README.");
return 0;
