using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace PBServices.Voting.Bench;

public sealed record ProcessDto(Guid Id, string Jurisdiction, string Stage);
public sealed record ProposalDto(Guid Id, string Title, decimal Cost, string Status);
public sealed record AssessmentDto(Guid ProposalId);
public sealed record RoundProjectDto(Guid ProposalId, string Title, decimal Cost);
public sealed record RoundDto(Guid Id, Guid ProcessId, string Format, List<RoundProjectDto> Projects, int Voters);
public sealed record TokenDto(string access_token);

/// <summary>
/// A process in Concertation with an open vote, reached through the gateway as its officers and one agent
/// would (opened, one organisation accredited, proposals submitted and assessed, the round opened). The
/// many voters are then seeded as deliberation's copies of registration's events: accredited and trained.
/// </summary>
public sealed class ProcessSetup(BenchSystem system)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _tokens = new() { BaseAddress = system.RegistrationAddress, Timeout = TimeSpan.FromMinutes(2) };

    public static DateOnly TodayInLima => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(-5));

    public async Task<string> TokenAsync(string role, string jurisdiction, string? subject = null, CancellationToken ct = default)
    {
        var response = await _tokens.PostAsJsonAsync("/api/registration/dev-tokens", new { subject, roles = new[] { role }, jurisdiction }, ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenDto>(ct))!.access_token;
    }

    /// <summary>Development tokens for many agents, eight requests at a time (setup, not measured).</summary>
    public async Task<string[]> AgentTokensAsync(IReadOnlyList<Guid> agents, string jurisdiction, CancellationToken ct)
    {
        var tokens = new string[agents.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, agents.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (i, c) => tokens[i] = await TokenAsync("agent", jurisdiction, agents[i].ToString(), c));
        return tokens;
    }

    public HttpClient Gateway(string? token = null)
    {
        var client = new HttpClient { BaseAddress = system.GatewayAddress, Timeout = TimeSpan.FromMinutes(10) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>Opens the process, accredits one proposer, advances to Concertation, proposes and assesses every cost, opens the vote.</summary>
    public async Task<(ProcessDto Process, RoundDto Round)> OpenVoteAsync(string jurisdiction, decimal ceiling, IReadOnlyList<decimal> costs, string rule,
        int? maxProjects, CancellationToken ct)
    {
        var admin = Gateway(await TokenAsync("process-admin", jurisdiction, $"pp-{jurisdiction}", ct));
        var today = TodayInLima.ToString("yyyy-MM-dd");
        var window = new { from = today, to = today };
        var process = await Expect<ProcessDto>(admin.PostAsJsonAsync("/api/registration/processes", new
        {
            name = $"Presupuesto Participativo {jurisdiction} (benchmark)", fiscalYear = DateTime.UtcNow.Year + 1, level = "district", budgetCeiling = ceiling,
            calendar = new
            {
                registration = window, publication = window, objections = window, accreditation = window, training = window,
                concertation = window, coordination = window, formalization = window, submission = window, oversight = window,
            },
            rules = new
            {
                agentsPerOrganisation = 2, trainingRequiredToVote = true, ballotFormat = "Approval", allocationRule = rule, oversightCommitteeSize = 5,
                delegateSeats = 6, directiveCommitteeSeats = 5, quotas = Array.Empty<object>(),
            },
        }, ct), HttpStatusCode.Created, "open the process");

        var resident = Gateway(await TokenAsync("resident", jurisdiction, null, ct));
        var org = await Expect<IdDto>(resident.PostAsJsonAsync("/api/registration/organisations", new
        {
            name = $"Comité vecinal {jurisdiction}", type = "NeighbourhoodCommittee",
            registry = new { kind = "Municipal", number = $"RUOS-{jurisdiction}-{Guid.NewGuid():N}"[..24], date = "2019-03-15" }, territory = jurisdiction, activeMembers = 40,
        }, ct), HttpStatusCode.Created, "register the organisation");
        var application = await Expect<ApplicationDto>(resident.PostAsJsonAsync($"/api/registration/processes/{process.Id}/applications", new
        {
            organisationId = org.Id, channel = "Online",
            agents = new[] { new { role = "Representative", dni = "46199001", fullName = "Rosa Huamán Tarazona", gender = "Female", birthYear = 1980, phone = "987654321", email = (string?)null } },
        }, ct), HttpStatusCode.Created, "apply");
        foreach (var kind in new[] { "RegistrationForm", "RegistryEntry", "AssemblyAct" })
        {
            using var form = new MultipartFormDataContent();
            form.Add(new StringContent(kind), "kind");
            var file = new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes($"%PDF-1.4\n% {kind}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"));
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "file", "documento.pdf");
            await Expect<JsonElement>(resident.PostAsync($"/api/registration/processes/{process.Id}/applications/{application.Id}/documents", form, ct), HttpStatusCode.Created, $"upload {kind}");
        }
        var proposerId = application.Agents.Single().Id;
        var path = $"/api/registration/processes/{process.Id}";
        await Expect<JsonElement>(admin.PostAsJsonAsync($"{path}/applications/{application.Id}/agents/{proposerId}/identity", new { method = "DeskCard" }, ct), HttpStatusCode.OK, "confirm identity");
        await Expect<JsonElement>(admin.PostAsJsonAsync($"{path}/applications/{application.Id}/review", new { decision = "Eligible", reasons = "Documentos conformes" }, ct), HttpStatusCode.OK, "review");
        await Expect<JsonElement>(admin.PostAsync($"{path}/eligible-list", null, ct), HttpStatusCode.OK, "publish the eligible list");
        await Expect<JsonElement>(admin.PostAsync($"{path}/accreditation", null, ct), HttpStatusCode.OK, "accredit");
        await Expect<JsonElement>(admin.PostAsJsonAsync($"{path}/stage", new { toStage = "Concertation" }, ct), HttpStatusCode.OK, "advance to Concertation");

        var proposer = Gateway(await TokenAsync("agent", jurisdiction, proposerId.ToString(), ct));
        var proposals = new List<ProposalDto>();
        for (var i = 0; i < costs.Count; i++)
        {
            var body = new
            {
                title = $"Proyecto {i + 1:000}", description = "Propuesta del taller de diagnóstico", cost = costs[i], location = "Centro poblado", beneficiaries = 1200,
                planObjective = "OE2 Servicios básicos",
            };
            // The first waits for deliberation to learn of the accreditation and the stage from registration's events.
            proposals.Add(await Until<ProposalDto>(() => proposer.PostAsJsonAsync($"/api/deliberation/processes/{process.Id}/proposals", body, ct), HttpStatusCode.Created, "propose", ct));
        }

        var assessor = Gateway(await TokenAsync("technical-team", jurisdiction, $"equipo-tecnico-{jurisdiction}", ct));
        await Until<List<AssessmentDto>>(() => assessor.GetAsync($"/api/assessment/queue?processId={process.Id}", ct), HttpStatusCode.OK, "the assessment queue", ct,
            queue => proposals.All(p => queue.Any(q => q.ProposalId == p.Id)));
        foreach (var p in proposals)
        {
            await Expect<JsonElement>(assessor.PostAsJsonAsync($"/api/assessment/proposals/{p.Id}/recommendation", new { viable = true, score = 70m, reasons = "Viable" }, ct),
                HttpStatusCode.OK, "assess");
        }
        await Until<List<ProposalDto>>(() => admin.GetAsync($"/api/deliberation/processes/{process.Id}/proposals", ct), HttpStatusCode.OK, "deliberation to record the assessments", ct,
            seen => seen.Count == proposals.Count && seen.All(p => p.Status == "Viable"));
        var round = await Expect<RoundDto>(admin.PostAsJsonAsync($"/api/deliberation/processes/{process.Id}/rounds", new { maxProjects }, ct), HttpStatusCode.Created, "open the vote");
        return (process, round);
    }

    /// <summary>
    /// Seeds voters as deliberation's copies of AgentAccredited and TrainingAttended would leave them: the
    /// eligibility the ballot endpoint checks is then the real check on real rows.
    /// </summary>
    public async Task<List<Guid>> SeedVotersAsync(Guid processId, int count, CancellationToken ct)
    {
        var agents = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToList();
        var session = Guid.NewGuid();
        await using var connection = new NpgsqlConnection(system.DeliberationDb);
        await connection.OpenAsync(ct);
        await using (var copy = await connection.BeginBinaryImportAsync("COPY accredited_agents (agent_id, process_id, full_name) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var i = 0; i < agents.Count; i++)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(agents[i], NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(processId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync($"Agente {i + 1}", NpgsqlDbType.Text, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await using (var copy = await connection.BeginBinaryImportAsync("COPY training_attendance (agent_id, session_id, process_id, date) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var agent in agents)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(agent, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(session, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(processId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(TodayInLima, NpgsqlDbType.Date, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await using (var analyze = new NpgsqlCommand("ANALYZE accredited_agents; ANALYZE training_attendance", connection))
        {
            await analyze.ExecuteNonQueryAsync(ct);
        }
        return agents;
    }

    private sealed record IdDto(Guid Id);
    private sealed record ApplicationDto(Guid Id, List<IdDto> Agents);

    private static async Task<T> Expect<T>(Task<HttpResponseMessage> send, HttpStatusCode expected, string what)
    {
        using var response = await send;
        var body = await response.Content.ReadAsStringAsync();
        return response.StatusCode == expected
            ? JsonSerializer.Deserialize<T>(body, Web)!
            : throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {body}");
    }

    /// <summary>Retries until the service has caught up with the events before it (two minutes at most).</summary>
    private static async Task<T> Until<T>(Func<Task<HttpResponseMessage>> send, HttpStatusCode expected, string what, CancellationToken ct, Func<T, bool>? done = null)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            using var response = await send();
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode == expected && JsonSerializer.Deserialize<T>(body, Web) is { } value && (done is null || done(value)))
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}: last answer {(int)response.StatusCode} {body}");
            }
            await Task.Delay(200, ct);
        }
    }
}
