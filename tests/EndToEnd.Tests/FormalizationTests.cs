using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

using static PBServices.EndToEnd.Tests.Answers;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// The formalization workshop through the gateway: the agents present, the oversight committee elected under its
/// quota, the Acta de Acuerdos y Compromisos drawn up after the final vote, signed over its hash by the authorities
/// and the agents present, approved by both councils, and the formalized list delivered to the Ministry; every
/// refusal leaves nothing changed. Each test has its own jurisdiction (the districts of Puno, 210101–210109).
/// </summary>
public sealed class FormalizationTests(SystemFixture system, PortalBrowser browser) : IClassFixture<PortalBrowser>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private HttpClient Public => system.Gateway;

    /// <summary>A committee of four with two seats for women, and training required to vote.</summary>
    private static object Rules(int committee = 4, int womenSeats = 2) => new
    {
        agentsPerOrganisation = 2, trainingRequiredToVote = true, ballotFormat = "Approval", allocationRule = "greedy", oversightCommitteeSize = committee,
        delegateSeats = 6, directiveCommitteeSeats = 5,
        quotas = new object[] { new { body = "OversightCommittee", group = "Women", minimumSeats = womenSeats } },
    };

    private async Task<HttpClient> AgentAsync(string jurisdiction, Guid agentId) => system.As(await system.TokenAsync("agent", jurisdiction, agentId.ToString()));

    [Fact]
    public async Task The_workshop_elects_the_committee_under_its_quota_signs_the_acta_over_its_hash_and_both_approvals_send_the_list_to_the_Ministry()
    {
        const string jurisdiction = "210103"; // Puno
        var story = await ProcessStory.OpenAsync(system, jurisdiction, "Presupuesto Participativo Puno 2027", 900_000m, Ct, rules: Rules());
        var agents = await story.AccreditAndTrainAsync(
            ("Luz Mamani Quispe", "42101001", "Club de Madres Chanu Chanu", "Female"),
            ("Rosa Apaza Condori", "42101002", "Comité de Vaso de Leche Huajsapata", "Female"),
            ("Pedro Choque Ticona", "42101003", "Junta Vecinal Bellavista", "Male"),
            ("Juan Huanca Flores", "42101004", "Asociación de Comerciantes Unión", "Male"),
            ("Mario Cutipa Nina", "42101005", "Junta Vecinal Laykakota", "Male"),
            ("Hugo Pari Mamani", "42101006", "Asociación de Pescadores del Lago", "Male"),
            ("Raúl Quispe Vilca", "42101007", "Junta Vecinal Alto Puno", "Male"));
        var (luz, rosa, pedro, juan, mario, hugo, raul) = (agents[0], agents[1], agents[2], agents[3], agents[4], agents[5], agents[6]);
        var present = agents.Take(6).ToList();
        await story.StartConcertationAsync();
        var water = await story.ProposeAsync("Agua potable Chanu Chanu", 500_000m);
        var school = await story.ProposeAsync("Aulas de la IE 70025 Independencia", 300_000m);
        await story.AssessAsync((water, true, 90m, "Viable"), (school, true, 80m, "Viable"));
        var list = await story.PrioritizeAsync();
        await ProcessSteps.AdvanceAsync(story.Admin, story.Process.Id, "Coordination", Ct);
        await story.CloseCoordinationAsync();
        await ProcessSteps.AdvanceAsync(story.Admin, story.Process.Id, "Formalization", Ct);
        var path = $"/api/coordination/processes/{story.Process.Id}";
        var admin = story.Admin;
        var clients = new Dictionary<Guid, HttpClient>();
        foreach (var a in agents)
        {
            clients[a.Id] = await AgentAsync(jurisdiction, a.Id);
        }

        // The officer records who is present: accredited agents only, once each.
        foreach (var a in present)
        {
            await ProcessSteps.UntilAsync(() => admin.PostAsJsonAsync($"{path}/formalization/present", new { agentId = a.Id }, Ct), HttpStatusCode.Created,
                "coordination to know the agent and the Formalization stage");
        }
        await ProblemAsync(admin.PostAsJsonAsync($"{path}/formalization/present", new { agentId = luz.Id }, Ct), HttpStatusCode.Conflict, "agentId", "already recorded present");
        await ProblemAsync(admin.PostAsJsonAsync($"{path}/formalization/present", new { agentId = Guid.NewGuid() }, Ct), HttpStatusCode.Conflict, "agentId", "Not an accredited agent");
        Assert.Equal(present.Select(a => a.FullName).Order(StringComparer.Ordinal),
            (await ExpectAsync<List<ActaAgentDto>>(Public.GetAsync($"{path}/formalization/present", Ct), HttpStatusCode.OK)).Select(a => a.FullName).Order(StringComparer.Ordinal));

        // Before the agents vote the final list there is no acta to draw up.
        await ProblemAsync(admin.PostAsJsonAsync($"{path}/acta", new { number = "ACTA-PP-PUNO-2027-001" }, Ct), HttpStatusCode.Conflict, "finalVote", "after the final vote");
        Assert.Equal(HttpStatusCode.NotFound, (await Public.GetAsync($"{path}/acta", Ct)).StatusCode);

        // The election: six candidates residing in Puno, registration's quota groups beside them.
        foreach (var a in present)
        {
            await ExpectAsync<CandidateDto>(admin.PostAsJsonAsync($"{path}/committee/candidates", new { agentId = a.Id }, Ct), HttpStatusCode.Created);
        }
        var nominated = await ExpectAsync<CommitteeDto>(Public.GetAsync($"{path}/committee", Ct), HttpStatusCode.OK);
        Assert.Equal(("Nominating", 4, 6), (nominated.Status, nominated.Seats, nominated.Candidates.Count));
        Assert.Equal(["Women"], nominated.Candidates.Single(c => c.AgentId == rosa.Id).Groups);
        Assert.Empty(nominated.Candidates.Single(c => c.AgentId == pedro.Id).Groups);
        Assert.All(nominated.Candidates, c => Assert.Equal(jurisdiction, c.Residence));
        Assert.All(nominated.Candidates, c => Assert.Null(c.Votes));

        // The men are the best voted; Luz and Rosa vote for each other. An agent not present does not vote; nobody votes twice.
        Guid[] men = [pedro.Id, juan.Id, mario.Id, hugo.Id];
        foreach (var a in present)
        {
            Guid[] choice = a == luz || a == rosa ? [luz.Id, rosa.Id, pedro.Id] : men;
            await ExpectAsync<JsonElement>(clients[a.Id].PostAsJsonAsync($"{path}/committee/ballots", new { candidates = choice }, Ct), HttpStatusCode.Created);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await clients[raul.Id].PostAsJsonAsync($"{path}/committee/ballots", new { candidates = men }, Ct)).StatusCode);
        await ProblemAsync(clients[pedro.Id].PostAsJsonAsync($"{path}/committee/ballots", new { candidates = men }, Ct), HttpStatusCode.Conflict, "ballot", "already voted");

        // By votes alone the committee would be four men; the quota seats the two best-voted women in place of the lowest-voted men.
        var elected = await ExpectAsync<CommitteeDto>(admin.PostAsync($"{path}/committee/closure", null, Ct), HttpStatusCode.OK);
        Assert.Equal(("Elected", 6), (elected.Status, elected.Ballots));
        Assert.Equal(new (string, int, string?)[] { ("Pedro Choque Ticona", 6, null), ("Juan Huanca Flores", 4, null), ("Luz Mamani Quispe", 2, "Women"), ("Rosa Apaza Condori", 2, "Women") },
            elected.Members.Select(m => (m.FullName, m.Votes, m.Quota)));
        Assert.Equal(4, elected.Candidates.Single(c => c.AgentId == hugo.Id).Votes);
        await ProblemAsync(admin.PostAsync($"{path}/committee/closure", null, Ct), HttpStatusCode.Conflict, "committee", "already elected");

        // The agents approve the final list; coordination learns of it and the acta is drawn up, then redrawn before anyone signs.
        var votes = $"/api/deliberation/processes/{story.Process.Id}/final-votes";
        using var opened = await ProcessSteps.UntilAsync(() => admin.PostAsync(votes, null, Ct), HttpStatusCode.Created, "deliberation to open the final vote");
        var voteId = (await opened.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        foreach (var a in agents)
        {
            await ExpectAsync<JsonElement>(clients[a.Id].PostAsJsonAsync($"{votes}/{voteId}/ballots", new { choice = "Approve" }, Ct), HttpStatusCode.Created);
        }
        await ExpectAsync<JsonElement>(admin.PostAsync($"{votes}/{voteId}/closure", null, Ct), HttpStatusCode.OK);
        using var drawn = await ProcessSteps.UntilAsync(() => admin.PostAsJsonAsync($"{path}/acta", new { number = "ACTA-PP-PUNO-2027-001" }, Ct), HttpStatusCode.Created,
            "coordination to receive FinalListVoted");
        var first = (await drawn.Content.ReadFromJsonAsync<ActaDto>(Ct))!;
        var acta = await ExpectAsync<ActaDto>(admin.PostAsJsonAsync($"{path}/acta", new { number = "ACTA-PP-PUNO-2027-001" }, Ct), HttpStatusCode.Created);
        Assert.Equal((1, 2), (first.Version, acta.Version));
        Assert.NotEqual(first.ContentHash, acta.ContentHash);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(acta.CanonicalContent))), acta.ContentHash);
        var content = acta.Content;
        Assert.Equal(list.Projects.Select(p => (p.ProposalId, p.Cost, p.Rank)),
            content.GetProperty("projects").EnumerateArray().Select(p => (p.GetProperty("proposalId").GetGuid(), p.GetProperty("cost").GetDecimal(), p.GetProperty("rank").GetInt32())));
        Assert.All(content.GetProperty("projects").EnumerateArray(), p => Assert.Equal(0, p.GetProperty("cofinancing").GetArrayLength()));
        Assert.Equal(800_000m, content.GetProperty("totalCost").GetDecimal());
        Assert.Equal(elected.Members.Select(m => m.AgentId), content.GetProperty("committee").EnumerateArray().Select(m => m.GetProperty("agentId").GetGuid()));
        Assert.Equal(6, content.GetProperty("present").GetArrayLength());
        Assert.Equal(7, content.GetProperty("finalVote").GetProperty("approve").GetInt32());

        // Refused, and nothing signed: a stale hash, approval before signatures, someone not entitled.
        var council = system.As(await system.TokenAsync("council", jurisdiction, "concejo-puno"));
        var coordination = system.As(await system.TokenAsync("coordination-council", jurisdiction, "ccl-puno"));
        await ProblemAsync(council.PostAsJsonAsync($"{path}/acta/signatures", new { contentHash = first.ContentHash }, Ct), HttpStatusCode.Conflict, "contentHash", "current version (2)");
        await ProblemAsync(council.PostAsJsonAsync($"{path}/acta/approvals", new { body = "Council" }, Ct), HttpStatusCode.Conflict, "signatures", "one authority and one agent");
        var stranger = system.As(await system.TokenAsync("agent", jurisdiction, Guid.NewGuid().ToString()));
        var resident = system.As(await system.TokenAsync("resident", jurisdiction));
        var otherCouncil = system.As(await system.TokenAsync("council", "210102", "concejo-acora"));
        foreach (var (who, expected) in new[] { (clients[raul.Id], HttpStatusCode.Forbidden), (stranger, HttpStatusCode.Forbidden), (resident, HttpStatusCode.Forbidden), (otherCouncil, HttpStatusCode.Forbidden) })
        {
            Assert.Equal(expected, (await who.PostAsJsonAsync($"{path}/acta/signatures", new { contentHash = acta.ContentHash }, Ct)).StatusCode);
        }
        Assert.Empty((await ExpectAsync<ActaDto>(Public.GetAsync($"{path}/acta", Ct), HttpStatusCode.OK)).Signatures);

        // Fifty signatures at once by the same councillor: one is stored.
        var attempts = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => council.PostAsJsonAsync($"{path}/acta/signatures", new { contentHash = acta.ContentHash }, Ct)));
        Assert.Single(attempts, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(attempts.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var once = await ExpectAsync<ActaDto>(Public.GetAsync($"{path}/acta", Ct), HttpStatusCode.OK);
        Assert.Equal([("concejo-puno", "council", 2)], once.Signatures.Select(s => (s.Signer, s.Role, s.Version)));

        // Signed, the acta never changes; with only an authority's signature it is not yet approved.
        await ProblemAsync(admin.PostAsJsonAsync($"{path}/acta", new { number = "ACTA-PP-PUNO-2027-002" }, Ct), HttpStatusCode.Conflict, "acta", "never changes");
        await ProblemAsync(coordination.PostAsJsonAsync($"{path}/acta/approvals", new { body = "CoordinationCouncil" }, Ct), HttpStatusCode.Conflict, "signatures", "one agent");
        var still = await ExpectAsync<ActaDto>(Public.GetAsync($"{path}/acta", Ct), HttpStatusCode.OK);
        Assert.Equal((2, acta.ContentHash), (still.Version, still.ContentHash));

        foreach (var a in present)
        {
            var signed = await ExpectAsync<SignatureDto>(clients[a.Id].PostAsJsonAsync($"{path}/acta/signatures", new { contentHash = acta.ContentHash }, Ct), HttpStatusCode.Created);
            Assert.Equal((a.FullName, true), (signed.Name, signed.IsAgent));
        }
        await ExpectAsync<SignatureDto>(coordination.PostAsJsonAsync($"{path}/acta/signatures", new { contentHash = acta.ContentHash }, Ct), HttpStatusCode.Created);

        // The coordination council approves, then the council: only the second approval formalizes the list.
        Assert.Equal(HttpStatusCode.Forbidden, (await council.PostAsJsonAsync($"{path}/acta/approvals", new { body = "CoordinationCouncil" }, Ct)).StatusCode);
        await ProblemAsync(council.PostAsJsonAsync($"{path}/acta/approvals", new { body = "Mayor" }, Ct), HttpStatusCode.BadRequest, "body", "CoordinationCouncil");
        var half = await ExpectAsync<ActaDto>(coordination.PostAsJsonAsync($"{path}/acta/approvals", new { body = "CoordinationCouncil" }, Ct), HttpStatusCode.OK);
        Assert.False(half.Formalized);
        Assert.NotEqual("Formalized", (await ExpectAsync<CoordinatedListDto>(Public.GetAsync($"{path}/list", Ct), HttpStatusCode.OK)).Status);
        await ProblemAsync(coordination.PostAsJsonAsync($"{path}/acta/approvals", new { body = "CoordinationCouncil" }, Ct), HttpStatusCode.Conflict, "body", "already approved");
        var approved = await ExpectAsync<ActaDto>(council.PostAsJsonAsync($"{path}/acta/approvals", new { body = "Council" }, Ct), HttpStatusCode.OK);
        Assert.True(approved.Formalized);
        Assert.Equal(["CoordinationCouncil", "Council"], approved.Approvals.Select(a => a.Body));
        var formalized = await ExpectAsync<CoordinatedListDto>(Public.GetAsync($"{path}/list", Ct), HttpStatusCode.OK);
        Assert.Equal(("Formalized", "ACTA-PP-PUNO-2027-001"), (formalized.Status, formalized.ActaReference));
        await ProblemAsync(admin.PostAsJsonAsync($"{path}/acta/signatures", new { contentHash = acta.ContentHash }, Ct), HttpStatusCode.Conflict, "acta", "formalized");

        // ListFormalized went through the outbox: the Ministry receives the acta's list under its number.
        await ProcessSteps.AdvanceAsync(admin, story.Process.Id, "Submission", Ct);
        var submission = await Eventually.Get(async () =>
        {
            var r = await admin.GetAsync($"/api/submissions/processes/{story.Process.Id}", Ct);
            var s = r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadFromJsonAsync<SubmissionDto>(Ct) : null;
            return s?.Status == "Delivered" ? s : null;
        }, "the submission to be delivered to the Ministry intake");
        using var ministry = await system.MinistryOfficerAsync();
        var received = (await ministry.GetFromJsonAsync<ReceivedSubmissionDto>($"/api/intake/submissions/{submission.SubmissionId}", Ct))!;
        Assert.Equal(("ACTA-PP-PUNO-2027-001", submission.ContentHash), (received.ActaReference, received.Submission.ContentHash));
        Assert.Equal(list.Projects.Select(p => p.ProposalId), received.Projects.Select(p => p.ProposalId));

        // The printable acta: A4, no script, with the hash, the projects, the committee and every signature.
        using var document = await Public.GetAsync($"{path}/acta/document", Ct);
        Assert.Equal("text/html", document.Content.Headers.ContentType?.MediaType);
        var html = await document.Content.ReadAsStringAsync(Ct);
        Assert.Contains("size: A4", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(acta.ContentHash, html);
        Assert.Contains("Agua potable Chanu Chanu", html);
        Assert.Contains("S/ 800,000.00", html);
        Assert.All(elected.Members, m => Assert.Contains(m.FullName, html));
        Assert.Contains("concejo-puno", html);
        Assert.Contains("ccl-puno", html);
        Assert.DoesNotContain("Pendiente de firma", html);

        // Who signed and who voted is audited; how each agent voted, and any DNI, are nowhere public.
        var oversight = system.As(await system.TokenAsync("oversight", jurisdiction, "comite-puno"));
        var trail = (await oversight.GetFromJsonAsync<List<JsonElement>>($"/api/coordination/audit?processId={story.Process.Id}", Ct))!;
        Assert.Equal(8, trail.Count(e => e.GetProperty("action").GetString() == "acta.signed"));
        Assert.Equal(6, trail.Count(e => e.GetProperty("action").GetString() == "committee.ballot-cast"));
        Assert.Single(trail, e => e.GetProperty("action").GetString() == "list.formalized");
        var published = await Task.WhenAll(new[] { "acta", "committee", "formalization/present" }.Select(p => Public.GetStringAsync($"{path}/{p}", Ct)));
        Assert.All(published.Append(html), body => Assert.All(Enumerable.Range(1, 7), i => Assert.DoesNotContain($"4210100{i}", body)));
    }

    [Fact]
    public async Task An_election_that_breaks_its_size_or_quota_a_second_ballot_and_a_candidate_from_elsewhere_are_refused_with_nothing_changed()
    {
        const string jurisdiction = "210102"; // Acora
        var story = await ProcessStory.OpenAsync(system, jurisdiction, "Presupuesto Participativo Acora 2027", 600_000m, Ct, rules: Rules(committee: 4, womenSeats: 3));
        var agents = await story.AccreditAgentsAsync(
            ("Nélida Ccama Larico", "42102001", "Comunidad Campesina Ccota", "Female"),
            ("Gloria Flores Ari", "42102002", "Club de Madres Acora", "Female"),
            ("Tomás Zapana Coaquira", "42102003", "Junta Vecinal Santa Rosa", "Male"),
            ("Víctor Limachi Paxi", "42102004", "Asociación de Productores Lecheros", "Male"),
            ("Efraín Coila Mamani", "42102005", "Junta Vecinal Central", "Male"));
        var (nelida, gloria, tomas, victor, efrain) = (agents[0], agents[1], agents[2], agents[3], agents[4]);
        await story.StartConcertationAsync();
        var road = await story.ProposeAsync("Trocha carrozable Ccota", 400_000m);
        await story.AssessAsync((road, true, 75m, "Viable"));
        await story.PrioritizeAsync();
        await ProcessSteps.AdvanceAsync(story.Admin, story.Process.Id, "Coordination", Ct);
        await story.CloseCoordinationAsync();
        await ProcessSteps.AdvanceAsync(story.Admin, story.Process.Id, "Formalization", Ct);
        var (admin, path) = (story.Admin, $"/api/coordination/processes/{story.Process.Id}");
        foreach (var a in agents.Take(4))
        {
            await ProcessSteps.UntilAsync(() => admin.PostAsJsonAsync($"{path}/formalization/present", new { agentId = a.Id }, Ct), HttpStatusCode.Created,
                "coordination to know the agent and the Formalization stage");
        }
        async Task<CommitteeDto> Committee() => await ExpectAsync<CommitteeDto>(Public.GetAsync($"{path}/committee", Ct), HttpStatusCode.OK);

        // Candidates reside in the jurisdiction and are accredited here.
        await ProblemAsync(admin.PostAsJsonAsync($"{path}/committee/candidates", new { agentId = nelida.Id, residence = "210201" }, Ct), HttpStatusCode.BadRequest,
            "residence", "not within the jurisdiction 210102");
        await ProblemAsync(admin.PostAsJsonAsync($"{path}/committee/candidates", new { agentId = nelida.Id, residence = "21A" }, Ct), HttpStatusCode.BadRequest, "residence", "six-digit");
        await ProblemAsync(admin.PostAsJsonAsync($"{path}/committee/candidates", new { agentId = Guid.NewGuid() }, Ct), HttpStatusCode.Conflict, "agentId", "Not an accredited agent");
        Assert.Empty((await Committee()).Candidates);

        foreach (var a in new[] { nelida, gloria, tomas })
        {
            await ExpectAsync<CandidateDto>(admin.PostAsJsonAsync($"{path}/committee/candidates", new { agentId = a.Id, residence = jurisdiction }, Ct), HttpStatusCode.Created);
        }
        await ProblemAsync(admin.PostAsJsonAsync($"{path}/committee/candidates", new { agentId = tomas.Id }, Ct), HttpStatusCode.Conflict, "agentId", "already a candidate");
        var nelidaClient = await AgentAsync(jurisdiction, nelida.Id);
        // Three candidates for four seats: neither a ballot nor the count.
        await ProblemAsync(nelidaClient.PostAsJsonAsync($"{path}/committee/ballots", new { candidates = new[] { nelida.Id } }, Ct), HttpStatusCode.Conflict, "candidates", "3 candidate(s) for 4 seats");
        await ProblemAsync(admin.PostAsync($"{path}/committee/closure", null, Ct), HttpStatusCode.Conflict, "candidates", "3 candidate(s) for 4 seats");

        await ExpectAsync<CandidateDto>(admin.PostAsJsonAsync($"{path}/committee/candidates", new { agentId = victor.Id }, Ct), HttpStatusCode.Created);
        var all = agents.Select(a => a.Id).ToArray();
        await ProblemAsync(nelidaClient.PostAsJsonAsync($"{path}/committee/ballots", new { candidates = all }, Ct), HttpStatusCode.BadRequest, "candidates", "from 1 to 4");
        await ProblemAsync(nelidaClient.PostAsJsonAsync($"{path}/committee/ballots", new { candidates = new[] { gloria.Id, gloria.Id } }, Ct), HttpStatusCode.BadRequest, "candidates[1]", "twice");
        // Efraín is accredited but not recorded present: he does not vote.
        Assert.Equal(HttpStatusCode.Forbidden, (await (await AgentAsync(jurisdiction, efrain.Id)).PostAsJsonAsync($"{path}/committee/ballots", new { candidates = new[] { efrain.Id } }, Ct)).StatusCode);
        Assert.Equal(0, (await Committee()).Ballots);

        // Twenty ballots at once from one agent: one counts.
        var attempts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            nelidaClient.PostAsJsonAsync($"{path}/committee/ballots", new { candidates = new[] { nelida.Id, gloria.Id } }, Ct)));
        Assert.Single(attempts, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(attempts.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var voting = await Committee();
        Assert.Equal(("Voting", 1), (voting.Status, voting.Ballots));

        // The first ballot closed the nominations; two women cannot fill the three seats the quota reserves.
        await ProblemAsync(admin.PostAsJsonAsync($"{path}/committee/candidates", new { agentId = efrain.Id }, Ct), HttpStatusCode.Conflict, "agentId", "Nominations closed");
        await ProblemAsync(admin.PostAsync($"{path}/committee/closure", null, Ct), HttpStatusCode.Conflict, "quota", "Women quota reserves 3");
        var unchanged = await Committee();
        Assert.Equal(("Voting", 4, 1), (unchanged.Status, unchanged.Candidates.Count, unchanged.Ballots));
        Assert.Empty(unchanged.Members);

        // Nothing to sign or approve before the acta; the committee's seats are elected, never assigned in registration.
        var council = system.As(await system.TokenAsync("council", jurisdiction, "concejo-acora"));
        await ProblemAsync(council.PostAsJsonAsync($"{path}/acta/signatures", new { contentHash = new string('0', 64) }, Ct), HttpStatusCode.Conflict, "acta", "not been drawn up");
        await ProblemAsync(council.PostAsJsonAsync($"{path}/acta/approvals", new { body = "Council" }, Ct), HttpStatusCode.Conflict, "acta", "not been drawn up");
        await ProblemAsync(admin.PostAsJsonAsync($"{path}/acta", new { number = "ACTA-ACORA-001" }, Ct), HttpStatusCode.Conflict, "finalVote", "after the final vote");
        await ProblemAsync(admin.PostAsJsonAsync($"/api/registration/processes/{story.Process.Id}/seats", new { body = "OversightCommittee", agentId = nelida.Id }, Ct),
            HttpStatusCode.BadRequest, "body", "elected by the agents");
        // A quota larger than the committee, or a committee under the law's four members, is refused when the process opens.
        await ProblemAsync(admin.PostAsJsonAsync("/api/registration/processes", ProcessStory.OpenRequest("Presupuesto Participativo Acora 2028", 600_000m, rules: Rules(committee: 4, womenSeats: 5)), Ct),
            HttpStatusCode.BadRequest, "rules.quotas[0].minimumSeats", "From 1 to 4");
        await ProblemAsync(admin.PostAsJsonAsync("/api/registration/processes", ProcessStory.OpenRequest("Presupuesto Participativo Acora 2028", 600_000m, rules: Rules(committee: 3, womenSeats: 1)), Ct),
            HttpStatusCode.BadRequest, "rules.oversightCommitteeSize", "at least four");
    }

    [Fact]
    public async Task The_portal_shows_the_signed_acta_its_hash_and_the_elected_committee_and_the_process_page_links_to_it()
    {
        const string jurisdiction = "210109"; // Pichacani
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(90));
            await system.App.ResourceNotifications.WaitForResourceHealthyAsync("portal", timeout.Token);
        }
        var story = await ProcessStory.OpenAsync(system, jurisdiction, "Presupuesto Participativo Pichacani 2027", 700_000m, Ct);
        await story.AccreditAndTrainAsync(ProcessStory.Neighbours("421090"));
        await story.StartConcertationAsync();
        var water = await story.ProposeAsync("Agua potable Laraqueri", 350_000m);
        var bridge = await story.ProposeAsync("Puente peatonal Jatucachi", 250_000m);
        await story.AssessAsync((water, true, 88m, "Viable"), (bridge, true, 70m, "Viable"));
        await story.PrioritizeAsync();
        await ProcessSteps.AdvanceAsync(story.Admin, story.Process.Id, "Coordination", Ct);
        await story.CloseCoordinationAsync();
        await ProcessSteps.AdvanceAsync(story.Admin, story.Process.Id, "Formalization", Ct);
        var acta = await story.FormalizeAsync("ACTA-PP-PICHACANI-2027-004");
        var committee = await ExpectAsync<CommitteeDto>(Public.GetAsync($"/api/coordination/processes/{story.Process.Id}/committee", Ct), HttpStatusCode.OK);
        var gateway = system.Gateway.BaseAddress!;

        await browser.CheckAsync(gateway, $"/procesos/{story.Process.Id}", "proceso-con-acta", async page =>
        {
            var link = page.Locator("#acta-link");
            Assert.Equal($"/procesos/{story.Process.Id}/acta", await link.GetAttributeAsync("href"));
        });
        await browser.CheckAsync(gateway, $"/procesos/{story.Process.Id}/acta", "acta-firmada", async page =>
        {
            Assert.Equal("Acta de Acuerdos y Compromisos", await Seen(page.Locator("h1")));
            Assert.Equal("ACTA-PP-PICHACANI-2027-004", await Seen(page.Locator("#acta-number")));
            Assert.Equal(acta.ContentHash, await Seen(page.Locator("#acta-hash")));
            Assert.Equal("Aprobada: lista formalizada", await Seen(page.Locator("#acta-status")));
            Assert.Equal([water.Title, bridge.Title], await page.Locator("#acta-projects tbody th[scope=row]").AllInnerTextsAsync());
            Assert.Matches(@"Total\s+S/ 600,000\.00", await Seen(page.Locator("#acta-projects tfoot")));
            var signatures = await page.Locator("#acta-signatures li").AllInnerTextsAsync();
            Assert.Equal(acta.Signatures.Count, signatures.Count);
            Assert.Contains(signatures, s => s.Contains("Luz Condori Mamani", StringComparison.Ordinal) && s.Contains("agente participante", StringComparison.Ordinal));
            Assert.Contains(signatures, s => s.Contains("Concejo", StringComparison.Ordinal));
            Assert.Equal(0, await page.Locator("#acta-pending").CountAsync());
            Assert.Equal(committee.Members.Select(m => m.FullName), await page.Locator("#committee-members tbody th[scope=row]").AllInnerTextsAsync());
            var approvals = await Seen(page.Locator("#acta-approvals"));
            Assert.Contains("Consejo de Coordinación: aprobó", approvals);
            Assert.Contains("Concejo: aprobó", approvals);
            Assert.Equal(0, await page.Locator("script").CountAsync());
        });
        await browser.CheckAsync(gateway, $"/procesos/{Guid.NewGuid()}/acta", "acta-proceso-desconocido", _ => Task.CompletedTask, status: 404);
    }

    private static async Task<string> Seen(ILocator locator) => (await locator.InnerTextAsync()).Replace('\u00A0', ' ').Trim();
}
