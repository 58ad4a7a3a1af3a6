using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

using static PBServices.EndToEnd.Tests.Answers;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// The technical team's work through the gateway: a lead assigns, the member answers the checklist on the whole
/// proposal and recommends by it, deliberation follows; who may work an assignment, what an incomplete checklist
/// refuses, an observed proposal's history across versions, and the team's queues. Jurisdictions 200101–200109.
/// </summary>
public sealed class AssessmentChecklistTests(SystemFixture system)
{
    public sealed record ChecklistDto(string? PreInvestment, string? CostFinding, decimal? AdjustedCost, string? CostJustification, bool? AlignedWithPlan, string? AlignmentNote,
        string? Competence, string? Duplication, Guid? DuplicateOfProposal, string? DuplicateOfProject, string? DuplicationNote, bool Complete, string? Missing);
    public sealed record AssessmentDto(Guid ProposalId, Guid ProcessId, string Title, decimal Cost, string Status, int Version, string? Recommendation, decimal? AdjustedCost,
        decimal? Score, string? Reasons, string? Observations, string? Description, string? Location, int? Beneficiaries, string? PlanObjective, bool Assigned,
        DateTimeOffset? AssignedAt, string? AssignedTo, ChecklistDto? Checklist, DateOnly? ConcertationEnds, bool Overdue);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object Checklist(string costFinding = "AsProposed", decimal? adjustedCost = null, string? costJustification = null, string? competence = "District",
        string duplication = "None", Guid? duplicateOfProposal = null, string? duplicationNote = null) => new
    {
        preInvestment = "ProfileInPreparation", viabilityNote = "Ficha técnica en elaboración por la OPMI", costFinding, adjustedCost, costJustification,
        alignedWithPlan = true, alignmentNote = "OE2 del PDC: servicios básicos", competence, duplication, duplicateOfProposal, duplicationNote,
    };

    private async Task<(ProcessStory Story, HttpClient Lead, HttpClient Member, HttpClient Other)> OpenAsync(string jurisdiction, string name)
    {
        var story = await ProcessStory.OpenAsync(system, jurisdiction, name, 2_000_000m, Ct);
        await story.AccreditAgentAsync("Rosa Chunga Yarlequé", $"47{jurisdiction}", $"Comité vecinal {jurisdiction}");
        await story.StartConcertationAsync();
        return (story, system.As(await system.TokenAsync("technical-team-lead", jurisdiction, $"jefe-equipo-{jurisdiction}")),
            system.As(await system.TokenAsync("technical-team", jurisdiction, $"ing-a-{jurisdiction}")),
            system.As(await system.TokenAsync("technical-team", jurisdiction, $"ing-b-{jurisdiction}")));
    }

    private static string Path(Guid proposalId, string what = "") => $"/api/assessment/proposals/{proposalId}{what}";

    [Fact]
    public async Task A_lead_assigns_the_member_answers_the_checklist_and_the_recommendation_at_its_adjusted_cost_reaches_deliberation()
    {
        const string jurisdiction = "200101";
        var (story, lead, member, _) = await OpenAsync(jurisdiction, "Presupuesto Participativo Piura 2027");
        var water = await story.ProposeAsync("Agua potable AA.HH. Los Algarrobos", 600_000m);
        await ProposalVersionTests.QueuedAsync(member, story, water.Id, version: 1);

        // The whole proposal is in view.
        var seen = await member.GetFromJsonAsync<AssessmentDto>(Path(water.Id), Ct);
        Assert.Equal(("Propuesta del taller de diagnóstico", "Centro poblado", (int?)1200, "OE2 Servicios básicos"), (seen!.Description, seen.Location, seen.Beneficiaries, seen.PlanObjective));

        // A member does not assign; the lead does, and reassigns while pending; both are on the audit trail.
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsJsonAsync(Path(water.Id, "/assignment"), new { assignee = $"ing-a-{jurisdiction}" }, Ct)).StatusCode);
        await ProblemAsync(lead.PostAsJsonAsync(Path(water.Id, "/assignment"), new { assignee = " " }, Ct), HttpStatusCode.BadRequest, "assignee", "Required");
        await ExpectAsync<AssessmentDto>(lead.PostAsJsonAsync(Path(water.Id, "/assignment"), new { assignee = $"ing-b-{jurisdiction}" }, Ct), HttpStatusCode.OK);
        var assigned = await ExpectAsync<AssessmentDto>(lead.PostAsJsonAsync(Path(water.Id, "/assignment"), new { assignee = $"ing-a-{jurisdiction}" }, Ct), HttpStatusCode.OK);
        Assert.Equal(($"ing-a-{jurisdiction}", true), (assigned.AssignedTo, assigned.Assigned));

        // Saved partially first, then whole with the adjusted cost and its justification.
        var partial = await ExpectAsync<AssessmentDto>(member.PutAsJsonAsync(Path(water.Id, "/checklist"), new { preInvestment = "NoStudy" }, Ct), HttpStatusCode.OK);
        Assert.Equal((false, "costFinding"), (partial.Checklist!.Complete, partial.Checklist.Missing));
        const string justification = "Precios de referencia de la EPS Grau para conexiones domiciliarias";
        var whole = await ExpectAsync<AssessmentDto>(member.PutAsJsonAsync(Path(water.Id, "/checklist"),
            Checklist("Adjusted", 540_000m, justification), Ct), HttpStatusCode.OK);
        Assert.Equal((true, "ProfileInPreparation", (decimal?)540_000m), (whole.Checklist!.Complete, whole.Checklist.PreInvestment, whole.Checklist.AdjustedCost));

        // Plain Viable disagrees with the checklist's adjustment; ViableAtAdjustedCost takes the checklist's cost.
        await ProblemAsync(member.PostAsJsonAsync(Path(water.Id, "/recommendation"), new { recommendation = "Viable", score = 80m, reasons = "Viable" }, Ct),
            HttpStatusCode.Conflict, "recommendation", "ViableAtAdjustedCost");
        var done = await ExpectAsync<AssessmentDto>(member.PostAsJsonAsync(Path(water.Id, "/recommendation"),
            new { recommendation = "ViableAtAdjustedCost", score = 82m, reasons = "Viable con el costo de referencia de la EPS" }, Ct), HttpStatusCode.OK);
        Assert.Equal(("Completed", (decimal?)540_000m), (done.Status, done.AdjustedCost));
        await ProblemAsync(lead.PostAsJsonAsync(Path(water.Id, "/assignment"), new { assignee = $"ing-b-{jurisdiction}" }, Ct), HttpStatusCode.Conflict, "proposalId", "already been assessed");

        var proposal = await Eventually.Get(async () =>
        {
            var p = await system.Gateway.GetFromJsonAsync<ProposalVersionTests.ProposalDetailDto>($"/api/deliberation/processes/{story.Process.Id}/proposals/{water.Id}", Ct);
            return p!.Status == "Viable" ? p : null;
        }, "deliberation to record the assessment");
        Assert.Equal((540_000m, "ViableAtAdjustedCost"), (proposal.EffectiveCost, proposal.Assessment!.Recommendation));

        // The public read shows the checklist but not who the member is.
        var published = await system.Gateway.GetFromJsonAsync<AssessmentDto>(Path(water.Id), Ct);
        Assert.Equal((true, (string?)null, justification), (published!.Assigned, published.AssignedTo, published.Checklist!.CostJustification));
        var oversight = system.As(await system.TokenAsync("oversight", jurisdiction, $"comite-{jurisdiction}"));
        var trail = (await oversight.GetFromJsonAsync<List<JsonElement>>($"/api/assessment/audit?processId={story.Process.Id}", Ct))!;
        Assert.Equal(["assessment.assigned", "assessment.reassigned", "assessment.checklist-saved", "assessment.checklist-saved", "assessment.completed"],
            trail.Select(e => e.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task A_member_who_is_not_the_assignee_is_refused_and_nothing_changes()
    {
        const string jurisdiction = "200102";
        var (story, lead, member, other) = await OpenAsync(jurisdiction, "Presupuesto Participativo Castilla 2027");
        var road = await story.ProposeAsync("Pistas y veredas Jr. Cusco", 300_000m);
        await ProposalVersionTests.QueuedAsync(member, story, road.Id, version: 1);
        await ExpectAsync<AssessmentDto>(lead.PostAsJsonAsync(Path(road.Id, "/assignment"), new { assignee = $"ing-a-{jurisdiction}" }, Ct), HttpStatusCode.OK);

        await ProblemAsync(other.PutAsJsonAsync(Path(road.Id, "/checklist"), Checklist(), Ct), HttpStatusCode.Forbidden, null, null);
        await ProblemAsync(other.PostAsJsonAsync(Path(road.Id, "/recommendation"), new { viable = true, score = 70m, reasons = "Viable" }, Ct), HttpStatusCode.Forbidden, null, null);
        var unchanged = await member.GetFromJsonAsync<AssessmentDto>(Path(road.Id), Ct);
        Assert.Equal(("Pending", (ChecklistDto?)null), (unchanged!.Status, unchanged.Checklist));

        // The lead may work it too.
        var byLead = await ExpectAsync<AssessmentDto>(lead.PutAsJsonAsync(Path(road.Id, "/checklist"), Checklist(), Ct), HttpStatusCode.OK);
        Assert.True(byLead.Checklist!.Complete);
    }

    [Fact]
    public async Task An_incomplete_or_inconsistent_checklist_is_refused_naming_the_field_and_nothing_changes()
    {
        const string jurisdiction = "200103";
        var (story, lead, member, _) = await OpenAsync(jurisdiction, "Presupuesto Participativo Catacaos 2027");
        var market = await story.ProposeAsync("Techado del mercado de Catacaos", 400_000m);
        var other = await story.ProposeAsync("Mercado de abastos de Catacaos", 450_000m);
        await ProposalVersionTests.QueuedAsync(member, story, market.Id, version: 1);
        await ProposalVersionTests.QueuedAsync(member, story, other.Id, version: 1);
        await ExpectAsync<AssessmentDto>(lead.PostAsJsonAsync(Path(market.Id, "/assignment"), new { assignee = $"ing-a-{jurisdiction}" }, Ct), HttpStatusCode.OK);

        // Assigned: no recommendation without the checklist, nor with it half answered.
        await ProblemAsync(member.PostAsJsonAsync(Path(market.Id, "/recommendation"), new { viable = true, score = 70m, reasons = "Viable" }, Ct),
            HttpStatusCode.Conflict, "checklist.preInvestment", "not complete");
        await ExpectAsync<AssessmentDto>(member.PutAsJsonAsync(Path(market.Id, "/checklist"), Checklist(competence: null), Ct), HttpStatusCode.OK);
        await ProblemAsync(member.PostAsJsonAsync(Path(market.Id, "/recommendation"), new { viable = true, score = 70m, reasons = "Viable" }, Ct),
            HttpStatusCode.Conflict, "checklist.competence", "not complete");

        // Inconsistent answers: an adjustment without justification, a duplicate of nothing known, an unknown status.
        await ProblemAsync(member.PutAsJsonAsync(Path(market.Id, "/checklist"), Checklist("Adjusted", 380_000m), Ct), HttpStatusCode.BadRequest, "costJustification", "Required");
        await ProblemAsync(member.PutAsJsonAsync(Path(market.Id, "/checklist"), Checklist(duplication: "Proposal", duplicateOfProposal: Guid.NewGuid(), duplicationNote: "Mismo mercado"), Ct),
            HttpStatusCode.BadRequest, "duplicateOfProposal", "not a proposal of this process");
        await ProblemAsync(member.PutAsJsonAsync(Path(market.Id, "/checklist"), new { preInvestment = "Tal vez" }, Ct), HttpStatusCode.BadRequest, "preInvestment", "Not a valid value");
        var unchanged = await member.GetFromJsonAsync<AssessmentDto>(Path(market.Id), Ct);
        Assert.Equal(("Pending", "competence", (decimal?)null), (unchanged!.Status, unchanged.Checklist!.Missing, unchanged.Checklist.AdjustedCost));
        Assert.Equal("Submitted", (await system.Gateway.GetFromJsonAsync<ProposalVersionTests.ProposalDetailDto>(
            $"/api/deliberation/processes/{story.Process.Id}/proposals/{market.Id}", Ct))!.Status);

        // A duplicate of the other proposal is viable only with reasons naming it; the event carries it.
        await ExpectAsync<AssessmentDto>(member.PutAsJsonAsync(Path(market.Id, "/checklist"),
            Checklist(duplication: "Proposal", duplicateOfProposal: other.Id, duplicationNote: "Ambas techan el mismo mercado"), Ct), HttpStatusCode.OK);
        await ProblemAsync(member.PostAsJsonAsync(Path(market.Id, "/recommendation"), new { viable = true, score = 70m, reasons = "Viable" }, Ct),
            HttpStatusCode.BadRequest, "reasons", "name it");
        await ExpectAsync<AssessmentDto>(member.PostAsJsonAsync(Path(market.Id, "/recommendation"),
            new { viable = true, score = 70m, reasons = $"Viable; se fusiona con la propuesta {other.Id} en la priorización" }, Ct), HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_observed_proposal_revised_by_its_proposer_is_queued_whole_and_the_history_shows_both_versions()
    {
        const string jurisdiction = "200104";
        var (story, lead, member, _) = await OpenAsync(jurisdiction, "Presupuesto Participativo La Arena 2027");
        var pier = await story.ProposeAsync("Desembarcadero artesanal", 700_000m);
        await ProposalVersionTests.QueuedAsync(member, story, pier.Id, version: 1);
        await ExpectAsync<AssessmentDto>(lead.PostAsJsonAsync(Path(pier.Id, "/assignment"), new { assignee = $"ing-a-{jurisdiction}" }, Ct), HttpStatusCode.OK);
        await ExpectAsync<AssessmentDto>(member.PutAsJsonAsync(Path(pier.Id, "/checklist"), Checklist(), Ct), HttpStatusCode.OK);
        await ProblemAsync(member.PostAsJsonAsync(Path(pier.Id, "/recommendation"), new { recommendation = "Observed", score = 0m, reasons = "Observada" }, Ct),
            HttpStatusCode.BadRequest, "observations", "Required");
        const string observations = "Presente el estudio de demanda de la cámara de frío";
        await ExpectAsync<AssessmentDto>(member.PostAsJsonAsync(Path(pier.Id, "/recommendation"),
            new { recommendation = "Observed", score = 0m, reasons = "Falta sustentar la demanda", observations }, Ct), HttpStatusCode.OK);
        var pierPath = $"/api/deliberation/processes/{story.Process.Id}/proposals/{pier.Id}";
        await Eventually.Get(async () => (await system.Gateway.GetFromJsonAsync<ProposalVersionTests.ProposalDetailDto>(pierPath, Ct))!.Status == "Observed" ? "ok" : null,
            "deliberation to record the observation");

        const string description = "Desembarcadero con cámara de frío de 20 t según el estudio de demanda";
        await ExpectAsync<ProposalVersionTests.ProposalDetailDto>(story.Agent.PutAsJsonAsync(pierPath, ProposalVersionTests.Whole("Desembarcadero artesanal", 650_000m, description), Ct),
            HttpStatusCode.OK);
        var queued = await ProposalVersionTests.QueuedAsync(member, story, pier.Id, version: 2);
        var second = await member.GetFromJsonAsync<AssessmentDto>(Path(pier.Id), Ct);
        Assert.Equal((2, 650_000m, description, false, (ChecklistDto?)null), (second!.Version, second.Cost, second.Description, second.Assigned, second.Checklist));
        Assert.Equal(650_000m, queued.Cost);

        // Unassigned again, the member may work it directly.
        await ExpectAsync<AssessmentDto>(member.PutAsJsonAsync(Path(pier.Id, "/checklist"), Checklist(), Ct), HttpStatusCode.OK);
        await ExpectAsync<AssessmentDto>(member.PostAsJsonAsync(Path(pier.Id, "/recommendation"),
            new { recommendation = "Viable", score = 70m, reasons = "Subsanada la observación", version = 2 }, Ct), HttpStatusCode.OK);

        var history = (await system.Gateway.GetFromJsonAsync<List<AssessmentDto>>(Path(pier.Id, "/history"), Ct))!;
        Assert.Equal([(1, 700_000m, "Observed", (string?)observations, true), (2, 650_000m, "Viable", null, false)],
            history.Select(h => (h.Version, h.Cost, h.Recommendation!, h.Observations, h.Assigned)));
        Assert.All(history, h => Assert.True(h.Checklist!.Complete));
        Assert.All(history, h => Assert.Null(h.AssignedTo));
        Assert.Equal("Propuesta del taller de diagnóstico", history[0].Description);
    }

    [Fact]
    public async Task The_queues_show_pending_work_the_callers_own_and_none_overdue_while_Concertation_lasts()
    {
        const string jurisdiction = "200105";
        var (story, lead, member, other) = await OpenAsync(jurisdiction, "Presupuesto Participativo Sullana 2027");
        var first = await story.ProposeAsync("Alumbrado público Bellavista", 200_000m);
        var second = await story.ProposeAsync("Parque de Sullana Norte", 150_000m);
        var third = await story.ProposeAsync("Losa deportiva Cieneguillo", 120_000m);
        foreach (var p in new[] { first, second, third })
        {
            await ProposalVersionTests.QueuedAsync(member, story, p.Id, version: 1);
        }
        await ExpectAsync<AssessmentDto>(lead.PostAsJsonAsync(Path(first.Id, "/assignment"), new { assignee = $"ing-a-{jurisdiction}" }, Ct), HttpStatusCode.OK);
        await ExpectAsync<AssessmentDto>(lead.PostAsJsonAsync(Path(second.Id, "/assignment"), new { assignee = $"ing-b-{jurisdiction}" }, Ct), HttpStatusCode.OK);
        await ProposalVersionTests.RecommendAsync(member, third.Id, new { viable = true, score = 60m, reasons = "Viable" });

        async Task<List<AssessmentDto>> Queue(HttpClient who, string? view) =>
            (await who.GetFromJsonAsync<List<AssessmentDto>>($"/api/assessment/queue?processId={story.Process.Id}{(view is null ? "" : $"&view={view}")}", Ct))!;

        Assert.Equal([first.Id, second.Id, third.Id], (await Queue(member, null)).Select(q => q.ProposalId));
        Assert.Equal([first.Id, second.Id], (await Queue(member, "pending")).Select(q => q.ProposalId));
        Assert.Equal([first.Id], (await Queue(member, "mine")).Select(q => q.ProposalId));
        Assert.Equal([second.Id], (await Queue(other, "mine")).Select(q => q.ProposalId));
        Assert.Empty(await Queue(lead, "mine"));
        // Concertation runs until today by the calendar: nothing is overdue yet, and the team sees when it ends.
        Assert.Empty(await Queue(lead, "overdue"));
        var pending = await Queue(lead, "pending");
        Assert.All(pending, q => Assert.Equal((ProcessStory.TodayInLima, false), (q.ConcertationEnds!.Value, q.Overdue)));
        Assert.Equal($"ing-a-{jurisdiction}", pending[0].AssignedTo);
        await ProblemAsync(member.GetAsync($"/api/assessment/queue?view=atrasadas", Ct), HttpStatusCode.BadRequest, "view", "pending, mine or overdue");
    }
}

/// <summary>The proposal page shows each version's checklist, recommendation, adjusted cost, reasons and observations, in a real browser (jurisdiction 200109).</summary>
public sealed class PortalAssessmentTests(SystemFixture system, PortalBrowser browser) : IClassFixture<PortalBrowser>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_proposal_page_shows_the_checklist_and_the_observations_of_each_version_in_Spanish()
    {
        const string jurisdiction = "200109";
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(90));
            await system.App.ResourceNotifications.WaitForResourceHealthyAsync("portal", timeout.Token);
        }
        var story = await ProcessStory.OpenAsync(system, jurisdiction, "Presupuesto Participativo Paita 2027", 2_000_000m, Ct);
        await story.AccreditAgentAsync("Juana Ayala Querevalú", "47200109", "Asociación de pescadores de Paita");
        await story.StartConcertationAsync();
        var lead = system.As(await system.TokenAsync("technical-team-lead", jurisdiction, "jefe-equipo-paita"));
        var member = system.As(await system.TokenAsync("technical-team", jurisdiction, "ing-paita"));
        var pier = await story.ProposeAsync("Desembarcadero pesquero artesanal", 700_000m);
        await ProposalVersionTests.QueuedAsync(member, story, pier.Id, version: 1);
        var path = $"/api/assessment/proposals/{pier.Id}";
        await ExpectAsync<JsonElement>(lead.PostAsJsonAsync($"{path}/assignment", new { assignee = "ing-paita" }, Ct), HttpStatusCode.OK);
        await ExpectAsync<JsonElement>(member.PutAsJsonAsync($"{path}/checklist", new
        {
            preInvestment = "NoStudy", costFinding = "AsProposed", alignedWithPlan = true, competence = "District", duplication = "None",
        }, Ct), HttpStatusCode.OK);
        const string observations = "Presente el estudio de demanda de la cámara de frío y la opinión de la DIREPRO";
        await ExpectAsync<JsonElement>(member.PostAsJsonAsync($"{path}/recommendation", new { recommendation = "Observed", score = 0m, reasons = "Falta sustentar la demanda", observations }, Ct),
            HttpStatusCode.OK);
        var pierPath = $"/api/deliberation/processes/{story.Process.Id}/proposals/{pier.Id}";
        await Eventually.Get(async () => (await system.Gateway.GetFromJsonAsync<ProposalVersionTests.ProposalDetailDto>(pierPath, Ct))!.Status == "Observed" ? "ok" : null,
            "deliberation to record the observation");
        await ExpectAsync<JsonElement>(story.Agent.PutAsJsonAsync(pierPath, ProposalVersionTests.Whole("Desembarcadero pesquero artesanal", 650_000m,
            "Desembarcadero con cámara de frío de 20 t según el estudio de demanda"), Ct), HttpStatusCode.OK);
        await ProposalVersionTests.QueuedAsync(member, story, pier.Id, version: 2);
        const string justification = "Precios de referencia del Ministerio de la Producción para cámaras de frío";
        await ExpectAsync<JsonElement>(member.PutAsJsonAsync($"{path}/checklist", new
        {
            preInvestment = "ProfileApproved", costFinding = "Adjusted", adjustedCost = 620_000m, costJustification = justification, alignedWithPlan = true,
            alignmentNote = "OE3 del PDC: desarrollo económico local", competence = "Province", duplication = "None",
        }, Ct), HttpStatusCode.OK);
        const string reasons = "Viable; competencia provincial compartida, se propone cofinanciarla en la coordinación";
        await ExpectAsync<JsonElement>(member.PostAsJsonAsync($"{path}/recommendation", new { recommendation = "ViableAtAdjustedCost", score = 75m, reasons, version = 2 }, Ct),
            HttpStatusCode.OK);
        await Eventually.Get(async () => (await system.Gateway.GetFromJsonAsync<ProposalVersionTests.ProposalDetailDto>(pierPath, Ct))!.Status == "Viable" ? "ok" : null,
            "deliberation to record the assessment");

        await browser.CheckAsync(system.Gateway.BaseAddress!, $"/procesos/{story.Process.Id}/propuestas/{pier.Id}", "propuesta-revision-tecnica", async page =>
        {
            var second = page.Locator("[data-review='2']");
            Assert.Equal("Ficha técnica o perfil aprobado", await Seen(second.Locator("[data-item='viability'] dd")));
            Assert.Equal($"Ajustado a S/ 620,000.00: {justification}", await Seen(second.Locator("[data-item='cost'] dd")));
            Assert.Equal("Sí — OE3 del PDC: desarrollo económico local", await Seen(second.Locator("[data-item='alignment'] dd")));
            Assert.Equal("Municipalidad provincial", await Seen(second.Locator("[data-item='competence'] dd")));
            Assert.Equal("No duplica otra propuesta ni proyecto", await Seen(second.Locator("[data-item='duplication'] dd")));
            Assert.Equal(0, await second.Locator(".observations").CountAsync());
            var v2 = await Seen(page.Locator("article.version[data-version='2']"));
            Assert.Contains("Viable con costo ajustado", v2);
            Assert.Contains(reasons, v2);
            var first = page.Locator("[data-review='1']");
            Assert.Contains(observations, await Seen(first.Locator(".observations")));
            Assert.Equal("Sin estudio de preinversión", await Seen(first.Locator("[data-item='viability'] dd")));
            Assert.Contains("Asignada a un miembro del equipo técnico", await Seen(first));
            Assert.DoesNotContain("ing-paita", await Seen(page.Locator("main")));
        });
    }

    private static async Task<string> Seen(ILocator locator) => (await locator.InnerTextAsync()).Replace('\u00A0', ' ');
}
