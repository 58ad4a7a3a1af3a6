using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using PBServices.Grpc.Oversight;
using static PBServices.EndToEnd.Tests.Answers;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// Oversight as a committee lives it: the formalized list arrives with the committee it elected; the government side
/// records the budget and the works, the committee sees what is overdue, asks, gets answers and escalates; and anyone
/// reads the same figures without signing in.
/// </summary>
public sealed class OversightTests(SystemFixture system)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Jurisdiction = "020101";

    private static async Task<JsonElement> Json(Task<HttpResponseMessage> send, HttpStatusCode expected = HttpStatusCode.OK) =>
        await ExpectAsync<JsonElement>(send, expected);

    private static object Milestone(string kind, int? progress, decimal committed, decimal spent, string? overspendReason = null) =>
        new { kind, date = ProcessStory.TodayInLima, progress, committed, spent, overspendReason, note = $"Informe de {kind}" };

    [Fact]
    public async Task The_committee_follows_each_agreed_project_into_the_budget_and_through_its_works()
    {
        var story = await ProcessStory.OpenAsync(system, Jurisdiction, "Presupuesto Participativo Huaraz 2027", 1_000_000m, Ct);
        await story.AccreditAndTrainAsync(ProcessStory.Neighbours("402101"));
        await story.StartConcertationAsync();
        var water = await story.ProposeAsync("Agua potable Los Olivos", 600_000m);
        var school = await story.ProposeAsync("Aulas I.E. 86019", 300_000m);
        var park = await story.ProposeAsync("Losa deportiva Challhua", 100_000m);
        await story.AssessAsync((water, true, 90m, "Viable"), (school, true, 80m, "Viable"), (park, true, 70m, "Viable"));
        await story.PrioritizeAsync();
        await ProcessSteps.AdvanceAsync(story.Admin, story.Process.Id, "Coordination", Ct);
        // The neighbours of Los Olivos give 30% of the water works in labour.
        var council = system.As(await system.TokenAsync("coordination-council", Jurisdiction, $"ccl-{Jurisdiction}"));
        await ProcessSteps.UntilAsync(() => council.PutAsJsonAsync($"/api/coordination/processes/{story.Process.Id}/items/{water.Id}/cofinancing", new
        {
            reason = "Acta de compromiso con la junta vecinal",
            shares = new object[]
            {
                new { partyKind = "Government", party = "Municipalidad Provincial de Huaraz", processId = story.Process.Id, contribution = "Money", amount = 420_000m },
                new { partyKind = "Community", party = "Junta vecinal Los Olivos", contribution = "Labour", amount = 180_000m },
            },
        }, Ct), HttpStatusCode.OK, "coordination to hold the list");
        await story.CloseCoordinationAsync();
        await ProcessSteps.AdvanceAsync(story.Admin, story.Process.Id, "Formalization", Ct);
        await story.FormalizeAsync("ACTA-PP-HUARAZ-2027-001");

        // Oversight holds the formalized list and the committee the agents elected.
        var process = await Eventually.Get(async () =>
        {
            var r = await system.Gateway.GetAsync($"/api/oversight/processes/{story.Process.Id}", Ct);
            var p = r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadFromJsonAsync<JsonElement>(Ct) : default;
            return r.StatusCode == HttpStatusCode.OK && p.GetProperty("projects").GetArrayLength() == 3 ? (JsonElement?)p : null;
        }, "oversight to receive the formalized list");
        var p0 = process!.Value;
        Assert.Equal("ACTA-PP-HUARAZ-2027-001", p0.GetProperty("actaReference").GetString());
        Assert.Equal(5, p0.GetProperty("committee").GetArrayLength());
        Assert.Equal(1_000_000m, p0.GetProperty("agreed").GetDecimal());
        Assert.All(p0.GetProperty("projects").EnumerateArray(), p => Assert.Equal("Agreed", p.GetProperty("status").GetString()));

        var member = system.As(await system.TokenAsync("oversight", Jurisdiction, story.Agents[0].Id.ToString()));
        var stranger = system.As(await system.TokenAsync("oversight", Jurisdiction, Guid.NewGuid().ToString()));
        var agent = system.As(await system.TokenAsync("agent", Jurisdiction, story.Agents[1].Id.ToString()));
        var otherAdmin = system.As(await system.TokenAsync("process-admin", "020102"));
        var alertsPath = $"/api/oversight/processes/{story.Process.Id}/alerts";

        // The budget deadline passed yesterday with nothing recorded: the committee and the PB office see all three overdue.
        var settings = $"/api/oversight/processes/{story.Process.Id}/settings";
        var yesterday = ProcessStory.TodayInLima.AddDays(-1);
        await Json(story.Admin.PutAsJsonAsync(settings, new { budgetDeadline = yesterday, answerDays = 10, staleDays = 30, termEnds = new DateOnly(DateTime.UtcNow.Year + 1, 12, 31) }, Ct));
        var alerts = await Json(member.GetAsync(alertsPath, Ct));
        Assert.Equal(3, alerts.EnumerateArray().Count(a => a.GetProperty("kind").GetString() == "NotInBudget"));
        Assert.Equal(3, (await Json(story.Admin.GetAsync(alertsPath, Ct))).GetArrayLength());
        await ProblemAsync(stranger.GetAsync(alertsPath, Ct), HttpStatusCode.Forbidden, null, null);
        await ProblemAsync(agent.GetAsync(alertsPath, Ct), HttpStatusCode.Forbidden, null, null);

        // The PIA includes the water works and the sports slab; the classrooms are left out, with the reason the committee reads.
        await ProblemAsync(story.Admin.PostAsJsonAsync($"/api/oversight/projects/{water.Id}/budget", new { included = true, budgetCode = "24-567", amount = 420_000m }, Ct),
            HttpStatusCode.BadRequest, "budgetCode", "seven-digit");
        await Json(story.Admin.PostAsJsonAsync($"/api/oversight/projects/{water.Id}/budget", new { included = true, budgetCode = "2456789", amount = 420_000m }, Ct));
        await Json(story.Admin.PostAsJsonAsync($"/api/oversight/projects/{park.Id}/budget", new { included = true, budgetCode = "2456790", amount = 100_000m }, Ct));
        await ProblemAsync(story.Admin.PostAsJsonAsync($"/api/oversight/projects/{school.Id}/budget", new { included = false }, Ct), HttpStatusCode.BadRequest, "reason", "left out");
        await Json(story.Admin.PostAsJsonAsync($"/api/oversight/projects/{school.Id}/budget", new { included = false, reason = "Sin saldo tras la reducción de transferencias del canon" }, Ct));
        var overdue = await Json(member.GetAsync(alertsPath, Ct));
        var left = Assert.Single(overdue.EnumerateArray());
        Assert.Equal(("NotInBudget", school.Id), (left.GetProperty("kind").GetString(), left.GetProperty("proposalId").GetGuid()));
        Assert.Contains("Sin saldo tras la reducción", left.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // With the deadline still ahead nothing is overdue yet: the clock, not the entry, makes the alert.
        await Json(story.Admin.PutAsJsonAsync(settings, new { budgetDeadline = ProcessStory.TodayInLima.AddDays(1), answerDays = 10, staleDays = 30, termEnds = new DateOnly(DateTime.UtcNow.Year + 1, 12, 31) }, Ct));
        Assert.Equal(0, (await Json(member.GetAsync(alertsPath, Ct))).GetArrayLength());

        // Progress is the government side's to report: not the committee's, an agent's, or another municipality's; nothing is recorded for them.
        var milestones = $"/api/oversight/projects/{water.Id}/milestones";
        await ProblemAsync(member.PostAsJsonAsync(milestones, Milestone("WorksStart", 5, 300_000m, 50_000m), Ct), HttpStatusCode.Forbidden, null, null);
        await ProblemAsync(agent.PostAsJsonAsync(milestones, Milestone("WorksStart", 5, 300_000m, 50_000m), Ct), HttpStatusCode.Forbidden, null, null);
        await ProblemAsync(otherAdmin.PostAsJsonAsync(milestones, Milestone("WorksStart", 5, 300_000m, 50_000m), Ct), HttpStatusCode.Forbidden, null, null);
        Assert.Equal(0, (await Json(system.Gateway.GetAsync($"/api/oversight/projects/{water.Id}", Ct))).GetProperty("milestones").GetArrayLength());

        await Json(story.Admin.PostAsJsonAsync(milestones, Milestone("TechnicalFile", 0, 0m, 0m), Ct));
        await Json(story.Admin.PostAsJsonAsync(milestones, Milestone("Tender", 0, 300_000m, 0m), Ct));
        await ProblemAsync(story.Admin.PostAsJsonAsync(milestones, Milestone("Tender", 0, 300_000m, 0m), Ct), HttpStatusCode.Conflict, "kind", "already recorded");
        await Json(story.Admin.PostAsJsonAsync(milestones, Milestone("WorksStart", 5, 300_000m, 50_000m), Ct));
        var waterNow = await Json(story.Admin.PostAsJsonAsync(milestones, Milestone("Progress", 40, 420_000m, 150_000m), Ct));
        Assert.Equal((40, 150_000m, "InExecution"), (waterNow.GetProperty("project").GetProperty("progress").GetInt32(),
            waterNow.GetProperty("project").GetProperty("spent").GetDecimal(), waterNow.GetProperty("project").GetProperty("status").GetString()));
        await ProblemAsync(story.Admin.PostAsJsonAsync(milestones, Milestone("Progress", 30, 420_000m, 150_000m), Ct), HttpStatusCode.BadRequest, "progress", "never goes back");

        // The slab costs more than agreed: spending beyond S/ 100,000 is refused until its reason is recorded, and the reason is public.
        var slab = $"/api/oversight/projects/{park.Id}/milestones";
        await Json(story.Admin.PostAsJsonAsync(slab, Milestone("Tender", 0, 120_000m, 0m), Ct));
        await Json(story.Admin.PostAsJsonAsync(slab, Milestone("WorksStart", 10, 120_000m, 90_000m), Ct));
        await ProblemAsync(story.Admin.PostAsJsonAsync(slab, Milestone("Progress", 90, 120_000m, 110_000m), Ct), HttpStatusCode.BadRequest, "overspendReason", "beyond the agreed");
        await Json(story.Admin.PostAsJsonAsync(slab, Milestone("Progress", 90, 120_000m, 110_000m, "Mayor metrado de concreto por el suelo arcilloso (adenda 02)"), Ct));
        // Twelve officers reporting its completion at once record it once.
        var completions = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => story.Admin.PostAsJsonAsync(slab, Milestone("Completion", 100, 120_000m, 118_000m, "Liquidación de obra"), Ct)));
        Assert.Equal(1, completions.Count(c => c.StatusCode == HttpStatusCode.OK));
        Assert.All(completions.Where(c => c.StatusCode != HttpStatusCode.OK), c => Assert.Equal(HttpStatusCode.Conflict, c.StatusCode));
        var slabDetail = await Json(system.Gateway.GetAsync($"/api/oversight/projects/{park.Id}", Ct));
        Assert.Single(slabDetail.GetProperty("milestones").EnumerateArray(), m => m.GetProperty("kind").GetString() == "Completion");
        Assert.Contains(slabDetail.GetProperty("milestones").EnumerateArray(), m => m.GetProperty("overspendReason").GetString() == "Mayor metrado de concreto por el suelo arcilloso (adenda 02)");
        Assert.Equal("Completed", slabDetail.GetProperty("project").GetProperty("status").GetString());

        // The community's labour is recorded against what it agreed; a party that agreed nothing is refused.
        var contributions = $"/api/oversight/projects/{water.Id}/contributions";
        await ProblemAsync(story.Admin.PostAsJsonAsync(contributions, new { partyKind = "Community", party = "Otra junta", contribution = "Labour", amount = 10_000m, date = ProcessStory.TodayInLima }, Ct),
            HttpStatusCode.BadRequest, "party", "Not a share");
        var delivered = await Json(story.Admin.PostAsJsonAsync(contributions, new { partyKind = "Community", party = "Junta vecinal Los Olivos", contribution = "Labour", amount = 60_000m, date = ProcessStory.TodayInLima, note = "Faenas de zanjeo, 400 jornales" }, Ct));
        var labour = Assert.Single(delivered.GetProperty("cofinancing").EnumerateArray(), s => s.GetProperty("partyKind").GetString() == "Community");
        Assert.Equal((180_000m, 60_000m), (labour.GetProperty("agreed").GetDecimal(), labour.GetProperty("delivered").GetDecimal()));
        // Executed by a civil-society organisation under its agreement, with the evidence attached.
        await Json(story.Admin.PutAsJsonAsync($"/api/oversight/projects/{water.Id}/executor", new { kind = "Organisation", organisation = "Asociación de Vivienda Los Olivos", agreement = "Convenio 014-2027-MPH" }, Ct));
        using var form = new MultipartFormDataContent { { new StringContent("Acta de inicio de obra"), "description" }, { new ByteArrayContent(ProcessStory.Pdf("inicio de obra")), "file", "inicio.pdf" } };
        var evidence = await Json(story.Admin.PostAsync($"/api/oversight/projects/{water.Id}/evidence", form, Ct), HttpStatusCode.Created);
        Assert.Equal(ProcessStory.Pdf("inicio de obra"), await system.Gateway.GetByteArrayAsync(evidence.GetProperty("url").GetString(), Ct));

        // The classrooms are postponed: who decided and why, always.
        var changes = $"/api/oversight/projects/{school.Id}/changes";
        await ProblemAsync(story.Admin.PostAsJsonAsync(changes, new { kind = "Postponed", reason = "Sin saldo", postponedTo = DateTime.UtcNow.Year + 2 }, Ct), HttpStatusCode.BadRequest, "decidedBy", "Required");
        await Json(story.Admin.PostAsJsonAsync(changes, new { kind = "Postponed", decidedBy = "Concejo Municipal, Acuerdo 031-2027", reason = "Sin saldo tras la reducción del canon", postponedTo = DateTime.UtcNow.Year + 2 }, Ct));

        // The committee asks; only its members may; the PB office answers; a member escalates it to the council, once.
        var findings = $"/api/oversight/processes/{story.Process.Id}/findings";
        var request = new { kind = "InformationRequest", proposalId = school.Id, text = "¿Con qué saldo se ejecutarán las aulas en el año siguiente?" };
        await ProblemAsync(stranger.PostAsJsonAsync(findings, request, Ct), HttpStatusCode.Forbidden, null, null);
        await ProblemAsync(story.Admin.PostAsJsonAsync(findings, request, Ct), HttpStatusCode.Forbidden, null, null);
        var raised = await Json(member.PostAsJsonAsync(findings, request, Ct), HttpStatusCode.Created);
        var findingId = raised.GetProperty("id").GetGuid();
        Assert.Equal(10, (raised.GetProperty("answerDue").GetDateTimeOffset() - raised.GetProperty("raisedAt").GetDateTimeOffset()).TotalDays, 3);
        await ProblemAsync(member.PostAsJsonAsync($"/api/oversight/findings/{findingId}/answers", new { text = "Respuesta" }, Ct), HttpStatusCode.Forbidden, null, null);
        await Json(story.Admin.PostAsJsonAsync($"/api/oversight/findings/{findingId}/answers", new { text = "Se priorizará en el PIA 2029 con recursos ordinarios." }, Ct));
        var escalated = await Json(member.PostAsJsonAsync($"/api/oversight/findings/{findingId}/escalation", new { reason = "La respuesta no asegura el financiamiento" }, Ct));
        Assert.Equal("Aulas I.E. 86019", escalated.GetProperty("projectTitle").GetString());
        Assert.Single(escalated.GetProperty("answers").EnumerateArray());
        await ProblemAsync(member.PostAsJsonAsync($"/api/oversight/findings/{findingId}/escalation", new { reason = "Otra vez" }, Ct), HttpStatusCode.Conflict, "findingId", "Already escalated");
        var councilRead = system.As(await system.TokenAsync("council", Jurisdiction, $"concejo-{Jurisdiction}"));
        Assert.Equal("La respuesta no asegura el financiamiento",
            Assert.Single((await Json(councilRead.GetAsync(findings, Ct))).EnumerateArray()).GetProperty("escalationReason").GetString());
        await ProblemAsync(system.Gateway.GetAsync(findings, Ct), HttpStatusCode.Unauthorized, null, null);

        // Anyone reads the same figures without a token: as JSON and as CSV, per year and per project.
        var year = DateTime.UtcNow.Year + 1;
        var report = await Json(system.Gateway.GetAsync($"/api/oversight/progress?jurisdiction={Jurisdiction}&fiscalYear={year}", Ct));
        var y = Assert.Single(report.GetProperty("years").EnumerateArray());
        Assert.Equal((1_000_000m, 520_000m, 540_000m, 268_000m),
            (y.GetProperty("agreed").GetDecimal(), y.GetProperty("budgeted").GetDecimal(), y.GetProperty("committed").GetDecimal(), y.GetProperty("spent").GetDecimal()));
        var projects = Assert.Single(y.GetProperty("processes").EnumerateArray()).GetProperty("projects").EnumerateArray().ToList();
        Assert.Equal(["InExecution", "Postponed", "Completed"], projects.Select(p => p.GetProperty("status").GetString()));
        Assert.Equal("Asociación de Vivienda Los Olivos", projects[0].GetProperty("executingOrganisation").GetString());
        var csv = (await system.Gateway.GetStringAsync($"/api/oversight/progress.csv?jurisdiction={Jurisdiction}&fiscalYear={year}", Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, csv.Length);
        Assert.Contains("Agua potable Los Olivos,600000.00,600000.00,2456789,420000.00,420000.00,150000.00,40,InExecution,Asociación de Vivienda Los Olivos", csv[1], StringComparison.Ordinal);
        Assert.Contains("Sin saldo tras la reducción de transferencias del canon", csv[2], StringComparison.Ordinal);
        // Integrators read the same over gRPC.
        var integrator = new Metadata { { "Authorization", $"Bearer {await system.TokenAsync("integrator", Jurisdiction)}" } };
        var grpc = new ProgressQuery.ProgressQueryClient(system.GatewayGrpc);
        var progress = await grpc.GetProcessProgressAsync(new GetProcessProgressRequest { ProcessId = story.Process.Id.ToString() }, integrator, cancellationToken: Ct);
        Assert.Equal(("1000000.00", "520000.00", "268000.00"), (progress.Agreed, progress.Budgeted, progress.Spent));
        using var listed = grpc.ListProjects(new ListProjectsRequest { Jurisdiction = Jurisdiction, FiscalYear = year }, integrator, cancellationToken: Ct);
        var streamed = new List<ProjectProgress>();
        while (await listed.ResponseStream.MoveNext(Ct))
        {
            streamed.Add(listed.ResponseStream.Current);
        }
        Assert.Equal(projects.Select(p => p.GetProperty("spent").GetDecimal().ToString("F2", System.Globalization.CultureInfo.InvariantCulture)), streamed.Select(p => p.Spent));
        // No officer's identity is in the public reads.
        var publicText = report.GetRawText() + slabDetail.GetRawText();
        Assert.DoesNotContain($"pp-{Jurisdiction}", publicText, StringComparison.Ordinal);

        // Every write is in the audit trail, under the role it was made in.
        var trail = await Json(story.Admin.GetAsync($"/api/oversight/audit?processId={story.Process.Id}", Ct));
        var actions = trail.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        foreach (var action in new[] { "oversight.settings-set", "budget.included", "budget.left-out", "milestone.recorded", "contribution.recorded", "project.executor-set",
                     "evidence.attached", "project.changed", "finding.raised", "finding.answered", "finding.escalated" })
        {
            Assert.Contains(action, actions);
        }
    }

    [Fact]
    public async Task Bad_input_to_oversight_is_refused_by_field_and_an_unknown_project_is_404()
    {
        var admin = system.As(await system.TokenAsync("process-admin", Jurisdiction));
        await ProblemAsync(admin.PostAsJsonAsync($"/api/oversight/projects/{Guid.NewGuid()}/budget", new { included = true, budgetCode = "2456789", amount = 1m }, Ct), HttpStatusCode.NotFound, null, null);
        await ProblemAsync(system.Gateway.GetAsync("/api/oversight/progress?jurisdiction=12", Ct), HttpStatusCode.BadRequest, "jurisdiction", "six-digit");
        await ProblemAsync(system.Gateway.GetAsync("/api/oversight/progress?fiscalYear=3000", Ct), HttpStatusCode.BadRequest, "fiscalYear", "between");
        await ProblemAsync(system.Gateway.GetAsync($"/api/oversight/processes/{Guid.NewGuid()}", Ct), HttpStatusCode.NotFound, null, null);
    }
}
