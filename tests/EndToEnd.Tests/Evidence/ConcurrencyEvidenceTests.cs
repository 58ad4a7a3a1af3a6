using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using Npgsql;
using PBServices.Grpc.Intake;

using static PBServices.EndToEnd.Tests.Answers;

namespace PBServices.EndToEnd.Tests.Evidence;

/// <summary>
/// The same act sent many times at once — one voter's ballot, the accreditation of one list, one person's signature of
/// the acta, the delivery of one submission — has one effect, and every other request gets a clear 409 (or, at the
/// intake, the same receipt). What is stored is read straight from each service's database.
///
/// The requests go straight to the service, not through the gateway: the gateway allows
/// <see cref="SystemFixture.PermitsPerMinute"/> per subject and address, so there most of a burst would be answered 429
/// before reaching the rule; here all of them meet the service's own code and the database's constraints at once.
///
/// Each test has its own jurisdiction (Chachapoyas' districts, 010101–010109; DNIs 0101…) and scopes its assertions to its
/// own process. The class still runs alone: a burst of 1,000 fills the shared services' connection pools, and other
/// suites' requests would meet 503s and delivery back-offs they are not about.
/// Quick form: 1,000 at once; full form: PB_CONCURRENCY_ATTEMPTS.
/// </summary>
[Collection(SystemDisruption.Name)]
public sealed class ConcurrencyEvidenceTests(SystemFixture system)
{
    private static readonly int Attempts = int.TryParse(Environment.GetEnvironmentVariable("PB_CONCURRENCY_ATTEMPTS"), CultureInfo.InvariantCulture, out var n) && n > 1 ? n : 1_000;
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>How many times a request answered 503 (busy, Retry-After) may be sent again: a bound, so a service that stays busy fails the test.</summary>
    private const int BusyResends = 30;

    /// <summary>The final answer to one request, and how many times it was first answered 503 and sent again.</summary>
    private sealed record Answer(int Status, string? MediaType, string Body, int Busy);

    [Fact]
    public async Task A_thousand_simultaneous_ballots_from_one_voter_store_one_ballot_and_one_receipt()
    {
        var story = await ProcessStory.OpenAsync(system, "010101", "Presupuesto Participativo Chachapoyas 2027", 800_000m, Ct);
        await story.AccreditAndTrainAsync(("María Zubiate Culqui", "01010101", "Comité de Vaso de Leche Santo Domingo"),
            ("Rosa Chávez Tuesta", "01010102", "Club de Madres Luya Urco"));
        var voter = story.Agents[0];
        var other = story.Agent;
        await story.StartConcertationAsync();
        var water = await story.ProposeAsync("Agua potable Pedro Castro Alva", 300_000m);
        var lights = await story.ProposeAsync("Alumbrado Jr. Amazonas", 200_000m);
        await story.AssessAsync((water, true, 70m, "Viable"), (lights, true, 60m, "Viable"));
        var round = await ExpectAsync<VotingTests.RoundDto>(story.Admin.PostAsJsonAsync($"/api/deliberation/processes/{story.Process.Id}/rounds", new { }, Ct),
            HttpStatusCode.Created);
        var roundPath = $"/api/deliberation/processes/{story.Process.Id}/rounds/{round.Id}";
        // Another voter's ballot, cast once: the burst must leave it as it is.
        var othersReceipt = await ExpectAsync<VotingTests.ReceiptDto>(other.PostAsJsonAsync($"{roundPath}/ballots", new { projects = new[] { lights.Id } }, Ct),
            HttpStatusCode.Created);

        var token = await system.TokenAsync("agent", "010101", voter.Id.ToString());
        var answers = await BurstAsync("deliberation", token, "one voter's ballot",
            c => c.PostAsJsonAsync($"{roundPath}/ballots", new { projects = new[] { water.Id, lights.Id } }, Ct));

        AssertOneAnd409s(answers, HttpStatusCode.Created, "ballot", "already voted");
        var receipt = JsonSerializer.Deserialize<VotingTests.ReceiptDto>(answers.Single(a => a.Status == 201).Body, Web)!.Receipt;
        await using (var db = await system.OpenDatabaseAsync("deliberationdb", Ct))
        {
            Assert.Equal(2, await CountAsync(db, "SELECT count(*) FROM ballots WHERE round_id = @round", ("round", round.Id)));
            Assert.Equal(1, await CountAsync(db, "SELECT count(*) FROM ballots WHERE round_id = @round AND receipt = @receipt", ("round", round.Id), ("receipt", receipt)));
            Assert.Equal(1, await CountAsync(db, "SELECT count(*) FROM voters WHERE round_id = @round AND agent_id = @agent", ("round", round.Id), ("agent", voter.Id)));
            Assert.Equal(2, await CountAsync(db, "SELECT count(*) FROM voters WHERE round_id = @round", ("round", round.Id)));
        }

        // What anyone reads: two voters, and once closed two ballots, the voter's found by its receipt, counted once.
        Assert.Equal(2, (await system.Gateway.GetFromJsonAsync<VotingTests.RoundDto>(roundPath, Ct))!.Voters);
        await ExpectAsync<VotingTests.ResultDto>(story.Admin.PostAsync($"{roundPath}/closure", null, Ct), HttpStatusCode.OK);
        var ballots = await ExpectAsync<List<VotingTests.BallotDto>>(system.Gateway.GetAsync($"{roundPath}/ballots", Ct), HttpStatusCode.OK);
        Assert.Equal(new[] { othersReceipt.Receipt, receipt }.Order(StringComparer.Ordinal), ballots.Select(b => b.Receipt).Order(StringComparer.Ordinal));
        var found = await ExpectAsync<VotingTests.BallotDto>(system.Gateway.GetAsync($"{roundPath}/receipts/{receipt}", Ct), HttpStatusCode.OK);
        Assert.Equal([water.Id, lights.Id], found.Projects);
        var result = await ExpectAsync<VotingTests.ResultDto>(system.Gateway.GetAsync($"{roundPath}/result", Ct), HttpStatusCode.OK);
        Assert.Equal(2, result.Ballots);
        Assert.Equal((1, 2), (result.Projects.Single(p => p.ProposalId == water.Id).Supporters, result.Projects.Single(p => p.ProposalId == lights.Id).Supporters));
    }

    [Fact]
    public async Task A_thousand_simultaneous_accreditations_of_one_list_accredit_each_agent_once_and_deliberation_learns_of_each_once()
    {
        var story = await ProcessStory.OpenAsync(system, "010102", "Presupuesto Participativo Asunción 2027", 600_000m, Ct);
        var agents = (await story.PublishEligibleListAsync(
            ("Juana Culqui Trigoso", "01010201", "Comité vecinal 010102-1", "Female"), ("Nelly Mas Rojas", "01010202", "Comité vecinal 010102-2", "Female"),
            ("Doris Torrejón Vela", "01010203", "Comité vecinal 010102-3", "Female"))).Select(a => a.AgentId).ToList();

        var token = await system.TokenAsync("process-admin", "010102", "pp-010102");
        var answers = await BurstAsync("registration", token, "the accreditation of one list",
            c => c.PostAsync($"/api/registration/processes/{story.Process.Id}/accreditation", null, Ct));

        AssertOneAnd409s(answers, HttpStatusCode.OK, "eligibleList", "already accredited");
        var accredited = JsonSerializer.Deserialize<RegistrationTests.AccreditationDto>(answers.Single(a => a.Status == 200).Body, Web)!;
        Assert.Equal(agents.Order(), accredited.Agents.Order());
        List<Guid> events;
        await using (var db = await system.OpenDatabaseAsync("registrationdb", Ct))
        {
            foreach (var agent in agents)
            {
                Assert.Equal(1, await CountAsync(db, "SELECT count(*) FROM agents WHERE id = @agent AND status = 'Accredited'", ("agent", agent)));
                Assert.Equal(1, await CountAsync(db, "SELECT count(*) FROM audit_log WHERE process_id = @process AND action = 'agent.accredited' AND subject_id = @agent",
                    ("process", story.Process.Id), ("agent", agent.ToString())));
            }
            Assert.Equal(agents.Count, await CountAsync(db, "SELECT count(*) FROM audit_log WHERE process_id = @process AND action = 'agent.accredited'", ("process", story.Process.Id)));
            events = await IdsAsync(db, "SELECT event_id FROM outbox WHERE event_type LIKE '%AgentAccredited' AND payload::text LIKE '%' || @process || '%'",
                ("process", story.Process.Id.ToString()));
        }
        Assert.Equal(agents.Count, events.Count);

        // Each event reaches deliberation's copy once: one inbox entry per event, one accredited agent per agent.
        await using var deliberation = await system.OpenDatabaseAsync("deliberationdb", Ct);
        await Eventually.Get(async () => await CountAsync(deliberation, "SELECT count(*) FROM inbox WHERE event_id = ANY(@events)", ("events", events.ToArray())) >= events.Count
            ? "" : null, "deliberation to consume every AgentAccredited", TimeSpan.FromSeconds(90));
        Assert.Equal(events.Count, await CountAsync(deliberation, "SELECT count(*) FROM inbox WHERE event_id = ANY(@events)", ("events", events.ToArray())));
        Assert.Equal(agents.Order(), (await IdsAsync(deliberation, "SELECT agent_id FROM accredited_agents WHERE process_id = @process AND NOT revoked",
            ("process", story.Process.Id))).Order());
    }

    [Fact]
    public async Task A_thousand_simultaneous_signatures_of_the_acta_by_one_councillor_store_one_signature()
    {
        var story = await ProcessStory.OpenAsync(system, "010103", "Presupuesto Participativo Balsas 2027", 900_000m, Ct);
        await story.AccreditAndTrainAsync(ProcessStory.Neighbours("010103"));
        await story.StartConcertationAsync();
        var canal = await story.ProposeAsync("Canal de riego Balsas", 500_000m);
        await story.AssessAsync((canal, true, 80m, "Viable"));
        await story.PrioritizeAsync();
        var acta = await DrawActaAsync(story, "010103", "ACTA-PP-BALSAS-2027-001");
        var path = $"/api/coordination/processes/{story.Process.Id}/acta";

        var token = await system.TokenAsync("council", "010103", "concejo-010103");
        var answers = await BurstAsync("coordination", token, "one councillor's signature of the acta",
            c => c.PostAsJsonAsync($"{path}/signatures", new { contentHash = acta.ContentHash }, Ct));

        AssertOneAnd409s(answers, HttpStatusCode.Created, "signature", "Already signed");
        await using (var db = await system.OpenDatabaseAsync("coordinationdb", Ct))
        {
            Assert.Equal(1, await CountAsync(db, "SELECT count(*) FROM acta_signatures WHERE process_id = @process", ("process", story.Process.Id)));
            Assert.Equal(1, await CountAsync(db, "SELECT count(*) FROM acta_signatures WHERE process_id = @process AND signer = 'concejo-010103' AND content_hash = @hash",
                ("process", story.Process.Id), ("hash", acta.ContentHash)));
            Assert.Equal(1, await CountAsync(db, "SELECT count(*) FROM audit_log WHERE process_id = @process AND action = 'acta.signed'", ("process", story.Process.Id)));
        }
        var published = await ExpectAsync<ActaDto>(system.Gateway.GetAsync(path, Ct), HttpStatusCode.OK);
        Assert.Equal([("concejo-010103", "council", acta.Version)], published.Signatures.Select(s => (s.Signer, s.Role, s.Version)));
    }

    [Fact]
    public async Task A_thousand_simultaneous_deliveries_of_one_submission_record_one_package_at_the_intake_and_change_nothing_at_the_deployment()
    {
        const string jurisdiction = "010104";
        var story = await ProcessStory.OpenAsync(system, jurisdiction, "Presupuesto Participativo Cheto 2027", 900_000m, Ct);
        await story.AccreditAndTrainAsync(ProcessStory.Neighbours(jurisdiction));
        await story.StartConcertationAsync();
        var school = await story.ProposeAsync("Aulas I.E. Cheto", 400_000m);
        await story.AssessAsync((school, true, 75m, "Viable"));
        await story.PrioritizeAsync();
        var delivered = await story.FormalizeAndDeliverAsync("ACTA-PP-CHETO-2027-001");

        // The package exactly as the deployment sent it (content, hash, signature, key), read from its database.
        SubmitRequest package;
        await using (var db = await system.OpenDatabaseAsync("submissiondb", Ct))
        await using (var read = new NpgsqlCommand(
            "SELECT id::text, jurisdiction, process_id::text, canonical_content, content_hash, signature, key_id FROM submissions WHERE process_id = @process", db))
        {
            read.Parameters.AddWithValue("process", story.Process.Id);
            await using var row = await read.ExecuteReaderAsync(Ct);
            Assert.True(await row.ReadAsync(Ct), "the deployment stored the package it delivered");
            package = new SubmitRequest
            {
                SubmissionId = row.GetString(0), Jurisdiction = row.GetString(1), ProcessId = row.GetString(2), CanonicalContent = row.GetString(3),
                ContentHash = row.GetString(4), Signature = row.GetString(5), KeyId = row.GetString(6),
            };
        }
        Assert.Equal(delivered.SubmissionId.ToString(), package.SubmissionId);

        // The Ministry's side: the same signed package arrives a thousand times at once, as from replicas or retries after a lost answer.
        using var officer = await system.MinistryOfficerAsync();
        var (clientId, secret) = await IntakeDeployment.CreateClientAsync(officer, $"conc-{jurisdiction}-{Guid.NewGuid():N}"[..30], "deployment", jurisdiction);
        using var grpc = GrpcChannel.ForAddress(system.App.GetEndpoint("national-intake", "grpc"), new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, MaxConnectionsPerServer = Attempts, ConnectTimeout = TimeSpan.FromSeconds(30) },
        });
        var headers = IntakeDeployment.Bearer(await IntakeDeployment.GrpcTokenAsync(grpc, clientId, secret));
        var intake = new MinistryIntake.MinistryIntakeClient(grpc);
        var replies = await TimedAsync("deliveries of one package at the intake (gRPC Submit)", async () =>
        {
            using var gate = new SemaphoreSlim(0);
            var calls = Enumerable.Range(0, Attempts).Select(async _ =>
            {
                await gate.WaitAsync(Ct);
                for (var busy = 0; ; busy++)
                {
                    try
                    {
                        var reply = await intake.SubmitAsync(package, headers, deadline: DateTime.UtcNow.AddMinutes(3), cancellationToken: Ct);
                        return (Code: StatusCode.OK, reply.Receipt, Detail: "", Busy: busy);
                    }
                    catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && busy < BusyResends)
                    {
                        // The intake at capacity (or not reachable for a moment): a deployment's deliverer sends again later too.
                        await Task.Delay(TimeSpan.FromSeconds(2) + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 1000)), Ct);
                    }
                    catch (RpcException e)
                    {
                        return (Code: e.StatusCode, Receipt: "", e.Status.Detail, Busy: busy);
                    }
                }
            }).ToList();
            gate.Release(Attempts);
            return await Task.WhenAll(calls);
        }, r => string.Join(", ", r.GroupBy(x => x.Code).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"))
            + $" (first answered Unavailable and sent again: {r.Count(x => x.Busy > 0)}, resends {r.Sum(x => x.Busy)})");
        Assert.True(replies.All(r => r.Code == StatusCode.OK), $"every resend is answered: {replies.FirstOrDefault(r => r.Code != StatusCode.OK)}");
        Assert.Equal([delivered.IntakeReceipt], replies.Select(r => r.Receipt).Distinct());
        await using (var db = await system.OpenDatabaseAsync("intakedb", Ct))
        {
            Assert.Equal(1, await CountAsync(db, "SELECT count(*) FROM submissions WHERE submission_id = @id", ("id", delivered.SubmissionId)));
            Assert.Equal(1, await CountAsync(db, "SELECT count(*) FROM submissions WHERE process_id = @process", ("process", story.Process.Id)));
            Assert.Equal(1, await CountAsync(db, "SELECT count(*) FROM submission_projects WHERE submission_id = @id", ("id", delivered.SubmissionId)));
            Assert.Equal(1, await CountAsync(db, "SELECT count(*) FROM audit_log WHERE action = 'SubmissionReceived' AND subject_id = @id", ("id", package.SubmissionId)));
            Assert.Equal(0, await CountAsync(db, "SELECT count(*) FROM refusals WHERE submission_id = @id", ("id", package.SubmissionId)));
        }

        // The deployment's side: the officers' "send again" clicked a thousand times at once on the delivered package.
        var adminToken = await system.TokenAsync("process-admin", jurisdiction, $"pp-{jurisdiction}");
        var answers = await BurstAsync("ministry-submission", adminToken, "redeliveries of the delivered submission",
            c => c.PostAsJsonAsync($"/api/submissions/processes/{story.Process.Id}/redelivery", new { reason = "Reenvío solicitado por la oficina" }, Ct));
        AssertOneAnd409s(answers, null, "processId", "Delivered");
        var after = await ExpectAsync<SubmissionDto>(system.Gateway.GetAsync($"/api/submissions/processes/{story.Process.Id}", Ct), HttpStatusCode.OK);
        Assert.Equal(("Delivered", delivered.IntakeReceipt, delivered.Attempts), (after.Status, after.IntakeReceipt, after.Attempts));
        await using (var db = await system.OpenDatabaseAsync("submissiondb", Ct))
        {
            Assert.Equal(1, await CountAsync(db, "SELECT count(*) FROM audit_log WHERE process_id = @process AND action = 'submission.delivered'", ("process", story.Process.Id)));
            Assert.Equal(0, await CountAsync(db, "SELECT count(*) FROM audit_log WHERE process_id = @process AND action = 'submission.redelivery'", ("process", story.Process.Id)));
            Assert.Equal(1, await CountAsync(db, "SELECT count(*) FROM outbox WHERE event_type LIKE '%SubmissionAccepted' AND payload::text LIKE '%' || @id || '%'",
                ("id", package.SubmissionId)));
        }
        using var ministry = await system.MinistryOfficerAsync();
        var recorded = (await ministry.GetFromJsonAsync<List<ReceivedSummaryDto>>($"/api/intake/submissions?jurisdiction={jurisdiction}", Ct))!;
        Assert.Equal(delivered.IntakeReceipt, Assert.Single(recorded, r => r.ProcessId == story.Process.Id).Receipt);
    }

    /// <summary>
    /// Sends <see cref="Attempts"/> requests to <paramref name="resource"/> all in flight together: every request is started,
    /// held at a gate, then released at once; each on a connection of its own, so none waits behind another in the client.
    /// A request the service answers 503 (every database connection in use, nothing done, Retry-After) is sent again after
    /// that wait, as a client should, up to <see cref="BusyResends"/> times; the figures say how many were.
    /// </summary>
    private async Task<Answer[]> BurstAsync(string resource, string token, string what, Func<HttpClient, Task<HttpResponseMessage>> send)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Attempts, ConnectTimeout = TimeSpan.FromSeconds(30) };
        using var client = new HttpClient(handler) { BaseAddress = system.App.GetEndpoint(resource, "http"), Timeout = TimeSpan.FromMinutes(3) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await TimedAsync(what, async () =>
        {
            using var gate = new SemaphoreSlim(0);
            var sends = Enumerable.Range(0, Attempts).Select(async _ =>
            {
                await gate.WaitAsync(Ct);
                for (var busy = 0; ; busy++)
                {
                    try
                    {
                        using var response = await send(client);
                        var answer = new Answer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(Ct), busy);
                        // A service at capacity says so and when to come back, having done nothing: a client sends again then.
                        if (answer is { Status: 503, MediaType: "application/problem+json" } && response.Headers.RetryAfter?.Delta is { } wait && busy < BusyResends)
                        {
                            await Task.Delay(wait + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 1000)), Ct);
                            continue;
                        }
                        return answer;
                    }
                    catch (HttpRequestException e)
                    {
                        // No answer at all (refused or reset connection) counts as its own outcome, never as success.
                        return new Answer(0, null, e.Message, busy);
                    }
                }
            }).ToList();
            gate.Release(Attempts);
            return await Task.WhenAll(sends);
        }, a => string.Join(", ", a.GroupBy(x => x.Status).OrderBy(g => g.Key).Select(g => $"{(g.Key == 0 ? "no answer" : g.Key.ToString(CultureInfo.InvariantCulture))}: {g.Count()}"))
            + $" (first answered 503 busy and sent again: {a.Count(x => x.Busy > 0)}, resends {a.Sum(x => x.Busy)})");
    }

    /// <summary>Runs a burst and prints its outcome counts, wall time and the machine's load, so a rerun shows the figures.</summary>
    private static async Task<T> TimedAsync<T>(string what, Func<Task<T>> burst, Func<T, string> outcomes)
    {
        var clock = Stopwatch.StartNew();
        var result = await burst();
        clock.Stop();
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
        EvidenceLog.Write("concurrency", $"{Attempts} simultaneous {what}: {outcomes(result)}; wall {clock.Elapsed.TotalSeconds:0.00} s; load {load}");
        return result;
    }

    /// <summary>
    /// Exactly one <paramref name="success"/> (none when null: the act had already had its effect) and every other final answer
    /// a 409 problem naming <paramref name="field"/> with <paramref name="rule"/>: no 500, no 429, no request left unanswered
    /// (a 503 with Retry-After was sent again, see <see cref="BurstAsync"/>).
    /// </summary>
    private static void AssertOneAnd409s(Answer[] answers, HttpStatusCode? success, string field, string rule)
    {
        var summary = string.Join(", ", answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"));
        var odd = answers.FirstOrDefault(a => a.Status != 409 && a.Status != (int?)success);
        Assert.True(odd is null, $"only {(success is null ? "" : $"{(int)success} and ")}409: {summary}; e.g. {odd?.Status} {odd?.Body}");
        Assert.True(answers.Count(a => a.Status != 409) == (success is null ? 0 : 1), $"exactly {(success is null ? "no" : "one")} success: {summary}");
        foreach (var refused in answers.Where(a => a.Status == 409))
        {
            Assert.Equal("application/problem+json", refused.MediaType);
            var problem = JsonSerializer.Deserialize<ProblemDto>(refused.Body, Web)!;
            Assert.True(problem.Errors?.TryGetValue(field, out var reasons) == true && reasons.Any(r => r.Contains(rule, StringComparison.Ordinal)),
                $"the 409 names {field} with \"{rule}\": {refused.Body}");
        }
    }

    /// <summary>
    /// The formalization workshop up to the acta drawn and unsigned, as <see cref="ProcessStory.FormalizeAsync"/> holds it: the
    /// list coordinated, every agent approving the final list, present, standing for and electing the committee.
    /// </summary>
    private async Task<ActaDto> DrawActaAsync(ProcessStory story, string jurisdiction, string number)
    {
        await ProcessSteps.AdvanceAsync(story.Admin, story.Process.Id, "Coordination", Ct);
        await story.CloseCoordinationAsync();
        await ProcessSteps.AdvanceAsync(story.Admin, story.Process.Id, "Formalization", Ct);
        var agents = new List<HttpClient>();
        foreach (var agent in story.Agents)
        {
            agents.Add(system.As(await system.TokenAsync("agent", jurisdiction, agent.Id.ToString())));
        }
        var votes = $"/api/deliberation/processes/{story.Process.Id}/final-votes";
        using var opened = await ProcessSteps.UntilAsync(() => story.Admin.PostAsync(votes, null, Ct), HttpStatusCode.Created, "deliberation to reach Formalization and open the final vote");
        var voteId = (await opened.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        foreach (var agent in agents)
        {
            await ExpectAsync<JsonElement>(agent.PostAsJsonAsync($"{votes}/{voteId}/ballots", new { choice = "Approve" }, Ct), HttpStatusCode.Created);
        }
        await ExpectAsync<JsonElement>(story.Admin.PostAsync($"{votes}/{voteId}/closure", null, Ct), HttpStatusCode.OK);
        var path = $"/api/coordination/processes/{story.Process.Id}";
        foreach (var agent in story.Agents)
        {
            using var present = await ProcessSteps.UntilAsync(() => story.Admin.PostAsJsonAsync($"{path}/formalization/present", new { agentId = agent.Id }, Ct), HttpStatusCode.Created,
                "coordination to know the accredited agent and the Formalization stage");
            await ExpectAsync<JsonElement>(story.Admin.PostAsJsonAsync($"{path}/committee/candidates", new { agentId = agent.Id }, Ct), HttpStatusCode.Created);
        }
        var seats = (await story.Admin.GetFromJsonAsync<CommitteeDto>($"{path}/committee", Ct))!.Seats;
        foreach (var agent in agents)
        {
            await ExpectAsync<JsonElement>(agent.PostAsJsonAsync($"{path}/committee/ballots", new { candidates = story.Agents.Take(seats).Select(a => a.Id) }, Ct), HttpStatusCode.Created);
        }
        await ExpectAsync<JsonElement>(story.Admin.PostAsync($"{path}/committee/closure", null, Ct), HttpStatusCode.OK);
        using var drawn = await ProcessSteps.UntilAsync(() => story.Admin.PostAsJsonAsync($"{path}/acta", new { number }, Ct), HttpStatusCode.Created,
            "coordination to receive the final vote and draw up the acta");
        return (await drawn.Content.ReadFromJsonAsync<ActaDto>(Ct))!;
    }

    private static async Task<long> CountAsync(NpgsqlConnection db, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, db);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), CultureInfo.InvariantCulture);
    }

    private static async Task<List<Guid>> IdsAsync(NpgsqlConnection db, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, db);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }
}
