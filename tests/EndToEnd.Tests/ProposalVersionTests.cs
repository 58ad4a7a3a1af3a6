using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using static PBServices.EndToEnd.Tests.Answers;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// A proposal's life through the gateway: the proposer edits it, the technical team observes it, the proposer
/// revises it, it is found viable at an adjusted cost, and the vote and the list use that cost; every version
/// stays readable, a withdrawn proposal is never voted on, and only the proposer changes a proposal.
/// </summary>
public sealed class ProposalVersionTests(SystemFixture system)
{
    public sealed record AssessmentSummaryDto(int Version, string Recommendation, decimal Score, decimal? AdjustedCost, string Reasons);
    public sealed record ProposalDetailDto(Guid Id, Guid ProcessId, int Version, string Title, string Description, decimal Cost, string Location, int Beneficiaries,
        string PlanObjective, string Status, decimal EffectiveCost, AssessmentSummaryDto? Assessment, string? WithdrawalReason);
    public sealed record ListedProposalDto(Guid Id, string Title, decimal Cost, string Status, decimal? Score, int Version, string? Recommendation, decimal? AdjustedCost,
        decimal? EffectiveCost);
    public sealed record VersionAssessmentDto(string Recommendation, decimal Score, decimal? AdjustedCost, string Reasons, DateTimeOffset AssessedAt);
    public sealed record VersionDto(int Version, string Title, string Description, decimal Cost, string Location, int Beneficiaries, string PlanObjective,
        DateTimeOffset CreatedAt, VersionAssessmentDto? Assessment);
    public sealed record QueuedDto(Guid ProposalId, string Status, int Version, decimal Cost, string? Recommendation, decimal? AdjustedCost);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private HttpClient Public => system.Gateway;

    internal static object Whole(string title, decimal cost, string description = "Proyecto priorizado en el taller de diagnóstico") =>
        new { title, description, cost, location = "Centro poblado", beneficiaries = 1200, planObjective = "OE2 Servicios básicos" };

    [Fact]
    public async Task An_observed_proposal_is_revised_reassessed_at_an_adjusted_cost_and_voted_on_at_that_cost_with_every_version_readable()
    {
        const string jurisdiction = "110101";
        var story = await ProcessStory.OpenAsync(system, jurisdiction, "Presupuesto Participativo Santa Rosa de Ocopa 2027", 1_000_000m, Ct);
        var agents = await story.AccreditAgentsAsync(("Elena Tucto Ramírez", "47110101", "Comité vecinal 110101-1"), ("Rosa Huamán Tarazona", "47110102", "Comité vecinal 110101-2"));
        var other = system.As(await system.TokenAsync("agent", jurisdiction, agents[0].Id.ToString()));
        var proposer = story.Agent;
        await TrainAsync(story, [other, proposer]);
        await story.StartConcertationAsync();
        var processPath = $"/api/deliberation/processes/{story.Process.Id}";

        var water = await story.ProposeAsync("Agua potable Chupaca Alta", 400_000m);
        var school = await story.ProposeAsync("Aulas IE 30001", 300_000m);
        var waterPath = $"{processPath}/proposals/{water.Id}";
        var schoolPath = $"{processPath}/proposals/{school.Id}";

        // While it waits for the technical team, the proposer edits it: a new version, the first kept.
        var edited = await ExpectAsync<ProposalDetailDto>(proposer.PatchAsJsonAsync(schoolPath, new { cost = 280_000m }, Ct), HttpStatusCode.OK);
        Assert.Equal((2, 280_000m, "Aulas IE 30001", "Submitted"), (edited.Version, edited.Cost, edited.Title, edited.Status));
        Assert.Equal([(1, 300_000m), (2, 280_000m)], (await VersionsAsync(schoolPath)).Select(v => (v.Version, v.Cost)));

        // Another agent may not; bad input names the field; nothing changes.
        await ProblemAsync(other.PatchAsJsonAsync(waterPath, new { cost = 10_000m }, Ct), HttpStatusCode.Forbidden, null, null);
        await ProblemAsync(other.PutAsJsonAsync(waterPath, Whole("Otra cosa", 10_000m), Ct), HttpStatusCode.Forbidden, null, null);
        await ProblemAsync(proposer.PutAsJsonAsync(waterPath, new { description = "Sin título", cost = 400_000m, location = "Chupaca", beneficiaries = 10, planObjective = "OE2" }, Ct),
            HttpStatusCode.BadRequest, "title", "Required");
        await ProblemAsync(proposer.PatchAsJsonAsync(waterPath, new { beneficiaries = 0 }, Ct), HttpStatusCode.BadRequest, "beneficiaries", "at least one person");
        await ProblemAsync(proposer.PatchAsJsonAsync(waterPath, new { cost = 1_000_000.01m }, Ct), HttpStatusCode.BadRequest, "cost", "budget ceiling");
        await ProblemAsync(proposer.PatchAsJsonAsync(waterPath, new { cost = "mucho" }, Ct), HttpStatusCode.BadRequest, "cost", "Not a valid value");
        Assert.Equal(1, (await Public.GetFromJsonAsync<ProposalDetailDto>(waterPath, Ct))!.Version);

        // The technical team assesses the newest version only: the school's version 2, and observes the water project.
        var assessor = system.As(await system.TokenAsync("technical-team", jurisdiction, $"equipo-tecnico-{jurisdiction}"));
        await QueuedAsync(assessor, story, school.Id, version: 2);
        await QueuedAsync(assessor, story, water.Id, version: 1);
        await ProblemAsync(assessor.PostAsJsonAsync($"/api/assessment/proposals/{school.Id}/recommendation", new { viable = true, score = 70m, reasons = "Viable", version = 1 }, Ct),
            HttpStatusCode.Conflict, "version", "version 2 is the one to assess");
        await ProblemAsync(assessor.PostAsJsonAsync($"/api/assessment/proposals/{water.Id}/recommendation",
            new { recommendation = "ViableAtAdjustedCost", score = 80m, reasons = "Costo subestimado" }, Ct), HttpStatusCode.BadRequest, "adjustedCost", "positive amount");
        await ProblemAsync(assessor.PostAsJsonAsync($"/api/assessment/proposals/{water.Id}/recommendation",
            new { recommendation = "Observed", score = 0m, adjustedCost = 450_000m, reasons = "Falta el estudio de fuente" }, Ct), HttpStatusCode.BadRequest, "adjustedCost", "Only a ViableAtAdjustedCost");
        await ProblemAsync(assessor.PostAsJsonAsync($"/api/assessment/proposals/{water.Id}/recommendation", new { recommendation = "Observed", score = 0m, reasons = "" }, Ct),
            HttpStatusCode.BadRequest, "reasons", "Required");
        await RecommendAsync(assessor, school.Id, new { recommendation = "Viable", score = 70m, reasons = "Brecha de infraestructura educativa", version = 2 });
        const string observation = "Falta el estudio de la fuente de agua y el costo de la línea de conducción";
        await RecommendAsync(assessor, water.Id, new { recommendation = "Observed", score = 0m, reasons = observation, version = 1 });

        var observed = await StatusAsync(waterPath, "Observed");
        Assert.Equal(("Observed", observation, 1), (observed.Assessment!.Recommendation, observed.Assessment.Reasons, observed.Assessment.Version));
        Assert.Equal("Viable", (await StatusAsync(schoolPath, "Viable")).Status);
        // Assessed viable: final; the proposer cannot change it any more.
        await ProblemAsync(proposer.PatchAsJsonAsync(schoolPath, new { cost = 250_000m }, Ct), HttpStatusCode.Conflict, "status", "this one is Viable");

        // The proposer revises the observed proposal by the reasons: version 2, waiting for assessment again.
        var revised = await ExpectAsync<ProposalDetailDto>(proposer.PutAsJsonAsync(waterPath,
            Whole("Agua potable Chupaca Alta", 450_000m, "Captación de manantial con estudio de fuente y 3 km de línea de conducción"), Ct), HttpStatusCode.OK);
        Assert.Equal((2, 450_000m, "Submitted"), (revised.Version, revised.Cost, revised.Status));
        Assert.Null(revised.Assessment);
        await ProblemAsync(other.PostAsJsonAsync($"{waterPath}/withdrawal", new { reason = "No" }, Ct), HttpStatusCode.Forbidden, null, null);

        // The technical team gets the revision as a new assessment and finds it viable at a higher cost.
        var queued = await QueuedAsync(assessor, story, water.Id, version: 2);
        Assert.Equal(450_000m, queued.Cost);
        await RecommendAsync(assessor, water.Id, new { recommendation = "ViableAtAdjustedCost", score = 85m, adjustedCost = 520_000m, reasons = "Viable; el reservorio requiere 520 000", version = 2 });

        var viable = await StatusAsync(waterPath, "Viable");
        Assert.Equal((2, 450_000m, 520_000m), (viable.Version, viable.Cost, viable.EffectiveCost));
        Assert.Equal(("ViableAtAdjustedCost", (decimal?)520_000m, 2, 85m), (viable.Assessment!.Recommendation, viable.Assessment.AdjustedCost, viable.Assessment.Version, viable.Assessment.Score));
        var versions = await VersionsAsync(waterPath);
        Assert.Equal([(1, 400_000m, "Observed", (decimal?)null), (2, 450_000m, "ViableAtAdjustedCost", 520_000m)],
            versions.Select(v => (v.Version, v.Cost, v.Assessment!.Recommendation, v.Assessment.AdjustedCost)));
        Assert.Equal(observation, versions[0].Assessment!.Reasons);
        Assert.Equal("Propuesta del taller de diagnóstico", versions[0].Description);
        var listed = (await Public.GetFromJsonAsync<List<ListedProposalDto>>($"{processPath}/proposals", Ct))!.Single(p => p.Id == water.Id);
        Assert.Equal((450_000m, (decimal?)520_000m, (decimal?)520_000m, "ViableAtAdjustedCost", 2), (listed.Cost, listed.AdjustedCost, listed.EffectiveCost, listed.Recommendation, listed.Version));

        // The vote lists it at the adjusted cost; once open, proposals no longer change.
        var round = await ExpectAsync<VotingTests.RoundDto>(story.Admin.PostAsJsonAsync($"{processPath}/rounds", new { }, Ct), HttpStatusCode.Created);
        Assert.Equal([(water.Id, 520_000m), (school.Id, 280_000m)], round.Projects.Select(p => (p.ProposalId, p.Cost)).OrderByDescending(p => p.Item2));
        await ProblemAsync(proposer.PostAsJsonAsync($"{schoolPath}/withdrawal", new { reason = "Ya no" }, Ct), HttpStatusCode.Conflict, "processId", "vote has opened");
        var roundPath = $"{processPath}/rounds/{round.Id}";
        foreach (var voter in new[] { other, proposer })
        {
            await ExpectAsync<VotingTests.ReceiptDto>(voter.PostAsJsonAsync($"{roundPath}/ballots", new { projects = new[] { water.Id, school.Id } }, Ct), HttpStatusCode.Created);
        }
        var result = await ExpectAsync<VotingTests.ResultDto>(story.Admin.PostAsync($"{roundPath}/closure", null, Ct), HttpStatusCode.OK);
        Assert.Equal(800_000m, result.Spent);
        Assert.Equal(520_000m, result.Projects.Single(p => p.ProposalId == water.Id).Cost);
        var list = await story.PrioritizeAsync();
        Assert.Equal(800_000m, list.TotalCost);
        Assert.Equal(520_000m, list.Projects.Single(p => p.ProposalId == water.Id).Cost);

        // Every change is on the trail, by the proposer.
        var oversight = system.As(await system.TokenAsync("oversight", jurisdiction, "comite-vigilancia-ocopa"));
        var trail = (await oversight.GetFromJsonAsync<List<JsonElement>>($"/api/deliberation/audit?processId={story.Process.Id}", Ct))!;
        var changes = trail.Where(e => e.GetProperty("action").GetString() is "proposal.edited" or "proposal.revised").ToList();
        Assert.Equal(["proposal.edited", "proposal.revised"], changes.Select(e => e.GetProperty("action").GetString()));
        Assert.All(changes, e => Assert.Equal(agents[1].Id.ToString(), e.GetProperty("subject").GetString()));
    }

    [Fact]
    public async Task A_withdrawn_proposal_stays_listed_as_withdrawn_and_the_list_funds_viable_ones_at_their_adjusted_cost()
    {
        const string jurisdiction = "110102";
        var story = await ProcessStory.OpenAsync(system, jurisdiction, "Presupuesto Participativo Huachac 2027", 500_000m, Ct);
        await story.AccreditAgentAsync("Nilda Cabrera Soto", "47110201", "Comité vecinal 110102-1");
        await story.StartConcertationAsync();
        var processPath = $"/api/deliberation/processes/{story.Process.Id}";
        var water = await story.ProposeAsync("Reservorio Huachac", 300_000m);
        var school = await story.ProposeAsync("Aulas IE 31002", 150_000m);
        var kiosk = await story.ProposeAsync("Losa deportiva Huachac", 100_000m);

        var assessor = system.As(await system.TokenAsync("technical-team", jurisdiction, $"equipo-tecnico-{jurisdiction}"));
        foreach (var p in new[] { water, school, kiosk })
        {
            await QueuedAsync(assessor, story, p.Id, version: 1);
        }
        await RecommendAsync(assessor, water.Id, new { viable = true, score = 80m, reasons = "Viable" });
        await RecommendAsync(assessor, school.Id, new { recommendation = "ViableAtAdjustedCost", score = 70m, adjustedCost = 250_000m, reasons = "Requiere cerco perimétrico" });
        await RecommendAsync(assessor, kiosk.Id, new { viable = true, score = 90m, reasons = "Viable" });
        foreach (var p in new[] { water, school, kiosk })
        {
            await StatusAsync($"{processPath}/proposals/{p.Id}", "Viable");
        }

        // The best-scored proposal is withdrawn by its proposer before the list is made.
        await ProblemAsync(story.Agent.PostAsJsonAsync($"{processPath}/proposals/{kiosk.Id}/withdrawal", new { reason = " " }, Ct), HttpStatusCode.BadRequest, "reason", "Required");
        const string reason = "La junta vecinal la construirá con aporte propio";
        var withdrawn = await ExpectAsync<ProposalDetailDto>(story.Agent.PostAsJsonAsync($"{processPath}/proposals/{kiosk.Id}/withdrawal", new { reason }, Ct), HttpStatusCode.OK);
        Assert.Equal(("Withdrawn", reason), (withdrawn.Status, withdrawn.WithdrawalReason));
        await ProblemAsync(story.Agent.PostAsJsonAsync($"{processPath}/proposals/{kiosk.Id}/withdrawal", new { reason }, Ct), HttpStatusCode.Conflict, "status", "already withdrawn");
        await ProblemAsync(story.Agent.PatchAsJsonAsync($"{processPath}/proposals/{kiosk.Id}", new { cost = 90_000m }, Ct), HttpStatusCode.Conflict, "status", "this one is Withdrawn");

        var list = await story.PrioritizeAsync();
        // Greedy by score: the reservoir (300,000); the classrooms at their adjusted 250,000 no longer fit 500,000 (at 150,000 they would have).
        Assert.Equal([(water.Id, 300_000m)], list.Projects.Select(p => (p.ProposalId, p.Cost)));
        Assert.Equal(300_000m, list.TotalCost);
        var proposals = (await Public.GetFromJsonAsync<List<ListedProposalDto>>($"{processPath}/proposals", Ct))!;
        Assert.Equal("Withdrawn", proposals.Single(p => p.Id == kiosk.Id).Status);
        Assert.Equal(("Viable", (decimal?)250_000m), (proposals.Single(p => p.Id == school.Id).Status, proposals.Single(p => p.Id == school.Id).EffectiveCost));
        // The list is made: nothing changes any more.
        await ProblemAsync(story.Agent.PatchAsJsonAsync($"{processPath}/proposals/{school.Id}", new { cost = 90_000m }, Ct), HttpStatusCode.Conflict, "processId", "vote has opened");
    }

    private static async Task TrainAsync(ProcessStory story, HttpClient[] agents)
    {
        var session = await ExpectAsync<JsonElement>(story.Admin.PostAsJsonAsync($"/api/registration/processes/{story.Process.Id}/training-sessions",
            new { date = ProcessStory.TodayInLima.ToString("yyyy-MM-dd"), topic = "Presupuesto participativo y voto", place = "Municipalidad" }, Ct), HttpStatusCode.Created);
        foreach (var agent in agents)
        {
            await ExpectAsync<JsonElement>(agent.PostAsJsonAsync($"/api/registration/processes/{story.Process.Id}/training-sessions/{session.GetProperty("id").GetGuid()}/attendance",
                new { }, Ct), HttpStatusCode.OK);
        }
        foreach (var agent in agents)
        {
            await Eventually.Get(async () =>
            {
                var e = await agent.GetFromJsonAsync<EligibilityTests.EligibilityDto>($"/api/deliberation/processes/{story.Process.Id}/eligibility", Ct);
                return e is { MayVote: true } ? e : null;
            }, "deliberation to learn of the training");
        }
    }

    /// <summary>Waits until the version has reached the technical team's queue, pending.</summary>
    internal static Task<QueuedDto> QueuedAsync(HttpClient assessor, ProcessStory story, Guid proposalId, int version) =>
        Eventually.Get(async () =>
        {
            var queue = await assessor.GetFromJsonAsync<List<QueuedDto>>($"/api/assessment/queue?processId={story.Process.Id}", Ct);
            return queue!.SingleOrDefault(q => q.ProposalId == proposalId) is { Status: "Pending" } q && q.Version == version ? q : null;
        }, $"version {version} of {proposalId} in the technical team's queue");

    internal static async Task RecommendAsync(HttpClient assessor, Guid proposalId, object recommendation) =>
        await ExpectAsync<JsonElement>(assessor.PostAsJsonAsync($"/api/assessment/proposals/{proposalId}/recommendation", recommendation, Ct), HttpStatusCode.OK);

    private Task<ProposalDetailDto> StatusAsync(string path, string status) =>
        Eventually.Get(async () =>
        {
            var p = await Public.GetFromJsonAsync<ProposalDetailDto>(path, Ct);
            return p!.Status == status ? p : null;
        }, $"deliberation to record {path} as {status}");

    private async Task<List<VersionDto>> VersionsAsync(string proposalPath) =>
        (await Public.GetFromJsonAsync<List<VersionDto>>($"{proposalPath}/versions", Ct))!;
}
