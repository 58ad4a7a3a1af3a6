using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

using static PBServices.EndToEnd.Tests.Answers;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// The oversight pages in a real browser, as a resident of Cajamarca (060101) reads them: a formalized list of three
/// projects with its elected committee and the Ministry's decisions; the PB office records the water works in the
/// opening budget (PIA) and their start and progress with amounts, the classrooms left out with the reason, the
/// sidewalks postponed by the council, a community's labour delivered and a signed valuation as evidence. Every figure
/// on the pages is the one GET /api/oversight/progress serves.
/// </summary>
public sealed class PortalOversightTests(SystemFixture system, PortalBrowser browser) : IClassFixture<PortalBrowser>
{
    private const string Jurisdiction = "060101";
    private static readonly CultureInfo Peru = CultureInfo.GetCultureInfo("es-PE");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private Uri Gateway => system.Gateway.BaseAddress!;

    [Fact]
    public async Task A_resident_follows_each_agreed_project_into_the_budget_and_through_the_works_with_the_figures_the_API_serves()
    {
        const string waterTitle = "Agua potable Mollepampa", schoolTitle = "Aulas de la I.E. San Ramón", roadTitle = "Pistas y veredas del jirón Amalia Puga";
        const string leftOut = "El MEF no aprobó el proyecto por falta de expediente técnico; se reformula para el próximo proceso";
        const string decidedBy = "Concejo Municipal de Cajamarca, Acuerdo de Concejo N.º 112-2027";
        const string postponement = "La obra de agua de Mollepampa abre las mismas calles: las veredas se construyen después, para no romperlas dos veces";
        const string community = "Junta Vecinal Mollepampa";
        await WaitForPortalAsync();

        var story = await ProcessStory.OpenAsync(system, Jurisdiction, "Presupuesto Participativo Cajamarca 2027", 1_500_000m, Ct);
        var id = story.Process.Id;
        var admin = story.Admin;
        await story.AccreditAndTrainAsync(ProcessStory.Neighbours("060601"));
        await story.StartConcertationAsync();
        var water = await story.ProposeAsync(waterTitle, 600_000m);
        var school = await story.ProposeAsync(schoolTitle, 400_000m);
        var road = await story.ProposeAsync(roadTitle, 300_000m);
        await story.AssessAsync((water, true, 90m, "Viable"), (school, true, 80m, "Viable"), (road, true, 70m, "Viable"));
        Assert.Equal(1_300_000m, (await story.PrioritizeAsync()).TotalCost);

        // In coordination the neighbours of Mollepampa agree to put 30% of the water works in labour.
        await ProcessSteps.AdvanceAsync(admin, id, "Coordination", Ct);
        var council = system.As(await system.TokenAsync("coordination-council", Jurisdiction, $"consejo-{Jurisdiction}"));
        var shares = new object[]
        {
            new { partyKind = "Government", party = "Municipalidad Provincial de Cajamarca", processId = id, contribution = "Money", amount = 420_000m, commitment = "Expediente técnico y obra" },
            new { partyKind = "Community", party = community, contribution = "Labour", amount = 180_000m, commitment = "Faenas: zanjas y tendido de tubería" },
        };
        await ProcessSteps.UntilAsync(() => council.PutAsJsonAsync($"/api/coordination/processes/{id}/items/{water.Id}/cofinancing",
            new { shares, reason = "Acuerdo con la junta vecinal" }, Ct), HttpStatusCode.OK, "coordination to hold the list in Coordination and take the co-financing");
        await story.CloseCoordinationAsync();
        await ProcessSteps.AdvanceAsync(admin, id, "Formalization", Ct);
        await story.FormalizeAsync("ACTA-PP-CAJ-2027-006");
        await ProcessSteps.AdvanceAsync(admin, id, "Submission", Ct);
        var submission = await Eventually.Get(async () =>
        {
            var r = await admin.GetAsync($"/api/submissions/processes/{id}", Ct);
            var s = r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadFromJsonAsync<SubmissionDto>(Ct) : null;
            return s?.Status == "Delivered" ? s : null;
        }, "the submission to be delivered to the Ministry intake");
        using var ministry = await system.MinistryOfficerAsync();
        await BodyAsync(ministry.PostAsJsonAsync($"/api/intake/submissions/{submission.SubmissionId}/decisions",
            new { proposalId = water.Id, decision = "Approved", approvedAmount = 420_000m }, Ct), HttpStatusCode.Created);
        await BodyAsync(ministry.PostAsJsonAsync($"/api/intake/submissions/{submission.SubmissionId}/decisions",
            new { proposalId = school.Id, decision = "Rejected", reason = "Sin expediente técnico aprobado" }, Ct), HttpStatusCode.Created);

        // Oversight learns the formalized list, its committee and the Ministry's decisions from events.
        await Eventually.Get(async () =>
        {
            var r = await system.Gateway.GetAsync($"/api/oversight/processes/{id}", Ct);
            var p = r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadFromJsonAsync<JsonElement>(Ct) : default;
            return p.ValueKind == JsonValueKind.Object && p.GetProperty("projects").GetArrayLength() == 3
                && p.GetProperty("projects").EnumerateArray().Count(x => x.GetProperty("ministryApproved").ValueKind != JsonValueKind.Null) == 2 ? (object)p : null;
        }, "oversight to follow the formalized list with the Ministry's decisions", TimeSpan.FromSeconds(90));

        // The PB office records what became of each project.
        var today = ProcessStory.TodayInLima.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var projects = "/api/oversight/projects";
        await BodyAsync(admin.PostAsJsonAsync($"{projects}/{water.Id}/budget", new { included = true, budgetCode = "2456781", amount = 420_000m }, Ct), HttpStatusCode.OK);
        await BodyAsync(admin.PostAsJsonAsync($"{projects}/{school.Id}/budget", new { included = false, reason = leftOut }, Ct), HttpStatusCode.OK);
        await BodyAsync(admin.PostAsJsonAsync($"{projects}/{water.Id}/milestones",
            new { kind = "WorksStart", date = today, progress = 5, committed = 300_000m, spent = 60_000m, note = "Entrega del terreno al contratista" }, Ct), HttpStatusCode.OK);
        await BodyAsync(admin.PostAsJsonAsync($"{projects}/{water.Id}/milestones",
            new { kind = "Progress", date = today, progress = 45, committed = 380_000m, spent = 171_000.50m, note = "Valorización n.º 2: línea de conducción tendida" }, Ct), HttpStatusCode.OK);
        await BodyAsync(admin.PostAsJsonAsync($"{projects}/{water.Id}/contributions",
            new { partyKind = "Community", party = community, contribution = "Labour", amount = 54_000m, date = today, note = "Faenas de la primera semana" }, Ct), HttpStatusCode.OK);
        await BodyAsync(admin.PostAsJsonAsync($"{projects}/{road.Id}/changes",
            new { kind = "Postponed", decidedBy, reason = postponement, postponedTo = story.Process.FiscalYear + 1 }, Ct), HttpStatusCode.OK);
        var pdf = ProcessStory.Pdf("Valorizacion 2 Mollepampa");
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new StringContent("Valorización n.º 2 firmada por el supervisor"), "description");
            var file = new ByteArrayContent(pdf);
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "file", "valorizacion-2.pdf");
            await BodyAsync(admin.PostAsync($"{projects}/{water.Id}/evidence", form, Ct), HttpStatusCode.Created);
        }

        // What the API serves is what was recorded; the pages must show exactly these figures.
        var report = await system.Gateway.GetFromJsonAsync<JsonElement>($"/api/oversight/progress?jurisdiction={Jurisdiction}", Ct);
        var year = report.GetProperty("years").EnumerateArray().Single();
        var fiscalYear = year.GetProperty("fiscalYear").GetInt32();
        Assert.Equal(story.Process.FiscalYear, fiscalYear);
        Assert.Equal((3, 1_300_000m, 420_000m, 380_000m, 171_000.50m), (year.GetProperty("projects").GetInt32(), Money(year, "agreed"), Money(year, "budgeted"),
            Money(year, "committed"), Money(year, "spent")));
        var served = year.GetProperty("processes").EnumerateArray().Single().GetProperty("projects").EnumerateArray()
            .ToDictionary(p => p.GetProperty("proposalId").GetGuid());
        Assert.Equal(("InExecution", 45, 420_000m, "2456781"), (Text(served[water.Id], "status"), served[water.Id].GetProperty("progress").GetInt32(),
            Money(served[water.Id], "budgeted"), Text(served[water.Id], "budgetCode")));
        Assert.Equal(("LeftOut", leftOut), (Text(served[school.Id], "status"), Text(served[school.Id], "leftOutReason")));
        Assert.Equal(("Postponed", fiscalYear + 1), (Text(served[road.Id], "status"), served[road.Id].GetProperty("postponedTo").GetInt32()));
        var statuses = new Dictionary<Guid, string> { [water.Id] = "En ejecución", [school.Id] = "Fuera del presupuesto (PIA)", [road.Id] = "Postergado" };

        await browser.CheckAsync(Gateway, $"/vigilancia?jurisdiccion={Jurisdiction}", "vigilancia-jurisdiccion", async page =>
        {
            var section = page.Locator($"section.year-progress[data-year='{fiscalYear}']");
            Assert.Equal($"Año fiscal {fiscalYear}", await Seen(section.Locator("h2")));
            await TotalsShownAsync(section.Locator("dl.totals"), year);
            Assert.Equal("3", await Seen(section.Locator("dl.totals .projects")));
            await ChartShownAsync(section.Locator($"svg#chart-{fiscalYear}"), year);
            Assert.Equal($"/procesos/{id}/vigilancia",
                await section.Locator("section.process-progress").GetByRole(AriaRole.Link, new() { Name = story.Process.Name }).GetAttributeAsync("href"));
            foreach (var (proposalId, project) in served)
            {
                await ProjectShownAsync(section.Locator($"article.agreed-project[data-project='{proposalId}']"), project, statuses[proposalId]);
            }
            Assert.Equal(leftOut, await Seen(section.Locator($"article[data-project='{school.Id}'] .left-out .reason")));
            Assert.Equal($"Postergado al año fiscal {fiscalYear + 1}.", await Seen(section.Locator($"article[data-project='{road.Id}'] .postponed")));
            Assert.Equal($"/api/oversight/progress.csv?jurisdiction={Jurisdiction}", await page.Locator("a#csv").GetAttributeAsync("href"));
            Assert.Equal(0, await page.Locator("script").CountAsync());
        });

        // The CSV the page links to: one row per project, the same figures.
        using (var csv = await system.Gateway.GetAsync($"/api/oversight/progress.csv?jurisdiction={Jurisdiction}", Ct))
        {
            Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
            var rows = (await csv.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(4, rows.Length);
            Assert.Contains(rows, r => r.Contains(water.Id.ToString(), StringComparison.Ordinal) && r.Contains(",420000.00,380000.00,171000.50,45,InExecution,", StringComparison.Ordinal));
        }

        var process = await system.Gateway.GetFromJsonAsync<JsonElement>($"/api/oversight/processes/{id}", Ct);
        var committee = process.GetProperty("committee").EnumerateArray().ToList();
        // The five neighbours the agents elected at the formalization workshop, as the acta records them.
        Assert.Equal(ProcessStory.Neighbours("060601").Select(n => n.FullName).Order(StringComparer.Ordinal),
            committee.Select(m => Text(m, "fullName")).Order(StringComparer.Ordinal));
        await browser.CheckAsync(Gateway, $"/procesos/{id}/vigilancia", "vigilancia-proceso", async page =>
        {
            await TotalsShownAsync(page.Locator("main > dl.totals"), process);
            await ChartShownAsync(page.Locator("svg#chart-process"), process);
            var rows = page.Locator("#oversight-committee tbody tr");
            Assert.Equal(committee.Count, await rows.CountAsync());
            for (var i = 0; i < committee.Count; i++)
            {
                Assert.StartsWith(Text(committee[i], "fullName"), await Seen(rows.Nth(i).Locator(".member")));
                Assert.Equal(Text(committee[i], "organisation"), await Seen(rows.Nth(i).Locator(".organisation")));
            }
            foreach (var project in process.GetProperty("projects").EnumerateArray())
            {
                var proposalId = project.GetProperty("proposalId").GetGuid();
                var card = page.Locator($"article.agreed-project[data-project='{proposalId}']");
                await ProjectShownAsync(card, project, statuses[proposalId]);
                Assert.Equal($"/vigilancia/proyectos/{proposalId}", await card.GetByRole(AriaRole.Link, new() { Name = Text(project, "title") }).GetAttributeAsync("href"));
            }
        });

        var waterDetail = await system.Gateway.GetFromJsonAsync<JsonElement>($"{projects}/{water.Id}", Ct);
        var evidence = waterDetail.GetProperty("evidence").EnumerateArray().Single();
        await browser.CheckAsync(Gateway, $"/vigilancia/proyectos/{water.Id}", "vigilancia-proyecto", async page =>
        {
            Assert.Equal(waterTitle, await Seen(page.Locator("h1")));
            await ProjectShownAsync(page.Locator("main"), waterDetail.GetProperty("project"), "En ejecución");
            Assert.Equal(Soles(420_000m), await Seen(page.Locator("#figures .own-share")));
            Assert.Equal($"Aprobado {Soles(420_000m)}", (await Seen(page.Locator("#ministry"))).Split(" el ")[0]);
            Assert.Contains($"Incluido en el PIA con el código 2456781: {Soles(420_000m)}", await Seen(page.Locator("#budget")));
            var milestones = waterDetail.GetProperty("milestones").EnumerateArray().ToList();
            var shown = page.Locator("#milestones li.milestone");
            Assert.Equal(2, await shown.CountAsync());
            Assert.Equal(["Inicio de obra", "Informe de avance"], await shown.Locator(".kind").AllInnerTextsAsync());
            for (var i = 0; i < milestones.Count; i++)
            {
                var m = shown.Nth(i);
                Assert.Equal(Percent(milestones[i].GetProperty("progress").GetInt32()), await Seen(m.Locator(".progress")));
                Assert.Equal(Soles(Money(milestones[i], "committed")), await Seen(m.Locator(".committed")));
                Assert.Equal(Soles(Money(milestones[i], "spent")), await Seen(m.Locator(".spent")));
                Assert.Equal(Text(milestones[i], "note"), await Seen(m.Locator(".note")));
            }
            // The community's labour: agreed in coordination, delivered so far.
            var share = page.Locator($"#cofinancing li.share[data-party='{community}']");
            Assert.Equal((Soles(180_000m), Soles(54_000m)), (await Seen(share.Locator(".agreed")), await Seen(share.Locator(".delivered"))));
            var meter = share.Locator("meter");
            Assert.Equal((54_000m, 180_000m), (decimal.Parse((await meter.GetAttributeAsync("value"))!, CultureInfo.InvariantCulture),
                decimal.Parse((await meter.GetAttributeAsync("max"))!, CultureInfo.InvariantCulture)));
            Assert.Equal("mano de obra, valorizada", await Seen(share.Locator(".contribution")));
            // The municipality's share, named by the ubigeo it pays from in the acta's dossier: nothing delivered is counted for it.
            var own = page.Locator($"#cofinancing li.share[data-party='{Jurisdiction}']");
            Assert.Equal(($"Gobierno del distrito {Jurisdiction}", Soles(420_000m), Soles(0m)),
                (await Seen(own.Locator(".party")), await Seen(own.Locator(".agreed")), await Seen(own.Locator(".delivered"))));
            var link = page.Locator($"#evidence li[data-evidence='{evidence.GetProperty("id").GetGuid()}'] a");
            Assert.Equal(("Valorización n.º 2 firmada por el supervisor", Text(evidence, "url")), (await Seen(link), await link.GetAttributeAsync("href")));
        });
        using (var document = await system.Gateway.GetAsync(Text(evidence, "url"), Ct))
        {
            Assert.Equal("application/pdf", document.Content.Headers.ContentType?.MediaType);
            Assert.Equal(pdf, await document.Content.ReadAsByteArrayAsync(Ct));
        }

        var roadDetail = await system.Gateway.GetFromJsonAsync<JsonElement>($"{projects}/{road.Id}", Ct);
        await browser.CheckAsync(Gateway, $"/vigilancia/proyectos/{road.Id}", "vigilancia-proyecto-postergado", async page =>
        {
            await ProjectShownAsync(page.Locator("main"), roadDetail.GetProperty("project"), "Postergado");
            var change = page.Locator("#changes li.change");
            Assert.Equal(1, await change.CountAsync());
            Assert.Equal(("Postergado a otro año fiscal", decidedBy, postponement, $"{fiscalYear + 1}"), (await Seen(change.Locator(".kind")),
                await Seen(change.Locator(".decided-by")), await Seen(change.Locator(".reason")), await Seen(change.Locator(".postponed-to"))));
            Assert.Contains("aún no ha decidido", await Seen(page.Locator("#ministry")));
        });
        await browser.CheckAsync(Gateway, $"/vigilancia/proyectos/{school.Id}", "vigilancia-proyecto-fuera-del-pia", async page =>
        {
            Assert.Equal(leftOut, await Seen(page.Locator("p.left-out .reason")));
            Assert.Contains("Rechazado", await Seen(page.Locator("#ministry")));
            Assert.Equal("Sin expediente técnico aprobado", await Seen(page.Locator("#ministry-title + p + p.reasons")));
        });

        // The way in: the process page and the front page, for the jurisdiction chosen.
        await browser.CheckAsync(Gateway, $"/procesos/{id}", "proceso-vigilancia", async page =>
            Assert.Equal($"/procesos/{id}/vigilancia", await page.Locator("a#oversight-link").GetAttributeAsync("href")));
        await browser.CheckAsync(Gateway, $"/?jurisdiction={Jurisdiction}", "portada-vigilancia", async page =>
            Assert.Equal($"/vigilancia?jurisdiccion={Jurisdiction}", await page.Locator("a#oversight-link").GetAttributeAsync("href")));
    }

    [Fact]
    public async Task A_malformed_jurisdiction_code_is_explained_and_one_without_agreements_says_so()
    {
        await WaitForPortalAsync();
        await browser.CheckAsync(Gateway, "/vigilancia?jurisdiccion=06A1", "vigilancia-codigo-invalido", async page =>
        {
            Assert.Contains("«06A1» no es un código válido", await Seen(page.Locator("#jurisdiccion-error")));
            Assert.Equal("true", await page.GetAttributeAsync("#jurisdiccion", "aria-invalid"));
        }, status: 400);
        // Opened but not formalized: nothing to follow yet, in Spanish, not an error.
        var story = await ProcessStory.OpenAsync(system, "060102", "Presupuesto Participativo Asunción 2027", 500_000m, Ct);
        await browser.CheckAsync(Gateway, "/vigilancia?jurisdiccion=060102", "vigilancia-sin-acuerdos", async page =>
            Assert.Contains("aún no tiene listas formalizadas", await Seen(page.Locator("#no-agreements"))));
        await browser.CheckAsync(Gateway, $"/procesos/{story.Process.Id}/vigilancia", "vigilancia-proceso-sin-acta", async page =>
            Assert.Contains("aún no está formalizada", await Seen(page.Locator("#no-oversight"))));
    }

    /// <summary>Agreed, budgeted, committed and spent as the API's totals, in soles as Peru writes them.</summary>
    private static async Task TotalsShownAsync(ILocator totals, JsonElement served)
    {
        foreach (var figure in new[] { "agreed", "budgeted", "committed", "spent" })
        {
            Assert.Equal(Soles(Money(served, figure)), await Seen(totals.Locator($".{figure}")));
        }
    }

    /// <summary>The chart's three bars carry the API's amounts, in their label and in the description a screen reader reads.</summary>
    private static async Task ChartShownAsync(ILocator chart, JsonElement served)
    {
        Assert.Equal("img", await chart.GetAttributeAsync("role"));
        var description = Plain(await chart.Locator("desc").TextContentAsync() ?? "");
        Assert.NotEmpty(await chart.Locator("title").TextContentAsync() ?? "");
        var longest = 0.0;
        foreach (var figure in new[] { "agreed", "budgeted", "spent" })
        {
            var bar = chart.Locator($"g.item[data-kind='{figure}']");
            var amount = Money(served, figure);
            Assert.Equal(amount, decimal.Parse((await bar.GetAttributeAsync("data-amount"))!, CultureInfo.InvariantCulture));
            Assert.EndsWith(Soles(amount), Plain(await bar.Locator("text").TextContentAsync() ?? ""));
            Assert.Contains(Soles(amount), description);
            var width = double.Parse((await bar.Locator("rect.bar").GetAttributeAsync("width"))!, CultureInfo.InvariantCulture);
            // One scale: the agreed amount, the largest here, is the longest bar, and the others are in proportion to it.
            longest = figure == "agreed" ? width : longest;
            Assert.Equal((double)(amount / Money(served, "agreed")), width / longest, 2);
        }
    }

    /// <summary>A project's status in Spanish, its physical progress as bar and text, and its amounts as the API serves them.</summary>
    private static async Task ProjectShownAsync(ILocator card, JsonElement project, string status)
    {
        Assert.Equal(status, await Seen(card.Locator(".status").First));
        var progress = project.GetProperty("progress").GetInt32();
        Assert.Equal(progress.ToString(CultureInfo.InvariantCulture), await card.Locator("progress").First.GetAttributeAsync("value"));
        Assert.Equal("100", await card.Locator("progress").First.GetAttributeAsync("max"));
        Assert.Equal(Percent(progress), await Seen(card.Locator(".progress-text").First));
        Assert.Equal(Soles(Money(project, "agreedCost")), await Seen(card.Locator("dd.agreed").First));
        Assert.Equal(Soles(Money(project, "committed")), await Seen(card.Locator("dd.committed").First));
        Assert.Equal(Soles(Money(project, "spent")), await Seen(card.Locator("dd.spent").First));
        var budgeted = project.GetProperty("budgeted");
        Assert.Equal(budgeted.ValueKind == JsonValueKind.Number ? Soles(budgeted.GetDecimal())
            : project.GetProperty("leftOutReason").ValueKind == JsonValueKind.String ? "No incluido" : "Sin registrar aún", await Seen(card.Locator("dd.budgeted").First));
    }

    private static decimal Money(JsonElement e, string name) => e.GetProperty(name).GetDecimal();

    private static string Text(JsonElement e, string name) => e.GetProperty(name).GetString()!;

    private static string Soles(decimal amount) => Plain(amount.ToString("C2", Peru));

    private static string Percent(int progress) => Plain((progress / 100m).ToString("P0", Peru));

    private static string Plain(string text) => text.Replace('\u00A0', ' ');

    private static async Task<string> Seen(ILocator locator) => Plain(await locator.InnerTextAsync());

    private async Task WaitForPortalAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        await system.App.ResourceNotifications.WaitForResourceHealthyAsync("portal", timeout.Token);
    }
}
