using System.Net;
using System.Net.Http.Json;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// Every service keeps the process's stage from StageAdvanced and refuses, with a 409 naming the stage,
/// what that stage does not allow; the same actions succeed once the process is in their stage.
/// </summary>
public sealed class StageEnforcementTests(SystemFixture system)
{
    [Fact]
    public async Task Each_service_refuses_what_the_stage_forbids_and_accepts_it_in_its_stage()
    {
        var ct = TestContext.Current.CancellationToken;
        const string jurisdiction = "240101"; // Tumbes
        var story = await ProcessStory.OpenAsync(system, jurisdiction, "Presupuesto Participativo Tumbes", 1_000_000m, ct);
        var (process, admin) = (story.Process, story.Admin);
        var agent = (await story.AccreditAndTrainAsync([.. ProcessStory.Neighbours("423456").Take(4), ("Ana Mamani Ticona", "42345678", "Junta Vecinal Alto de la Alianza")]))[^1];
        var resident = system.As(await system.TokenAsync("resident", jurisdiction));
        var proposer = system.As(await system.TokenAsync("agent", jurisdiction, agent.Id.ToString()));
        Task<HttpResponseMessage> Propose() => proposer.PostAsJsonAsync($"/api/deliberation/processes/{process.Id}/proposals", ProcessSteps.Proposal("Agua potable Ciudad Nueva", 400_000m), ct);
        Task<HttpResponseMessage> DrawUpActa() => admin.PostAsJsonAsync($"/api/coordination/processes/{process.Id}/acta", new { number = "ACTA-TUMBES-001" }, ct);

        // Preparation: deliberation, once it knows the process and the agent, refuses proposals.
        await AssertRefusedInStageAsync(await ProcessSteps.UntilAsync(Propose, HttpStatusCode.Conflict, "deliberation to refuse a proposal in Preparation"), "Preparation");

        // Concertation: registration closes, proposals open, the technical team assesses, the list is prioritised.
        await ProcessSteps.AdvanceAsync(admin, process.Id, "Concertation", ct);
        await AssertRefusedInStageAsync(await resident.PostAsJsonAsync($"/api/registration/processes/{process.Id}/applications",
            new { organisationId = Guid.NewGuid(), channel = "Online", agents = new[] { new { role = "Representative", dni = "42345679", fullName = "Pedro Quispe", gender = "Male", birthYear = 1975 } } }, ct), "Concertation");
        var proposal = (await (await ProcessSteps.UntilAsync(Propose, HttpStatusCode.Created, "deliberation to accept a proposal in Concertation"))
            .Content.ReadFromJsonAsync<ProposalDto>(ct))!;
        var assessor = system.As(await system.TokenAsync("technical-team", jurisdiction, "ing-tacna"));
        await ProcessSteps.UntilAsync(() => assessor.PostAsJsonAsync($"/api/assessment/proposals/{proposal.Id}/recommendation",
            new { viable = true, score = 80m, reasons = "Viable: brecha de agua priorizada" }, ct), HttpStatusCode.OK, "the technical team to assess in Concertation");
        await ProcessSteps.UntilAsync(() => admin.PostAsync($"/api/deliberation/processes/{process.Id}/prioritized-list", null, ct), HttpStatusCode.Created,
            "deliberation to prioritise once the assessment arrived");
        // Coordination has the list, but the acta belongs to the Formalization stage.
        await AssertRefusedInStageAsync(await ProcessSteps.UntilAsync(DrawUpActa, HttpStatusCode.Conflict, "coordination to receive the list"), "Concertation");

        // Coordination: no more proposals; still no formalization.
        await ProcessSteps.AdvanceAsync(admin, process.Id, "Coordination", ct);
        // Until deliberation has the StageAdvanced event it still takes proposals, as the stage it knows allows:
        // probe with one it would refuse for its cost (400) until the stage answers first (409), then try a real one.
        await ProcessSteps.UntilAsync(() => proposer.PostAsJsonAsync($"/api/deliberation/processes/{process.Id}/proposals", ProcessSteps.Proposal("Sin costo", 0m), ct),
            HttpStatusCode.Conflict, "deliberation to learn of the Coordination stage");
        await AssertRefusedInStageAsync(await Propose(), "Coordination");
        await story.CloseCoordinationAsync();

        // Formalization: the workshop formalizes the list with its signed acta; the signed package waits for the Submission stage.
        await ProcessSteps.AdvanceAsync(admin, process.Id, "Formalization", ct);
        await story.FormalizeAsync("ACTA-TUMBES-001");
        var pending = await Eventually.Get(async () =>
        {
            var r = await admin.GetAsync($"/api/submissions/processes/{process.Id}", ct);
            return r.IsSuccessStatusCode ? await r.Content.ReadFromJsonAsync<SubmissionDto>(ct) : null;
        }, "the signed package to be stored");
        Assert.Equal("Pending", pending.Status);
        // Several delivery polls pass (every 2 s) and the package is still held back.
        await Task.Delay(TimeSpan.FromSeconds(5), ct);
        Assert.Equal("Pending", (await admin.GetFromJsonAsync<SubmissionDto>($"/api/submissions/processes/{process.Id}", ct))!.Status);

        await ProcessSteps.AdvanceAsync(admin, process.Id, "Submission", ct);
        var delivered = await Eventually.Get(async () =>
        {
            var s = await admin.GetFromJsonAsync<SubmissionDto>($"/api/submissions/processes/{process.Id}", ct);
            return s!.Status == "Delivered" ? s : null;
        }, "the submission to be delivered once the process is in Submission");
        Assert.StartsWith("MEF-", delivered.IntakeReceipt);
    }

    [Fact]
    public async Task The_technical_team_cannot_assess_once_Concertation_has_closed()
    {
        var ct = TestContext.Current.CancellationToken;
        var (process, admin, agent) = await ProcessSteps.OpenInConcertationAsync(system, "240102", 1_000_000m, ct);
        var proposal = (await (await ProcessSteps.UntilAsync(
            () => agent.PostAsJsonAsync($"/api/deliberation/processes/{process.Id}/proposals", ProcessSteps.Proposal("Losa deportiva Pocollay", 200_000m), ct),
            HttpStatusCode.Created, "deliberation to accept the proposal")).Content.ReadFromJsonAsync<ProposalDto>(ct))!;
        var assessor = system.As(await system.TokenAsync("technical-team", "240102", "ing-pocollay"));
        await Eventually.Get(async () =>
        {
            var r = await assessor.GetAsync($"/api/assessment/proposals/{proposal.Id}", ct);
            return r.IsSuccessStatusCode ? "queued" : null;
        }, "the proposal in the technical team's queue");

        await ProcessSteps.AdvanceAsync(admin, process.Id, "Coordination", ct);

        // A recommendation it would refuse for its score (400) probes, without effect, until the stage answers first (409).
        await ProcessSteps.UntilAsync(() => assessor.PostAsJsonAsync($"/api/assessment/proposals/{proposal.Id}/recommendation",
            new { viable = true, score = 150m, reasons = "Viable" }, ct), HttpStatusCode.Conflict, "technical assessment to learn of the Coordination stage");
        var refused = await assessor.PostAsJsonAsync($"/api/assessment/proposals/{proposal.Id}/recommendation", new { viable = true, score = 70m, reasons = "Viable" }, ct);
        await AssertRefusedInStageAsync(refused, "Coordination");
        var still = (await assessor.GetFromJsonAsync<AssessmentDto>($"/api/assessment/proposals/{proposal.Id}", ct))!;
        Assert.Equal("Pending", still.Status);
    }

    private static async Task AssertRefusedInStageAsync(HttpResponseMessage response, string stage)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemDto>())!;
        Assert.Contains($"the process is in {stage}", problem.Detail);
        Assert.True(problem.Errors!.ContainsKey("stage"), "the problem names the stage as the field");
    }
}
