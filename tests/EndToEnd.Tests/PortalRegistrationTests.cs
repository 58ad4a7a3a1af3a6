using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// Preparation in the citizen portal, in a real browser through the gateway: the convocation and its
/// calendar, an organisation registering its representatives with their documents, the committee's review,
/// the published list and objections to it, and the participation statistics. Each test has its own
/// jurisdiction (130101–130105, districts of Trujillo) and compares the pages with what the API serves.
/// </summary>
public sealed class PortalRegistrationTests(SystemFixture system, PortalBrowser browser) : IClassFixture<PortalBrowser>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly CultureInfo Peru = CultureInfo.GetCultureInfo("es-PE");
    private static readonly string[] WindowNames =
        ["registration", "publication", "objections", "accreditation", "training", "concertation", "coordination", "formalization", "submission", "oversight"];

    private Uri Gateway => system.Gateway.BaseAddress!;

    /// <summary>Peru's date: the calendar's days are Lima's (UTC−5 all year).</summary>
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(-5));

    [Fact]
    public async Task The_convocation_shows_the_calendar_with_the_window_under_way_and_the_rules_the_API_serves()
    {
        var ct = TestContext.Current.CancellationToken;
        await WaitForPortalAsync(ct);
        var opened = await OpenAsync("130101", "Presupuesto Participativo Trujillo", 1_200_000m,
            [(-3, 1), (2, 3), (4, 5), (6, 6), (7, 7), (8, 20), (21, 40), (41, 50), (51, 60), (61, 400)],
            new
            {
                agentsPerOrganisation = 2, trainingRequiredToVote = true, ballotFormat = "Ranked", allocationRule = "greedy", oversightCommitteeSize = 4,
                delegateSeats = 10, directiveCommitteeSeats = 6,
                quotas = new object[] { new { body = "Delegates", group = "Women", minimumSeats = 5 }, new { body = "DirectiveCommittee", group = "Youth", minimumSeats = 1 } },
            }, ct);
        var served = (await system.Gateway.GetFromJsonAsync<ProcessJson>($"/api/registration/processes/{opened.Process.Id}", Json, ct))!;
        Assert.Equal(new[] { "Registration" }, served.OpenSteps);

        await browser.CheckAsync(Gateway, $"/procesos/{served.Id}", "proceso-con-convocatoria", async page =>
            Assert.Equal($"/procesos/{served.Id}/convocatoria",
                await page.GetByRole(AriaRole.Link, new() { Name = "Convocatoria, calendario y reglas" }).GetAttributeAsync("href")));

        await browser.CheckAsync(Gateway, $"/procesos/{served.Id}/convocatoria", "convocatoria", async page =>
        {
            Assert.Equal(WindowNames.Length, await page.Locator("table.calendar tr[data-window]").CountAsync());
            foreach (var name in WindowNames)
            {
                var window = served.Calendar[name];
                var row = page.Locator($"table.calendar tr[data-window='{char.ToUpperInvariant(name[0])}{name[1..]}']");
                Assert.Equal(window.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), await row.GetAttributeAsync("data-from"));
                Assert.Equal(window.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), await row.GetAttributeAsync("data-to"));
            }
            // Registration is under way: its row is marked (not by colour alone) and says its dates in words.
            var current = page.Locator("table.calendar tr[aria-current=step]");
            Assert.Equal(1, await current.CountAsync());
            Assert.Equal("Registration", await current.GetAttributeAsync("data-window"));
            var currentText = await Seen(current);
            Assert.Contains("Inscripción de agentes participantes", currentText);
            Assert.Contains("En curso", currentText);
            Assert.Contains(served.Calendar["registration"].To.ToString("d 'de' MMMM 'de' yyyy", Peru), currentText);

            var rules = await Seen(page.Locator("dl.rules"));
            Assert.Contains("S/ 1,200,000.00", rules);
            Assert.Contains("hasta 2 personas: un representante titular y un alterno", rules);
            Assert.Contains("Para votar, el agente debe haber asistido a una sesión de capacitación", rules);
            Assert.Contains("Por orden de preferencia", rules);
            Assert.Contains("en el orden de su puntaje o votos", rules);
            Assert.Contains("4 agentes de la sociedad civil", rules);
            Assert.Matches(@"Delegados\s+10 puestos", rules);
            Assert.Matches(@"Comité directivo\s+6 puestos", rules);
            Assert.Contains("Mujeres: al menos 5 de los 10 puestos de los delegados", rules);
            Assert.Contains("Jóvenes: al menos 1 de los 6 puestos del comité directivo", rules);
        });
    }

    [Fact]
    public async Task An_organisation_registers_with_its_documents_the_committee_finds_it_eligible_and_the_public_list_shows_names_without_DNI()
    {
        var ct = TestContext.Current.CancellationToken;
        await WaitForPortalAsync(ct);
        // Registration and publication today; objections from tomorrow.
        var opened = await OpenAsync("130102", "Presupuesto Participativo El Porvenir", 900_000m,
            [(0, 0), (0, 0), (1, 2), (3, 3), (4, 4), (5, 10), (11, 20), (21, 30), (31, 40), (41, 300)], TwoAgentRules, ct);
        var processId = opened.Process.Id;
        const string organisation = "Comité Vecinal Los Jardines de El Porvenir";
        const string representative = "María Elena Quispe Rojas";
        const string alternate = "José Luis Huamán Díaz";
        const string representativeDni = "41872635";
        const string alternateDni = "43928174";
        var registrationForm = Pdf("Ficha de inscripción, Comité Vecinal Los Jardines");
        var registryEntry = Png();
        var assemblyAct = Pdf("Acta de asamblea del 12 de octubre");

        // The organisation's secretary signs in on the way to the form, and comes back to it.
        await using var resident = await browser.NewPhoneContextAsync(Gateway);
        var page = await resident.NewPageAsync();
        await page.GotoAsync($"/procesos/{processId}/inscripcion");
        Assert.Contains("/ingresar", page.Url);
        await SignInAsync(page, "resident", "130102", "Rosa Vargas Polo");
        Assert.EndsWith($"/procesos/{processId}/inscripcion", page.Url);
        Assert.Contains("Rosa Vargas Polo", await Seen(page.Locator("header .account")));
        var session = (await resident.CookiesAsync()).Single(c => c.Name == "pb_sesion");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        // Antiforgery is on for every form: a POST without the form's token is refused, and the session stays.
        Assert.Equal(400, (await resident.APIRequest.PostAsync("/salir")).Status);
        Assert.Contains(await resident.CookiesAsync(), c => c.Name == "pb_sesion");
        await PortalBrowser.CheckShownAsync(page, "inscripcion-formulario-movil");

        await page.FillAsync("#org-name", organisation);
        await page.SelectOptionAsync("#org-type", "NeighbourhoodCommittee");
        await page.SelectOptionAsync("#org-registry-kind", "Municipal");
        await page.FillAsync("#org-registry-number", "RUOS-130102-0457");
        await page.FillAsync("#org-registry-date", "2018-05-20");
        Assert.Equal("130102", await page.InputValueAsync("#org-territory"));
        await page.FillAsync("#org-members", "35");
        await FillPersonAsync(page, "rep", representativeDni, representative, "Female", 1979);
        await FillPersonAsync(page, "alt", alternateDni, alternate, "Male", 1985);
        await page.SetInputFilesAsync("#doc-RegistrationForm", new FilePayload { Name = "ficha.pdf", MimeType = "application/pdf", Buffer = registrationForm });
        await page.SetInputFilesAsync("#doc-RegistryEntry", new FilePayload { Name = "constancia.png", MimeType = "image/png", Buffer = registryEntry });
        await page.SetInputFilesAsync("#doc-AssemblyAct", new FilePayload { Name = "acta.pdf", MimeType = "application/pdf", Buffer = assemblyAct });
        await SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Presentar la inscripción" }), "**/mis-inscripciones?presentada=*");

        var mine = await Seen(page.Locator("article", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = organisation }) }));
        Assert.Contains("Presentada", mine);
        Assert.Contains(representative, mine);
        Assert.Contains(alternate, mine);
        Assert.Contains("Documentos completos.", mine);
        Assert.DoesNotContain(representativeDni, await page.ContentAsync());
        await PortalBrowser.CheckShownAsync(page, "mis-inscripciones-presentada-movil");

        // What the API recorded is what the form sent: the same person's applications, the same bytes.
        var asResident = system.As(await system.TokenAsync("resident", "130102", "Rosa Vargas Polo"));
        var application = Assert.Single((await asResident.GetFromJsonAsync<List<ApplicationJson>>("/api/registration/applications/mine", Json, ct))!);
        Assert.Equal("Submitted", application.Status);
        Assert.Equal(organisation, application.OrganisationName);
        Assert.Equal(new[] { ("Representative", representative), ("Alternate", alternate) }, application.Agents.Select(a => (a.Role, a.FullName)));
        Assert.Empty(application.MissingDocuments);
        Assert.Equal(Sha256(registrationForm), application.Documents.Single(d => d.Kind == "RegistrationForm").Sha256);
        Assert.Equal(Sha256(registryEntry), application.Documents.Single(d => d.Kind == "RegistryEntry").Sha256);
        Assert.Equal(Sha256(assemblyAct), application.Documents.Single(d => d.Kind == "AssemblyAct").Sha256);
        await browser.CheckAsync(Gateway, "/mis-inscripciones", "mis-inscripciones", async p =>
            Assert.Contains("Presentada", await Seen(p.Locator("main"))), cookies: await CookiesOf(resident));

        // The committee: the DNI is shown to it (and only to it), the documents open through the portal.
        await using var committee = await browser.NewPhoneContextAsync(Gateway);
        var review = await committee.NewPageAsync();
        await review.GotoAsync($"/procesos/{processId}/revision");
        await SignInAsync(review, "process-admin", "130102", "Comité de acreditación de El Porvenir");
        Assert.EndsWith($"/procesos/{processId}/revision", review.Url);
        var card = review.Locator("article", new() { Has = review.GetByRole(AriaRole.Heading, new() { Name = organisation }) });
        var cardText = await Seen(card);
        Assert.Contains(representativeDni, cardText);
        Assert.Contains(alternateDni, cardText);
        var documentLink = await card.GetByRole(AriaRole.Link, new() { Name = "Ficha de inscripción" }).GetAttributeAsync("href");
        var streamed = await committee.APIRequest.GetAsync(documentLink!);
        Assert.Equal(200, streamed.Status);
        Assert.Equal(registrationForm, await streamed.BodyAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await system.Gateway.GetAsync(documentLink, ct)).StatusCode);

        foreach (var person in new[] { representative, alternate })
        {
            var confirm = card.Locator(".person", new() { HasText = person }).GetByRole(AriaRole.Button, new() { Name = "DNI verificado en ventanilla" });
            await confirm.ClickAsync();
            // The page comes back from the POST without that person's button.
            await confirm.WaitForAsync(new() { State = WaitForSelectorState.Detached });
            Assert.Equal("Identidad confirmada.", await Seen(review.Locator("[role=status]")));
        }
        Assert.Equal(2, await card.GetByText("DNI verificado", new() { Exact = true }).CountAsync());
        await PortalBrowser.CheckShownAsync(review, "revision-cola-movil");

        await card.GetByLabel("Hábil", new() { Exact = true }).CheckAsync();
        await card.GetByLabel("Motivos u observaciones").FillAsync("Documentos conformes; DNI verificados en ventanilla");
        await SubmitAsync(review, card.GetByRole(AriaRole.Button, new() { Name = "Registrar la decisión" }), "**/revision?hecho=decision*");
        Assert.Contains("No hay inscripciones por revisar.", await Seen(review.Locator("main")));
        Assert.Contains("Hábil", await Seen(review.Locator("table tr", new() { HasText = organisation })));

        await SubmitAsync(review, review.GetByRole(AriaRole.Button, new() { Name = "Publicar la lista de agentes hábiles" }), "**/revision?hecho=publicada");
        Assert.Equal("La lista de agentes hábiles quedó publicada.", await Seen(review.Locator("[role=status]")));
        await browser.CheckAsync(Gateway, $"/procesos/{processId}/revision", "revision", async p =>
            Assert.Contains("Lista de agentes hábiles publicada el", await Seen(p.Locator("main"))), cookies: await CookiesOf(committee));

        // Anyone, without signing in: names, roles and organisation, never a DNI.
        await browser.CheckAsync(Gateway, $"/procesos/{processId}/agentes", "agentes-habiles", async p =>
        {
            var html = await p.ContentAsync();
            Assert.DoesNotContain(representativeDni, html);
            Assert.DoesNotContain(alternateDni, html);
            var representativeCard = await Seen(p.Locator("article", new() { Has = p.GetByRole(AriaRole.Heading, new() { Name = representative }) }));
            Assert.Contains("Titular", representativeCard);
            Assert.Contains("Hábil", representativeCard);
            Assert.Contains(organisation, representativeCard);
            Assert.Contains("Comité o junta vecinal", representativeCard);
            Assert.Contains("Alterno", await Seen(p.Locator("article", new() { Has = p.GetByRole(AriaRole.Heading, new() { Name = alternate }) })));
            Assert.Contains(Today.AddDays(2).ToString("d 'de' MMMM 'de' yyyy", Peru), await Seen(p.Locator("section", new() { Has = p.GetByRole(AriaRole.Heading, new() { Name = "Tachas" }) })));
            Assert.Equal(1, await p.GetByRole(AriaRole.Link, new() { Name = "Ingrese" }).CountAsync());
        });
    }

    [Fact]
    public async Task A_refused_person_is_named_beside_the_form_and_the_corrected_form_registers_the_organisation_once()
    {
        var ct = TestContext.Current.CancellationToken;
        await WaitForPortalAsync(ct);
        var opened = await OpenAsync("130105", "Presupuesto Participativo Laredo", 600_000m,
            [(0, 0), (0, 0), (1, 2), (3, 3), (4, 4), (5, 10), (11, 20), (21, 30), (31, 40), (41, 300)], TwoAgentRules, ct);
        const string organisation = "Comunidad Campesina de Laredo";
        await using var context = await browser.NewPhoneContextAsync(Gateway);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/procesos/{opened.Process.Id}/inscripcion");
        await SignInAsync(page, "resident", "130105", "Teodoro Quispe Luján");
        await page.FillAsync("#org-name", organisation);
        await page.SelectOptionAsync("#org-type", "IndigenousOrPeasantCommunity");
        await page.SelectOptionAsync("#org-registry-kind", "Public");
        await page.FillAsync("#org-registry-number", "SUNARP-11002233");
        await page.FillAsync("#org-registry-date", "1998-11-09");
        await page.FillAsync("#org-members", "120");
        // Seven digits: the API refuses the representative's DNI, after the organisation is registered.
        await FillPersonAsync(page, "rep", "4512783", "Teodoro Quispe Luján", "Male", 1966);
        var refused = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Presentar la inscripción" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.EndsWith("/inscripcion", StringComparison.Ordinal));
        Assert.Equal(400, refused.Status);

        var problem = page.Locator(".problem[role=alert]");
        var shown = await Seen(problem);
        Assert.Contains("No pudimos presentar la inscripción", shown);
        Assert.Contains("The DNI must be exactly eight digits", shown);
        Assert.Equal("#rep-dni", await problem.GetByRole(AriaRole.Link, new() { Name = "Titular: DNI" }).GetAttributeAsync("href"));
        Assert.Equal("true", await page.GetAttributeAsync("#rep-dni", "aria-invalid"));
        Assert.Equal("4512783", await page.InputValueAsync("#rep-dni"));
        Assert.Contains("La organización ya quedó registrada", await Seen(page.Locator("fieldset", new() { Has = page.Locator("#org-name") })));
        Assert.True(await page.Locator("#org-name").IsDisabledAsync());
        await PortalBrowser.CheckShownAsync(page, "inscripcion-rechazada-movil");

        await page.FillAsync("#rep-dni", "45127830");
        await page.SetInputFilesAsync("#doc-RegistrationForm", new FilePayload { Name = "ficha.pdf", MimeType = "application/pdf", Buffer = Pdf("Ficha de inscripción, Laredo") });
        await SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Presentar la inscripción" }), "**/mis-inscripciones?presentada=*");
        var mine = await Seen(page.Locator("article", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = organisation }) }));
        Assert.Contains("Presentada", mine);
        Assert.Contains("Faltan: Constancia de inscripción en el registro; Acta de asamblea que elige a los representantes.", mine);

        var organisations = (await system.Gateway.GetFromJsonAsync<List<OrganisationJson>>("/api/registration/organisations?jurisdiction=130105", Json, ct))!;
        Assert.Single(organisations, o => o.Name == organisation);
    }

    [Fact]
    public async Task An_objection_outside_its_window_is_refused_with_the_APIs_reason_beside_the_form()
    {
        var ct = TestContext.Current.CancellationToken;
        await WaitForPortalAsync(ct);
        var opened = await OpenAsync("130103", "Presupuesto Participativo Florencia de Mora", 700_000m,
            [(0, 0), (0, 0), (1, 2), (3, 3), (4, 4), (5, 10), (11, 20), (21, 30), (31, 40), (41, 300)], TwoAgentRules, ct);
        var processId = opened.Process.Id;
        var agentId = (await RegisterEligibleAsync(opened, "130103", "Club de Madres Virgen de la Puerta", "WomensOrganisation",
            [("44561238", "Carmen Rosa Alvarado Paredes", "Female", 1972)], ct)).Single();
        Assert.Equal(HttpStatusCode.OK, (await opened.Admin.PostAsync($"/api/registration/processes/{processId}/eligible-list", null, ct)).StatusCode);

        // What the API itself answers a resident today: the objections window opens tomorrow.
        var asResident = system.As(await system.TokenAsync("resident", "130103", "Jorge Salazar Vega"));
        var direct = await asResident.PostAsJsonAsync($"/api/registration/processes/{processId}/objections",
            new { agentId, grounds = "No reside en el distrito", evidence = "Constancia domiciliaria de otro distrito" }, ct);
        Assert.Equal(HttpStatusCode.Conflict, direct.StatusCode);
        var reason = (await direct.Content.ReadFromJsonAsync<ProblemJson>(Json, ct))!;

        await using var context = await browser.NewPhoneContextAsync(Gateway);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/ingresar?volver=/procesos/{processId}/agentes");
        await SignInAsync(page, "resident", "130103", "Jorge Salazar Vega");
        Assert.EndsWith($"/procesos/{processId}/agentes", page.Url);
        await page.SelectOptionAsync("#agent", agentId.ToString());
        await page.FillAsync("#grounds", "No reside en el distrito");
        await page.FillAsync("#evidence", "Constancia domiciliaria de otro distrito");
        var answer = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Presentar la tacha" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.EndsWith($"/procesos/{processId}/agentes", StringComparison.Ordinal));
        Assert.Equal(409, answer.Status);

        var problem = page.Locator(".problem[role=alert]");
        var shown = await Seen(problem);
        Assert.Contains("La tacha no fue aceptada", shown);
        Assert.Contains("El proceso no lo permite en este momento", shown);
        var apiReasons = reason.Errors?.SelectMany(e => e.Value).ToList() is { Count: > 0 } reasons ? reasons : [reason.Detail!];
        Assert.All(apiReasons, r => Assert.Contains(r, shown));
        // What the resident wrote stays in the form, to file once the window opens.
        Assert.Equal("No reside en el distrito", await page.InputValueAsync("#grounds"));
        Assert.Contains(Today.AddDays(2).ToString("d 'de' MMMM 'de' yyyy", Peru), await Seen(page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Tachas" }) })));
        await PortalBrowser.CheckShownAsync(page, "tacha-rechazada-movil");
    }

    [Fact]
    public async Task The_statistics_pages_chart_and_tables_are_the_numbers_the_API_serves_for_a_process_and_across_years()
    {
        var ct = TestContext.Current.CancellationToken;
        await WaitForPortalAsync(ct);
        // Every window today, so the list is published and accredited in one go.
        (int, int)[] today = [(0, 0), (0, 0), (0, 0), (0, 0), (0, 0), (0, 0), (0, 0), (0, 0), (0, 0), (0, 0)];
        var first = await OpenAsync("130104", "Presupuesto Participativo Huanchaco", 1_500_000m, today, TwoAgentRules, ct);
        var next = await OpenAsync("130104", "Presupuesto Participativo Huanchaco", 1_600_000m, today, TwoAgentRules, ct, fiscalYearAfter: 1);
        await RegisterEligibleAsync(first, "130104", "Junta Vecinal Las Lomas de Huanchaco", "NeighbourhoodCommittee",
            [("45127836", "Ana María Torres Lozano", "Female", 1979), ("46238917", "Pedro Pablo Ríos Cueva", "Male", 2001)], ct);
        await RegisterAsync(first, "130104", "Comedor Popular Santa Rosa", "VasoDeLecheOrComedor", [("47349128", "Lucía Gamboa Reyes", "Female", 1958)], ct);
        Assert.Equal(HttpStatusCode.OK, (await first.Admin.PostAsync($"/api/registration/processes/{first.Process.Id}/eligible-list", null, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.Admin.PostAsync($"/api/registration/processes/{first.Process.Id}/accreditation", null, ct)).StatusCode);
        await RegisterAsync(next, "130104", "Asociación Juvenil Olas del Norte", "YouthOrganisation", [("48451239", "Diego Armando Castillo León", "Male", 2004)], ct);

        var ofProcess = (await system.Gateway.GetFromJsonAsync<StatisticsJson>($"/api/registration/processes/{first.Process.Id}/statistics", Json, ct))!;
        Assert.Contains(ofProcess.Rows, r => r.Accredited > 0);
        Assert.Contains(ofProcess.Rows, r => r.Dimension == "Gender" && r.Value == "Female");
        await browser.CheckAsync(Gateway, $"/procesos/{first.Process.Id}/estadisticas", "estadisticas-proceso", async page =>
        {
            await AssertChartAndTablesAsync(page, ofProcess.Rows, acrossYears: false);
            var gender = page.Locator("svg[data-dimension='Gender']");
            Assert.Equal("img", await gender.GetAttributeAsync("role"));
            var female = ofProcess.Rows.Single(r => r.Dimension == "Gender" && r.Value == "Female");
            Assert.Contains($"Mujeres: {female.Registered} inscritos, {female.Accredited} acreditados.", await gender.Locator("desc").TextContentAsync());
            var csv = await page.GetByRole(AriaRole.Link, new() { Name = "Descargar estos datos (CSV)" }).GetAttributeAsync("href");
            Assert.Equal($"/api/registration/processes/{first.Process.Id}/statistics?format=csv", csv);
            var lines = (await system.Gateway.GetStringAsync(csv, ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("fiscalYear,processId,dimension,value,registered,accredited", lines[0]);
            Assert.Equal(ofProcess.Rows.Select(r => $"{r.FiscalYear},{r.ProcessId},{r.Dimension},{r.Value},{r.Registered},{r.Accredited}"), lines.Skip(1));
        });

        var acrossYears = (await system.Gateway.GetFromJsonAsync<StatisticsJson>("/api/registration/statistics?jurisdiction=130104", Json, ct))!;
        Assert.Equal(new[] { first.Process.FiscalYear, next.Process.FiscalYear }, acrossYears.Rows.Select(r => r.FiscalYear).Distinct().Order());
        await browser.CheckAsync(Gateway, "/estadisticas?jurisdiccion=130104", "estadisticas-jurisdiccion", async page =>
        {
            await AssertChartAndTablesAsync(page, acrossYears.Rows, acrossYears: true);
            Assert.Contains("2 años fiscales", await Seen(page.Locator("main")));
            Assert.Equal("/api/registration/statistics?jurisdiction=130104&format=csv",
                await page.GetByRole(AriaRole.Link, new() { Name = "Descargar estos datos (CSV)" }).GetAttributeAsync("href"));
        });
    }

    /// <summary>Every row the API served is one table row and one pair of bars, each bar as long as its number on its dimension's scale.</summary>
    private static async Task AssertChartAndTablesAsync(IPage page, IReadOnlyList<StatisticsRowJson> rows, bool acrossYears)
    {
        Assert.Equal(rows.Count, await page.Locator("table.statistics tbody tr").CountAsync());
        Assert.Equal(rows.Count, await page.Locator("svg.chart g.item").CountAsync());
        foreach (var dimension in rows.GroupBy(r => r.Dimension))
        {
            var max = Math.Max(1, dimension.Max(r => Math.Max(r.Registered, r.Accredited)));
            foreach (var r in dimension)
            {
                var key = $"[data-value='{r.Value}'][data-year='{r.FiscalYear}']";
                var cells = await page.Locator($"table.statistics[data-dimension='{r.Dimension}'] tr{key} td.num").AllInnerTextsAsync();
                Assert.Equal(new[] { $"{r.Registered}", $"{r.Accredited}" }, cells);
                if (acrossYears)
                {
                    Assert.Equal($"{r.FiscalYear}", await page.Locator($"table.statistics[data-dimension='{r.Dimension}'] tr{key} td").First.InnerTextAsync());
                }
                var bars = page.Locator($"svg.chart[data-dimension='{r.Dimension}'] g.item{key}");
                Assert.Equal(Length(r.Registered, max), await bars.Locator("rect.registered").GetAttributeAsync("width"));
                Assert.Equal(Length(r.Accredited, max), await bars.Locator("rect.accredited").GetAttributeAsync("width"));
                Assert.Equal($"{r.Registered}", await bars.Locator("text.value.registered").TextContentAsync());
                Assert.Equal($"{r.Accredited}", await bars.Locator("text.value.accredited").TextContentAsync());
            }
        }
    }

    /// <summary>The chart's bars span 250 units for a dimension's largest number.</summary>
    private static string Length(int value, int max) => Math.Round(250.0 * value / max, 2).ToString("0.##", CultureInfo.InvariantCulture);

    private static readonly object TwoAgentRules = new
    {
        agentsPerOrganisation = 2, trainingRequiredToVote = true, ballotFormat = "Approval", allocationRule = "mes-add1", oversightCommitteeSize = 4,
        delegateSeats = 6, directiveCommitteeSeats = 5, quotas = new object[] { new { body = "Delegates", group = "Women", minimumSeats = 3 } },
    };

    private sealed record Opened(HttpClient Admin, ProcessJson Process);

    /// <summary>
    /// Opens a process whose windows are the given day offsets from today, in calendar order; its fiscal year
    /// is the one after Concertation starts (the API's rule), or later by <paramref name="fiscalYearAfter"/>.
    /// </summary>
    private async Task<Opened> OpenAsync(string jurisdiction, string name, decimal ceiling, (int From, int To)[] windows, object rules, CancellationToken ct, int fiscalYearAfter = 0)
    {
        var calendar = WindowNames.Zip(windows).ToDictionary(w => w.First, w => (object)new { from = Day(w.Second.From), to = Day(w.Second.To) });
        var fiscalYear = Today.AddDays(windows[5].From).Year + 1 + fiscalYearAfter;
        var admin = system.As(await system.TokenAsync("process-admin", jurisdiction, $"pp-{jurisdiction}"));
        var response = await admin.PostAsJsonAsync("/api/registration/processes",
            new { name = $"{name} {fiscalYear}", fiscalYear, level = "district", budgetCeiling = ceiling, calendar, rules }, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"open: {(int)response.StatusCode} {body}");
        return new Opened(admin, JsonSerializer.Deserialize<ProcessJson>(body, Json)!);
    }

    private static string Day(int offset) => Today.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>An organisation's application through the API, as another organisation would have made it; returns it.</summary>
    private async Task<ApplicationJson> RegisterAsync(Opened opened, string jurisdiction, string organisation, string type,
        (string Dni, string FullName, string Gender, int BirthYear)[] persons, CancellationToken ct)
    {
        var resident = system.As(await system.TokenAsync("resident", jurisdiction, $"secretaria-{persons[0].Dni}"));
        var org = await Expect<IdJson>(resident.PostAsJsonAsync("/api/registration/organisations", new
        {
            name = organisation, type, registry = new { kind = "Public", number = $"P-{persons[0].Dni}-{opened.Process.FiscalYear}", date = "2015-08-03" },
            territory = jurisdiction, activeMembers = 28,
        }, ct), HttpStatusCode.Created, ct);
        var application = await Expect<ApplicationJson>(resident.PostAsJsonAsync($"/api/registration/processes/{opened.Process.Id}/applications", new
        {
            organisationId = org.Id, channel = "Online",
            agents = persons.Select((p, i) => new { role = i == 0 ? "Representative" : "Alternate", dni = p.Dni, fullName = p.FullName, gender = p.Gender, birthYear = p.BirthYear }),
        }, ct), HttpStatusCode.Created, ct);
        foreach (var kind in new[] { "RegistrationForm", "RegistryEntry", "AssemblyAct" })
        {
            using var form = new MultipartFormDataContent { { new StringContent(kind), "kind" }, { new ByteArrayContent(Pdf($"{kind} {organisation}")), "file", $"{kind}.pdf" } };
            await Expect<IdJson>(resident.PostAsync($"/api/registration/processes/{opened.Process.Id}/applications/{application.Id}/documents", form, ct), HttpStatusCode.Created, ct);
        }
        return application;
    }

    /// <summary>An application the committee has found eligible (identities confirmed); returns its persons' agent ids.</summary>
    private async Task<List<Guid>> RegisterEligibleAsync(Opened opened, string jurisdiction, string organisation, string type,
        (string Dni, string FullName, string Gender, int BirthYear)[] persons, CancellationToken ct)
    {
        var application = await RegisterAsync(opened, jurisdiction, organisation, type, persons, ct);
        var path = $"/api/registration/processes/{opened.Process.Id}/applications/{application.Id}";
        foreach (var agent in application.Agents)
        {
            await Expect<IdJson>(opened.Admin.PostAsJsonAsync($"{path}/agents/{agent.Id}/identity", new { method = "DeskCard" }, ct), HttpStatusCode.OK, ct);
        }
        await Expect<IdJson>(opened.Admin.PostAsJsonAsync($"{path}/review", new { decision = "Eligible", reasons = "Documentos conformes" }, ct), HttpStatusCode.OK, ct);
        return application.Agents.Select(a => a.Id).ToList();
    }

    private static async Task<T> Expect<T>(Task<HttpResponseMessage> send, HttpStatusCode expected, CancellationToken ct)
    {
        using var response = await send;
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    /// <summary>Signs in on the development sign-in form, which returns to the page the person came from.</summary>
    private static async Task SignInAsync(IPage page, string role, string jurisdiction, string name)
    {
        Assert.Contains("/ingresar", page.Url);
        await page.CheckAsync($"#role-{role}");
        await page.FillAsync("#jurisdiction", jurisdiction);
        await page.FillAsync("#name", name);
        await SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Ingresar" }), url => !url.Contains("/ingresar", StringComparison.Ordinal));
    }

    /// <summary>Sends a form and waits for the page it leads to; if another page answers, the failure says what it showed.</summary>
    private static Task SubmitAsync(IPage page, ILocator button, string urlGlob) =>
        SubmitAsync(page, button, Glob(urlGlob).IsMatch);

    private static async Task SubmitAsync(IPage page, ILocator button, Func<string, bool> arrived)
    {
        await button.ClickAsync();
        try
        {
            // Several documents through the portal and the API on a shared machine: more than the default 30 s.
            await page.WaitForURLAsync(arrived, new() { Timeout = 90_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"The form led to {page.Url}: {await Seen(page.Locator("main"))}");
        }
    }

    /// <summary>Playwright's URL glob: ** any characters, * any but a slash.</summary>
    private static System.Text.RegularExpressions.Regex Glob(string glob) =>
        new("^" + System.Text.RegularExpressions.Regex.Escape(glob).Replace(@"\*\*", ".*").Replace(@"\*", "[^/]*") + "$");

    private static async Task FillPersonAsync(IPage page, string prefix, string dni, string fullName, string gender, int birthYear)
    {
        await page.FillAsync($"#{prefix}-dni", dni);
        await page.FillAsync($"#{prefix}-name", fullName);
        await page.SelectOptionAsync($"#{prefix}-gender", gender);
        await page.FillAsync($"#{prefix}-birth", $"{birthYear}");
        await page.FillAsync($"#{prefix}-phone", "944123456");
    }

    private static async Task<IEnumerable<Microsoft.Playwright.Cookie>> CookiesOf(IBrowserContext context) =>
        (await context.CookiesAsync()).Select(c => new Microsoft.Playwright.Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite, Expires = c.Expires,
        }).ToList();

    /// <summary>A document that is a PDF by its content, as a scanner writes the header.</summary>
    private static byte[] Pdf(string text) =>
        Encoding.ASCII.GetBytes($"%PDF-1.4\n% {Ascii(text)}\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    private static string Ascii(string text) => new(text.Normalize(NormalizationForm.FormD).Where(c => c < 128).ToArray());

    /// <summary>A valid 1×1 PNG (signature, IHDR, IDAT, IEND with their CRCs), as a phone's photo of a document would be a PNG.</summary>
    private static byte[] Png() => Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private static async Task<string> Seen(ILocator locator) => (await locator.InnerTextAsync()).Replace('\u00A0', ' ');

    private async Task WaitForPortalAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        await system.App.ResourceNotifications.WaitForResourceHealthyAsync("portal", timeout.Token);
    }

    // What the registration API answers, as these tests read it.
    private sealed record WindowJson(DateOnly From, DateOnly To);
    private sealed record ProcessJson(Guid Id, string Name, int FiscalYear, string Stage, Dictionary<string, WindowJson> Calendar, List<string> OpenSteps);
    private sealed record IdJson(Guid Id);
    private sealed record OrganisationJson(Guid Id, string Name);
    private sealed record PersonJson(Guid Id, string Role, string FullName, string? Dni);
    private sealed record DocumentJson(Guid Id, string Kind, string Sha256);
    private sealed record ApplicationJson(Guid Id, string Status, string OrganisationName, List<PersonJson> Agents, List<DocumentJson> Documents, List<string> MissingDocuments);
    private sealed record StatisticsRowJson(int FiscalYear, Guid ProcessId, string Dimension, string Value, int Registered, int Accredited);
    private sealed record StatisticsJson(List<StatisticsRowJson> Rows);
    private sealed record ProblemJson(string? Title, string? Detail, Dictionary<string, string[]>? Errors);
}
