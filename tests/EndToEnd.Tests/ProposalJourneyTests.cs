using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using PBServices.Grpc.Ministry;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// The walking skeleton's path, through the gateway only: a process opens, an agent is accredited and
/// proposes, the technical team assesses, the list is prioritised within the ceiling, coordination
/// formalizes it, and the signed submission reaches the Ministry's intake.
/// </summary>
public sealed class ProposalJourneyTests(SystemFixture system)
{
    private const string Jurisdiction = "180300"; // the province of Ilo, Moquegua (ubigeo)

    [Fact]
    public async Task A_proposal_crosses_every_hand_off_and_reaches_the_ministry_intake_signed_and_unchanged()
    {
        var ct = TestContext.Current.CancellationToken;
        // Registration: open the process; an organisation registers its representative, who is found eligible and accredited.
        var story = await ProcessStory.OpenAsync(system, Jurisdiction, "Presupuesto Participativo Ilo 2027", 1_000_000m, ct, level: "province");
        var process = story.Process;
        var admin = story.Admin;
        var agent = (await story.AccreditAndTrainAsync([.. ProcessStory.Neighbours("401234").Take(4), ("María Quispe Mamani", "40123456", "Federación de Mujeres de Ilo")]))[^1];
        // Preparation closes with the accredited list; Concertation opens for proposals.
        await ProcessSteps.AdvanceAsync(admin, process.Id, "Concertation", ct);

        // Deliberation learns of the process and the accreditation from events, then takes proposals.
        var agentClient = system.As(await system.TokenAsync("agent", Jurisdiction, agent.Id.ToString()));
        var proposals = new List<ProposalDto>();
        foreach (var (title, cost) in new[] { ("Agua potable Pampa Inalámbrica", 600_000m), ("Pistas y veredas El Algarrobal", 500_000m), ("Posta médica Miramar", 300_000m) })
        {
            var submitted = await Eventually.Get(async () =>
            {
                var r = await agentClient.PostAsJsonAsync($"/api/deliberation/processes/{process.Id}/proposals",
                    new { title, description = "Proyecto priorizado en el taller de diagnóstico", cost, location = "Ilo", beneficiaries = 2500, planObjective = "OE2 Servicios básicos" }, ct);
                return r.StatusCode == HttpStatusCode.Created ? await r.Content.ReadFromJsonAsync<ProposalDto>(ct) : null;
            }, "deliberation to accept a proposal from the accredited agent");
            proposals.Add(submitted);
        }

        // Technical assessment receives ProposalSubmitted; the assessor scores each one.
        var assessor = system.As(await system.TokenAsync("technical-team", Jurisdiction, "ing-rosa"));
        var scores = new Dictionary<string, decimal> { ["Agua potable Pampa Inalámbrica"] = 70m, ["Pistas y veredas El Algarrobal"] = 90m, ["Posta médica Miramar"] = 80m };
        await Eventually.Get(async () =>
        {
            var queue = await assessor.GetFromJsonAsync<List<AssessmentDto>>($"/api/assessment/queue?processId={process.Id}", ct);
            return queue!.Count == 3 ? queue : null;
        }, "the three proposals in the technical team's queue");
        foreach (var p in proposals)
        {
            var recommended = await assessor.PostAsJsonAsync($"/api/assessment/proposals/{p.Id}/recommendation",
                new { viable = true, score = scores[p.Title], reasons = "Viable: competencia provincial, costo razonable" }, ct);
            Assert.Equal(HttpStatusCode.OK, recommended.StatusCode);
        }

        // Deliberation sees AssessmentCompleted; the list is prioritised within the ceiling.
        await Eventually.Get(async () =>
        {
            var seen = await admin.GetFromJsonAsync<List<ProposalDto>>($"/api/deliberation/processes/{process.Id}/proposals", ct);
            return seen!.All(p => p.Status == "Viable") ? seen : null;
        }, "deliberation to record the three assessments");
        // Officials double-clicking, or two of them at once: the database lets exactly one list exist.
        var attempts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => admin.PostAsync($"/api/deliberation/processes/{process.Id}/prioritized-list", null, ct)));
        var prioritized = Assert.Single(attempts, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(attempts.Where(r => r != prioritized), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var list = (await prioritized.Content.ReadFromJsonAsync<PrioritizedListDto>(ct))!;
        // Greedy by score: Pistas (90, 500k) then Posta (80, 300k); Agua (70, 600k) no longer fits 1,000,000.
        Assert.Equal(["Pistas y veredas El Algarrobal", "Posta médica Miramar"], list.Projects.Select(p => p.Title));
        Assert.Equal(800_000m, list.TotalCost);

        // Coordination receives the list; the levels coordinate; at the formalization workshop the agents approve it,
        // elect the oversight committee and sign the acta with the authorities, and both councils approve it.
        await ProcessSteps.AdvanceAsync(admin, process.Id, "Coordination", ct);
        await story.CloseCoordinationAsync();
        await ProcessSteps.AdvanceAsync(admin, process.Id, "Formalization", ct);
        var acta = await story.FormalizeAsync("ACTA-PP-2027-014");
        Assert.Equal(list.Projects.Select(p => p.ProposalId), acta.Content.GetProperty("projects").EnumerateArray().Select(p => p.GetProperty("proposalId").GetGuid()));
        var formalized = (await admin.GetFromJsonAsync<CoordinatedListDto>($"/api/coordination/processes/{process.Id}/list", ct))!;
        Assert.Equal(("Formalized", "ACTA-PP-2027-014"), (formalized.Status, formalized.ActaReference));

        // The signed package waits for the Submission stage; then it is delivered and the status is queryable.
        await ProcessSteps.AdvanceAsync(admin, process.Id, "Submission", ct);
        var submission = await Eventually.Get(async () =>
        {
            var r = await admin.GetAsync($"/api/submissions/processes/{process.Id}", ct);
            if (r.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }
            var s = await r.Content.ReadFromJsonAsync<SubmissionDto>(ct);
            return s!.Status == "Delivered" ? s : null;
        }, "the submission to be delivered to the Ministry intake");
        Assert.StartsWith("MEF-", submission.IntakeReceipt);
        Assert.Equal(800_000m, submission.TotalCost);

        // What the Ministry's intake (its own deployment) recorded is exactly the formalized list, under the same hash and receipt.
        using var ministry = await system.MinistryOfficerAsync();
        var received = (await ministry.GetFromJsonAsync<ReceivedSubmissionDto>($"/api/intake/submissions/{submission.SubmissionId}", ct))!;
        Assert.Equal((submission.IntakeReceipt, Jurisdiction, submission.ContentHash, process.Id, "Province"),
            (received.Submission.Receipt, received.Submission.Jurisdiction, received.Submission.ContentHash, received.Submission.ProcessId, received.Submission.Level));
        Assert.Equal("ACTA-PP-2027-014", received.ActaReference);
        Assert.Equal(list.Projects.Select(p => (p.ProposalId, p.Cost, p.Rank)), received.Projects.Select(p => (p.ProposalId, p.Cost, p.Rank)));

        // An integrator, with client credentials, reads the same status over gRPC through the gateway.
        var token = await system.Gateway.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "demo-integrator", ["client_secret"] = SystemFixture.IntegratorSecret,
        }), ct);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        var integratorToken = (await token.Content.ReadFromJsonAsync<SystemFixture.TokenResponse>(ct))!.access_token;
        var query = new SubmissionQuery.SubmissionQueryClient(system.GatewayGrpc);
        var reply = await query.GetSubmissionAsync(new GetSubmissionRequest { ProcessId = process.Id.ToString() },
            new Metadata { { "authorization", $"Bearer {integratorToken}" } }, cancellationToken: ct);
        Assert.Equal("Delivered", reply.Status);
        Assert.Equal(submission.ContentHash, reply.ContentHash);
        Assert.Equal("800000.00", reply.TotalCost);
        Assert.Equal(2, reply.Projects.Count);

        // The Ministry decides per project; the decisions stream back to this deployment and show beside the submission.
        var (pistas, posta) = (list.Projects[0], list.Projects[1]);
        Assert.Equal(HttpStatusCode.Created, (await ministry.PostAsJsonAsync($"/api/intake/submissions/{submission.SubmissionId}/decisions",
            new { proposalId = pistas.ProposalId, decision = "Approved", approvedAmount = pistas.Cost }, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await ministry.PostAsJsonAsync($"/api/intake/submissions/{submission.SubmissionId}/decisions",
            new { proposalId = posta.ProposalId, decision = "Rejected", reason = "Sin estudio de preinversión viable en el Banco de Inversiones" }, ct)).StatusCode);
        var decided = await Eventually.Get(async () =>
        {
            var s = await system.Gateway.GetFromJsonAsync<SubmissionDto>($"/api/submissions/processes/{process.Id}", ct);
            return s!.Projects.All(p => p.Decision is not null) ? s : null;
        }, "the Ministry's decisions to reach the deployment");
        Assert.Equal(("Approved", pistas.Cost), (decided.Projects[0].Decision!.Decision, decided.Projects[0].Decision!.ApprovedAmount));
        Assert.Equal(("Rejected", 0m, "Sin estudio de preinversión viable en el Banco de Inversiones"),
            (decided.Projects[1].Decision!.Decision, decided.Projects[1].Decision!.ApprovedAmount, decided.Projects[1].Decision!.Reason));

        // Integrators read the same decisions over gRPC (streamed) and over plain HTTP (JSON transcoding), through the gateway.
        using var stream = query.ListDecisions(new ListDecisionsRequest { ProcessId = process.Id.ToString() },
            new Metadata { { "authorization", $"Bearer {integratorToken}" } }, cancellationToken: ct);
        var streamed = new List<ProjectDecisionReply>();
        await foreach (var d in stream.ResponseStream.ReadAllAsync(ct))
        {
            streamed.Add(d);
        }
        Assert.Equal([(pistas.ProposalId.ToString(), "Approved"), (posta.ProposalId.ToString(), "Rejected")],
            streamed.OrderBy(d => d.ProposalId == pistas.ProposalId.ToString() ? 0 : 1).Select(d => (d.ProposalId, d.Decision)));
        var integrator = system.As(integratorToken);
        var transcoded = await integrator.GetAsync($"/v1/submissions/{process.Id}", ct);
        Assert.Equal(HttpStatusCode.OK, transcoded.StatusCode);
        var json = await transcoded.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(submission.ContentHash, json.GetProperty("contentHash").GetString());
        Assert.Equal(["Approved", "Rejected"], json.GetProperty("projects").EnumerateArray().Select(p => p.GetProperty("decision").GetString()));
    }
}
