using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Playwright;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// The citizen portal in a real browser, through the gateway at /, as a resident without an account sees
/// it; the data on the pages is created through the gateway's API first, as officials and agents would.
/// </summary>
public sealed class PortalTests(SystemFixture system, PortalBrowser browser) : IClassFixture<PortalBrowser>
{
    private Uri Gateway => system.Gateway.BaseAddress!;

    [Fact]
    public async Task The_front_page_shows_a_jurisdictions_processes_with_stage_ceiling_and_accredited_agents()
    {
        var ct = TestContext.Current.CancellationToken;
        await WaitForPortalAsync(ct);
        var cayma = await ProcessStory.OpenAsync(system, "040103", "Presupuesto Participativo Cayma 2027", 1_800_000m, ct);
        await cayma.AccreditAgentsAsync(("Juana Ccama Huamán", "42815937", "Asociación de Vivienda Villa Cayma"), ("Pedro Apaza Quispe", "43926148", "Comité de Regantes Cayma"));
        await cayma.StartConcertationAsync();
        var other = await ProcessStory.OpenAsync(system, "040104", "Presupuesto Participativo Cerro Colorado 2027", 2_000_000m, ct);

        await browser.CheckAsync(Gateway, "/?jurisdiction=040103", "portada-jurisdiccion", async page =>
        {
            var card = page.Locator("article", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = cayma.Process.Name }) });
            Assert.Equal($"/procesos/{cayma.Process.Id}", await card.GetByRole(AriaRole.Link, new() { Name = cayma.Process.Name }).GetAttributeAsync("href"));
            var text = await Seen(card);
            Assert.Contains($"{DateTime.UtcNow.Year + 1}", text);
            Assert.Contains("Distrital", text);
            Assert.Contains("S/ 1,800,000.00", text);
            Assert.Equal("2", await Seen(card.Locator("dl.facts > div").Filter(new() { HasText = "Agentes acreditados" }).Locator("dd")));
            Assert.Contains("Etapa actual: Concertación (2 de 6)", text);
            // The stage as a step of the six: Preparación behind it, Concertación the current one.
            Assert.Equal(6, await card.Locator(".stages li").CountAsync());
            Assert.Contains("Concertación", await Seen(card.Locator("[aria-current=step]")));
            Assert.Contains("Preparación", await Seen(card.Locator(".stages li.done")));
            Assert.DoesNotContain(other.Process.Name, await Seen(page.Locator("main")));
        });

        // The whole country's list, the default, holds both.
        await browser.CheckAsync(Gateway, "/", "portada", async page =>
        {
            var main = await Seen(page.Locator("main"));
            Assert.Contains(cayma.Process.Name, main);
            Assert.Contains(other.Process.Name, main);
        });
    }

    [Fact]
    public async Task A_malformed_jurisdiction_code_is_explained_next_to_the_form()
    {
        await WaitForPortalAsync(TestContext.Current.CancellationToken);
        await browser.CheckAsync(Gateway, "/?jurisdiction=04A1", "portada-codigo-invalido", async page =>
        {
            Assert.Contains("«04A1» no es un código válido", await Seen(page.Locator("#jurisdiction-error")));
            Assert.Equal("true", await page.GetAttributeAsync("#jurisdiction", "aria-invalid"));
            Assert.Equal("04A1", await page.InputValueAsync("#jurisdiction"));
        }, status: 400);
    }

    [Fact]
    public async Task A_process_page_shows_its_proposals_with_their_assessments_the_lists_and_the_submission()
    {
        var ct = TestContext.Current.CancellationToken;
        await WaitForPortalAsync(ct);
        var story = await ProcessStory.OpenAsync(system, "180100", "Presupuesto Participativo Mariscal Nieto 2027", 1_000_000m, ct, level: "province");
        await story.AccreditAndTrainAsync(ProcessStory.Neighbours("441728"));
        await story.StartConcertationAsync();
        var water = await story.ProposeAsync("Agua potable y alcantarillado San Antonio", 450_000m);
        var school = await story.ProposeAsync("Aulas para la I.E. Simón Bolívar", 400_000m);
        var stadium = await story.ProposeAsync("Estadio municipal de Samegua", 300_000m);
        await story.AssessAsync(
            (water, true, 90m, "Viable: cierra la brecha de agua potable del plan concertado"),
            (school, true, 75m, "Viable: competencia provincial, expediente completo"),
            (stadium, false, 0m, "No viable: duplica un proyecto ya financiado por el gobierno regional"));
        var list = await story.PrioritizeAsync();
        Assert.Equal(850_000m, list.TotalCost);
        var submission = await story.FormalizeAndDeliverAsync("ACTA-PP-MOQ-2027-003");

        await browser.CheckAsync(Gateway, $"/procesos/{story.Process.Id}", "proceso-completo", async page =>
        {
            Assert.Equal(story.Process.Name, await Seen(page.Locator("h1")));
            Assert.Contains("Presentación al MEF", await Seen(page.Locator("[aria-current=step]")));
            Assert.Contains("Provincial", await Seen(page.Locator("main > dl.facts")));

            var waterCard = await Card(page, water.Title);
            Assert.Contains("S/ 450,000.00", waterCard);
            Assert.Contains("Viable", waterCard);
            Assert.Contains("Puntaje: 90", waterCard);
            Assert.Contains("cierra la brecha de agua potable", waterCard);
            var stadiumCard = await Card(page, stadium.Title);
            Assert.Contains("No viable", stadiumCard);
            Assert.DoesNotContain("Puntaje", stadiumCard); // not viable: not ranked
            Assert.Contains("duplica un proyecto", stadiumCard);

            var prioritized = page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Lista priorizada" }) }).Locator("table");
            Assert.Equal(new[] { water.Title, school.Title }, await prioritized.Locator("tbody th[scope=row]").AllInnerTextsAsync());
            Assert.Equal(new[] { "1", "2" }, await prioritized.Locator("tbody td:first-child").AllInnerTextsAsync());
            var footer = await Seen(prioritized.Locator("tfoot"));
            Assert.Matches(@"Total priorizado\s+S/ 850,000\.00", footer);
            Assert.Matches(@"Techo presupuestal\s+S/ 1,000,000\.00", footer);
            Assert.Contains("Uso del techo: 85", await Seen(page.Locator(".usage")));

            var coordinated = await Seen(page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Lista coordinada y formalizada" }) }));
            Assert.Contains("Formalizada", coordinated);
            Assert.Contains("ACTA-PP-MOQ-2027-003", coordinated);
            Assert.Contains("S/ 850,000.00", coordinated);

            var sent = await Seen(page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Presentación al MEF" }) }));
            Assert.Contains("Entregada al MEF", sent);
            Assert.Contains(submission.IntakeReceipt!, sent);
            Assert.Contains(submission.ContentHash, sent);
        });
    }

    [Fact]
    public async Task A_process_that_has_just_opened_says_plainly_what_it_does_not_have_yet()
    {
        var ct = TestContext.Current.CancellationToken;
        await WaitForPortalAsync(ct);
        var story = await ProcessStory.OpenAsync(system, "180102", "Presupuesto Participativo Carumas 2027", 350_000m, ct);

        await browser.CheckAsync(Gateway, $"/procesos/{story.Process.Id}", "proceso-recien-abierto", async page =>
        {
            var main = await Seen(page.Locator("main"));
            Assert.Contains("Aún no hay propuestas de proyectos.", main);
            Assert.Contains("Aún no hay lista priorizada.", main);
            Assert.Contains("Aún no hay lista coordinada.", main);
            Assert.Contains("Aún no se ha presentado al Ministerio de Economía y Finanzas.", main);
            Assert.Contains("S/ 350,000.00", main);
            Assert.Contains("Etapa actual: Preparación (1 de 6)", main);
        });
    }

    [Fact]
    public async Task An_unknown_process_shows_a_not_found_page_in_Spanish()
    {
        await WaitForPortalAsync(TestContext.Current.CancellationToken);
        await browser.CheckAsync(Gateway, $"/procesos/{Guid.NewGuid()}", "proceso-inexistente", async page =>
        {
            Assert.Equal("No encontramos esta página", await Seen(page.Locator("h1")));
            Assert.Equal("/", await page.GetByRole(AriaRole.Link, new() { Name = "Ver la lista de procesos" }).GetAttributeAsync("href"));
        }, status: 404);
    }

    private static Task<string> Card(IPage page, string title) =>
        Seen(page.Locator("article", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = title, Exact = true }) }));

    /// <summary>The text as a resident reads it: a non-breaking space reads as a space.</summary>
    private static async Task<string> Seen(ILocator locator) => (await locator.InnerTextAsync()).Replace('\u00A0', ' ');

    /// <summary>The portal starts after the gateway it reads from, so the fixture's wait for the gateway is not enough.</summary>
    private async Task WaitForPortalAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        await system.App.ResourceNotifications.WaitForResourceHealthyAsync("portal", timeout.Token);
    }
}

/// <summary>A service down while a resident reads: the portal says so in Spanish instead of failing.</summary>
[Collection(SystemDisruption.Name)]
public sealed class PortalOutageTests(SystemFixture system)
{
    [Fact]
    public async Task With_a_service_down_the_portal_answers_a_Spanish_error_page_with_502_or_503_and_recovers()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ready = CancellationTokenSource.CreateLinkedTokenSource(ct);
        ready.CancelAfter(TimeSpan.FromSeconds(90));
        await system.App.ResourceNotifications.WaitForResourceHealthyAsync("portal", ready.Token);
        var story = await ProcessStory.OpenAsync(system, "180103", "Presupuesto Participativo Cuchumbaya 2027", 250_000m, ct);
        var page = $"/procesos/{story.Process.Id}";
        Assert.Equal(HttpStatusCode.OK, (await system.Gateway.GetAsync(page, ct)).StatusCode);

        await system.CrashAsync("coordination", ct);
        try
        {
            var response = await system.Gateway.GetAsync(page, ct);
            Assert.Contains((int)response.StatusCode, new[] { 502, 503 });
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            var body = await response.Content.ReadAsStringAsync(ct);
            Assert.Contains("No pudimos mostrar esta página", body);
            Assert.Contains("lang=\"es\"", body);
            Assert.DoesNotContain("Exception", body);
            Assert.DoesNotContain("PBServices.", body);
        }
        finally
        {
            var started = await system.App.ResourceCommands.ExecuteCommandAsync("coordination", KnownResourceCommands.StartCommand, ct);
            Assert.True(started.Success, started.Message);
            using var back = CancellationTokenSource.CreateLinkedTokenSource(ct);
            back.CancelAfter(TimeSpan.FromSeconds(90));
            await system.App.ResourceNotifications.WaitForResourceHealthyAsync("coordination", back.Token);
        }

        await Eventually.Get(async () => (await system.Gateway.GetAsync(page, ct)).StatusCode == HttpStatusCode.OK ? "served" : null,
            "the process page once coordination is back");
    }
}
