using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Cookie = Microsoft.Playwright.Cookie;

using static PBServices.EndToEnd.Tests.Answers;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// Deliberation in the citizen portal, in a real browser through the gateway: the proposals with their
/// Spanish statuses and adjusted costs, a proposal's every version with the technical team's reasons,
/// the workshop calendar and a workshop's minutes with their corrections, an agent's online check-in,
/// and the paper batches beside the results. Each test has its own jurisdiction (190101–190103); the
/// pages are compared with what the API serves.
/// </summary>
public sealed class PortalDeliberationTests(SystemFixture system, PortalBrowser browser) : IClassFixture<PortalBrowser>
{
    private static readonly CultureInfo Peru = CultureInfo.GetCultureInfo("es-PE");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static string Today => ProcessStory.TodayInLima.ToString("yyyy-MM-dd");
    private Uri Gateway => system.Gateway.BaseAddress!;

    [Fact]
    public async Task The_proposals_page_shows_each_status_and_adjusted_cost_in_Spanish_and_a_proposal_shows_every_version_with_its_assessment()
    {
        const string jurisdiction = "190101";
        await WaitForPortalAsync();
        var story = await ProcessStory.OpenAsync(system, jurisdiction, "Presupuesto Participativo Tarapoto 2027", 1_500_000m, Ct);
        await story.AccreditAgentAsync("Marleny Tuanama Sangama", "47190101", "Comité vecinal Partido Alto");
        await story.StartConcertationAsync();
        var proposer = story.Agent;
        var water = await story.ProposeAsync("Agua potable del sector Atumpampa", 400_000m);
        var school = await story.ProposeAsync("Aulas de la IE 0004 Tarapoto", 200_000m);
        var field = await story.ProposeAsync("Losa deportiva de Nueve de Abril", 150_000m);
        var market = await story.ProposeAsync("Techado del mercado Huayco", 300_000m);
        var processPath = $"/api/deliberation/processes/{story.Process.Id}";

        var assessor = system.As(await system.TokenAsync("technical-team", jurisdiction, $"equipo-tecnico-{jurisdiction}"));
        foreach (var p in new[] { water, school, field, market })
        {
            await ProposalVersionTests.QueuedAsync(assessor, story, p.Id, version: 1);
        }
        const string observation = "Falta el estudio de la fuente de agua y el costo de la línea de conducción";
        const string adjustedReasons = "Viable; el reservorio apoyado requiere S/ 520 000";
        const string fieldObservation = "El terreno no tiene saneamiento físico legal";
        const string withdrawal = "La junta vecinal la techará con aporte propio";
        await ProposalVersionTests.RecommendAsync(assessor, water.Id, new { recommendation = "Observed", score = 0m, reasons = observation, version = 1 });
        await ProposalVersionTests.RecommendAsync(assessor, school.Id, new { recommendation = "ViableAtAdjustedCost", score = 70m, adjustedCost = 240_000m, reasons = "Requiere cerco perimétrico" });
        await ProposalVersionTests.RecommendAsync(assessor, field.Id, new { recommendation = "Observed", score = 0m, reasons = fieldObservation });
        await ProposalVersionTests.RecommendAsync(assessor, market.Id, new { viable = true, score = 80m, reasons = "Viable" });
        await StatusAsync($"{processPath}/proposals/{water.Id}", "Observed");
        await StatusAsync($"{processPath}/proposals/{market.Id}", "Viable");

        // The proposer revises the water project by the observation; the technical team finds it viable at a higher cost. The market is withdrawn.
        await ExpectAsync<ProposalVersionTests.ProposalDetailDto>(proposer.PutAsJsonAsync($"{processPath}/proposals/{water.Id}",
            ProposalVersionTests.Whole(water.Title, 450_000m, "Captación de manantial con estudio de fuente y 3 km de línea de conducción"), Ct), HttpStatusCode.OK);
        await ProposalVersionTests.QueuedAsync(assessor, story, water.Id, version: 2);
        await ProposalVersionTests.RecommendAsync(assessor, water.Id, new { recommendation = "ViableAtAdjustedCost", score = 85m, adjustedCost = 520_000m, reasons = adjustedReasons, version = 2 });
        await ExpectAsync<ProposalVersionTests.ProposalDetailDto>(proposer.PostAsJsonAsync($"{processPath}/proposals/{market.Id}/withdrawal", new { reason = withdrawal }, Ct), HttpStatusCode.OK);
        await StatusAsync($"{processPath}/proposals/{water.Id}", "Viable");
        await StatusAsync($"{processPath}/proposals/{school.Id}", "Viable");
        await StatusAsync($"{processPath}/proposals/{field.Id}", "Observed");
        var listed = (await system.Gateway.GetFromJsonAsync<List<ProposalVersionTests.ListedProposalDto>>($"{processPath}/proposals", Ct))!;

        await browser.CheckAsync(Gateway, $"/procesos/{story.Process.Id}/propuestas", "propuestas", async page =>
        {
            Assert.Equal(4, await page.Locator("article.proposal").CountAsync());
            foreach (var (proposal, status, verdict) in new[]
            {
                (water, "Viable", "Viable con costo ajustado"), (school, "Viable", "Viable con costo ajustado"),
                (field, "Observada", "Observada: vuelve a quien la propuso"), (market, "Retirada", "Viable"),
            })
            {
                var served = listed.Single(l => l.Id == proposal.Id);
                var card = page.Locator($"article[data-proposal='{proposal.Id}']");
                Assert.Equal(served.Status, await card.GetAttributeAsync("data-status"));
                Assert.Equal(status, await Seen(card.Locator(".badge")));
                Assert.Equal(verdict, await Seen(card.Locator(".verdict")));
                Assert.Equal(Soles(served.Cost), await Seen(card.Locator(".cost")));
                if (served.AdjustedCost is { } adjusted)
                {
                    Assert.Equal(Soles(adjusted), await Seen(card.Locator(".adjusted")));
                }
                else
                {
                    Assert.Equal(0, await card.Locator(".adjusted").CountAsync());
                }
                Assert.Equal($"/procesos/{story.Process.Id}/propuestas/{proposal.Id}", await card.GetByRole(AriaRole.Link, new() { Name = proposal.Title }).GetAttributeAsync("href"));
            }
            // The revised water project: the proposer's 450,000 and the technical team's 520,000.
            var waterCard = await Seen(page.Locator($"article[data-proposal='{water.Id}']"));
            Assert.Contains("S/ 450,000.00", waterCard);
            Assert.Contains("S/ 520,000.00", waterCard);
            // No criteria matrix in this process: no weighted totals.
            Assert.Equal(0, await page.Locator("#ranking-note, .weighted").CountAsync());
        });

        await browser.CheckAsync(Gateway, $"/procesos/{story.Process.Id}/propuestas/{water.Id}", "propuesta-versiones", async page =>
        {
            Assert.Equal("Viable", await Seen(page.Locator("#status")));
            Assert.Equal("S/ 520,000.00", await Seen(page.Locator("#effective-cost")));
            var versions = page.Locator("article.version");
            Assert.Equal(["2", "1"], await versions.EvaluateAllAsync<string[]>("vs => vs.map(v => v.dataset.version)"));
            var second = await Seen(page.Locator("article.version[data-version='2']"));
            Assert.Contains("Versión 2 (actual)", second);
            Assert.Contains("Viable con costo ajustado", second);
            Assert.Contains("Costo ajustado: S/ 520,000.00", second);
            Assert.Contains(adjustedReasons, second);
            // What the revision changed, from the observed first version.
            Assert.Contains("Costo: S/ 400,000.00 → S/ 450,000.00", second);
            Assert.Contains("Captación de manantial con estudio de fuente", second);
            var first = await Seen(page.Locator("article.version[data-version='1']"));
            Assert.Contains("Observada: vuelve a quien la propuso", first);
            Assert.Contains(observation, first);
            Assert.Contains("S/ 400,000.00", first);
            Assert.DoesNotContain("Qué cambió", first);
        });

        await browser.CheckAsync(Gateway, $"/procesos/{story.Process.Id}/propuestas/{market.Id}", "propuesta-retirada", async page =>
        {
            Assert.Equal("Retirada", await Seen(page.Locator("#status")));
            Assert.Contains(withdrawal, await Seen(page.Locator("#withdrawal")));
        });
        await browser.CheckAsync(Gateway, $"/procesos/{story.Process.Id}/propuestas/{Guid.NewGuid()}", "propuesta-no-existe",
            async page => Assert.Contains("No encontramos", await Seen(page.Locator("main"))), status: 404);

        await browser.CheckAsync(Gateway, $"/procesos/{story.Process.Id}", "proceso-concertacion", async page =>
        {
            Assert.Equal($"/procesos/{story.Process.Id}/propuestas", await page.GetByRole(AriaRole.Link, new() { Name = "Propuestas, sus versiones y su evaluación técnica" }).GetAttributeAsync("href"));
            Assert.Equal($"/procesos/{story.Process.Id}/talleres", await page.GetByRole(AriaRole.Link, new() { Name = "Calendario de talleres y sus actas" }).GetAttributeAsync("href"));
            Assert.Contains("Observada", await Seen(page.Locator("#proposals-title + ul")));
        });
    }

    [Fact]
    public async Task The_workshop_calendar_and_minutes_show_in_Spanish_and_an_agent_checks_in_online_once_through_the_button()
    {
        const string jurisdiction = "190102";
        await WaitForPortalAsync();
        var story = await ProcessStory.OpenAsync(system, jurisdiction, "Presupuesto Participativo Morales 2027", 1_000_000m, Ct);
        var agents = await story.AccreditAgentsAsync(("Zoila Panaifo Ríos", "47190201", "Club de madres Morales"), ("Hugo Sangama Amasifuén", "47190202", "Ronda campesina Cacatachi"));
        var (atDoor, online) = (agents[0], agents[1]);
        await WorkshopTests.WaitAccreditedAsync(story, atDoor.Id);
        await WorkshopTests.WaitAccreditedAsync(story, online.Id);
        await story.StartConcertationAsync();
        var path = $"/api/deliberation/processes/{story.Process.Id}/workshops";
        const string agenda = "1. Brechas del distrito 2. Mapa de actores";
        const string link = "https://reuniones.munimorales.gob.pe/priorizacion";
        var diagnosis = await WorkshopTests.ScheduleAsync(story, new { kind = "Diagnosis", date = Today, startTime = "09:00", place = "Auditorio municipal de Morales", agenda });
        var prioritisation = await WorkshopTests.ScheduleAsync(story, new
        {
            kind = "Prioritisation", date = Today, startTime = "15:30", place = "Coliseo de Morales", onlineLink = link, agenda = "1. Criterios de priorización 2. Proyectos viables",
        });
        await ExpectAsync<WorkshopTests.AttendanceDto>(story.Admin.PostAsJsonAsync($"{path}/{diagnosis.Id}/attendance", new { agentId = atDoor.Id }, Ct), HttpStatusCode.Created);
        const string firstMinutes = "Se identificaron cuatro brechas: agua, pistas, salud y educación.";
        const string correctedMinutes = "Se identificaron cinco brechas: agua, pistas, salud, educación y seguridad.";
        const string correction = "Faltó la brecha de seguridad ciudadana";
        await ExpectAsync<WorkshopTests.MinutesDto>(story.Admin.PostAsJsonAsync($"{path}/{diagnosis.Id}/minutes", new { text = firstMinutes }, Ct), HttpStatusCode.Created);
        await ExpectAsync<WorkshopTests.MinutesDto>(story.Admin.PostAsJsonAsync($"{path}/{diagnosis.Id}/minutes", new { text = correctedMinutes, correction }, Ct), HttpStatusCode.Created);
        var today = ProcessStory.TodayInLima.ToString("d 'de' MMMM 'de' yyyy", Peru);

        await browser.CheckAsync(Gateway, $"/procesos/{story.Process.Id}/talleres", "talleres", async page =>
        {
            Assert.Equal([diagnosis.Id.ToString(), prioritisation.Id.ToString()], await page.Locator("article.workshop").EvaluateAllAsync<string[]>("ws => ws.map(w => w.dataset.workshop)"));
            var first = page.Locator($"article[data-workshop='{diagnosis.Id}']");
            Assert.Equal("Taller de diagnóstico", await Seen(first.Locator("h2")));
            Assert.Equal((today, "Presencial", "Auditorio municipal de Morales", "1 agente", "Registrada"),
                (await Seen(first.Locator(".date")), await Seen(first.Locator(".mode")), await Seen(first.Locator(".place")), await Seen(first.Locator(".attendees")), await Seen(first.Locator(".minutes"))));
            Assert.StartsWith("9:00", await Seen(first.Locator(".time")));
            var second = page.Locator($"article[data-workshop='{prioritisation.Id}']");
            Assert.Equal("Taller de priorización", await Seen(second.Locator("h2")));
            Assert.Equal(("Presencial y en línea", "0 agentes", "Aún sin acta"), (await Seen(second.Locator(".mode")), await Seen(second.Locator(".attendees")), await Seen(second.Locator(".minutes"))));
            Assert.StartsWith("3:30", await Seen(second.Locator(".time")));
            Assert.Equal(link, await second.GetByRole(AriaRole.Link, new() { Name = link }).GetAttributeAsync("href"));
        });

        await browser.CheckAsync(Gateway, $"/procesos/{story.Process.Id}/talleres/{diagnosis.Id}", "taller-acta", async page =>
        {
            Assert.Equal(agenda, await Seen(page.Locator("#agenda")));
            Assert.Equal(["2", "1"], await page.Locator("article.minutes").EvaluateAllAsync<string[]>("ms => ms.map(m => m.dataset.version)"));
            var latest = await Seen(page.Locator("article.minutes[data-version='2']"));
            Assert.Contains("Versión 2 (vigente) · corrección", latest);
            Assert.Contains($"Corrige: {correction}", latest);
            Assert.Contains(correctedMinutes, latest);
            var original = await Seen(page.Locator("article.minutes[data-version='1']"));
            Assert.Contains(firstMinutes, original);
            Assert.DoesNotContain("vigente", original);
            Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Registrar mi asistencia" }).CountAsync());
        });

        // The online agent, on a phone: no button at the in-person workshop, the button at the hybrid one, today.
        await using var phone = await browser.NewPhoneContextAsync(Gateway, height: 640);
        await phone.AddCookiesAsync([SessionCookie(await system.TokenAsync("agent", jurisdiction, online.Id.ToString()))]);
        var agentPage = await phone.NewPageAsync();
        await agentPage.GotoAsync($"/procesos/{story.Process.Id}/talleres/{diagnosis.Id}");
        Assert.Equal(0, await agentPage.GetByRole(AriaRole.Button, new() { Name = "Registrar mi asistencia" }).CountAsync());
        var workshopPage = $"/procesos/{story.Process.Id}/talleres/{prioritisation.Id}";
        await agentPage.GotoAsync(workshopPage);
        var checkIn = agentPage.GetByRole(AriaRole.Button, new() { Name = "Registrar mi asistencia" });
        Assert.True(await checkIn.IsVisibleAsync());
        Assert.Equal(0, await agentPage.Locator("script").CountAsync());
        await PortalBrowser.CheckShownAsync(agentPage, "taller-asistencia-movil");

        await checkIn.ClickAsync();
        await agentPage.WaitForURLAsync(url => url.EndsWith("?asistencia=registrada", StringComparison.Ordinal), new() { Timeout = 60_000 });
        Assert.Contains("Su asistencia en línea quedó registrada", await Seen(agentPage.Locator("#checked-in")));
        Assert.Equal("1 agente", await Seen(agentPage.Locator("#attendees")));
        var attendees = await ExpectAsync<List<WorkshopTests.AttendeeDto>>(story.Admin.GetAsync($"{path}/{prioritisation.Id}/attendance", Ct), HttpStatusCode.OK);
        Assert.Equal([(online.Id, "Self")], attendees.Select(a => (a.AgentId, a.CheckedInBy)));
        await PortalBrowser.CheckShownAsync(agentPage, "taller-asistencia-registrada-movil");

        // A second press: the API refuses it, the page says so in Spanish, nothing more is stored.
        var refused = await agentPage.RunAndWaitForResponseAsync(() => agentPage.GetByRole(AriaRole.Button, new() { Name = "Registrar mi asistencia" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Request.IsNavigationRequest, new() { Timeout = 60_000 });
        await agentPage.WaitForLoadStateAsync(LoadState.Load);
        Assert.Equal(409, refused.Status);
        var problem = await Seen(agentPage.Locator("#check-in-problem"));
        Assert.Contains("Su asistencia ya está registrada", problem);
        Assert.Contains("cada agente se registra una sola vez", problem);
        Assert.Single(await ExpectAsync<List<WorkshopTests.AttendeeDto>>(story.Admin.GetAsync($"{path}/{prioritisation.Id}/attendance", Ct), HttpStatusCode.OK));
        await PortalBrowser.CheckShownAsync(agentPage, "taller-asistencia-repetida-movil");

        // A resident not signed in sees the workshop and how to check in, no button.
        await browser.CheckAsync(Gateway, workshopPage, "taller-en-linea", async page =>
        {
            Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Registrar mi asistencia" }).CountAsync());
            Assert.Equal("1 agente", await Seen(page.Locator("#attendees")));
            Assert.Contains("Aún no se registra el acta", await Seen(page.Locator("main")));
        });
    }

    [Fact]
    public async Task The_results_list_each_paper_batch_with_its_ballots_and_its_file_fingerprint()
    {
        const string jurisdiction = "190103";
        await WaitForPortalAsync();
        var story = await ProcessStory.OpenAsync(system, jurisdiction, "Presupuesto Participativo La Banda de Shilcayo 2027", 1_000_000m, Ct);
        await story.AccreditAgentAsync("Rosa Tapullima Guerra", "47190301", "Comité vecinal Las Palmas");
        await story.StartConcertationAsync();
        var water = await story.ProposeAsync("Agua potable de Las Palmas", 400_000m);
        var road = await story.ProposeAsync("Pistas del jirón Alfonso Ugarte", 300_000m);
        await story.AssessAsync((water, true, 80m, "Viable"), (road, true, 60m, "Viable"));
        var round = await ExpectAsync<VotingTests.RoundDto>(story.Admin.PostAsJsonAsync($"/api/deliberation/processes/{story.Process.Id}/rounds", new { }, Ct), HttpStatusCode.Created);
        var roundPath = $"/api/deliberation/processes/{story.Process.Id}/rounds/{round.Id}";
        var csv = $"projects\r\n{water.Id}\r\n{water.Id};{road.Id}\r\n{road.Id}\r\n";
        const string batchName = "Taller de La Banda, mesa 1";
        await ExpectAsync<JsonElement>(BallotImportTests.UploadAsync(story.Admin, roundPath, batchName, csv, "mesa1.csv"), HttpStatusCode.Created);
        await ExpectAsync<JsonElement>(story.Admin.PostAsync($"{roundPath}/closure", null, Ct), HttpStatusCode.OK);
        var batches = await ExpectAsync<List<BallotImportTests.PaperBatchSummaryDto>>(system.Gateway.GetAsync($"{roundPath}/paper-batches", Ct), HttpStatusCode.OK);
        var batch = Assert.Single(batches);

        await browser.CheckAsync(Gateway, $"/procesos/{story.Process.Id}/resultados", "resultados-papel", async page =>
        {
            Assert.Equal("3", await Seen(page.Locator("#paper")));
            var card = page.Locator($"article.batch[data-batch='{batch.Id}']");
            Assert.Equal(batchName, await Seen(card.Locator("h3")));
            Assert.Equal("3", await Seen(card.Locator(".ballots")));
            Assert.Equal(BallotImportTests.Sha256(csv), await Seen(card.Locator(".sha256")));
            Assert.Equal(batch.Sha256, await Seen(card.Locator(".sha256")));
        });
    }

    private Task<ProposalVersionTests.ProposalDetailDto> StatusAsync(string path, string status) =>
        Eventually.Get(async () =>
        {
            var p = await system.Gateway.GetFromJsonAsync<ProposalVersionTests.ProposalDetailDto>(path, Ct);
            return p!.Status == status ? p : null;
        }, $"deliberation to record {path} as {status}");

    private Cookie SessionCookie(string token) => new()
    {
        Name = "pb_sesion", Value = token, Domain = Gateway.Host, Path = "/", HttpOnly = true, SameSite = SameSiteAttribute.Strict,
    };

    private static string Soles(decimal amount) => amount.ToString("C2", Peru).Replace('\u00A0', ' ');

    private static async Task<string> Seen(ILocator locator) => (await locator.InnerTextAsync()).Replace('\u00A0', ' ');

    private async Task WaitForPortalAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        await system.App.ResourceNotifications.WaitForResourceHealthyAsync("portal", timeout.Token);
    }
}
