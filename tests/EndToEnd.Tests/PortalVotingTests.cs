using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Cookie = Microsoft.Playwright.Cookie;

using static PBServices.EndToEnd.Tests.Answers;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// The agents' vote in the citizen portal, in a real browser through the gateway: the ballot on a cheap
/// phone, its limits refused in Spanish with the choices kept, the receipt, a second vote refused, the
/// results with every project explained and a chart, and the receipt check. Each test has its own
/// jurisdiction (170101–170104) and compares the pages with what the API serves.
/// </summary>
public sealed partial class PortalVotingTests(SystemFixture system, PortalBrowser browser) : IClassFixture<PortalBrowser>
{
    /// <summary>A ballot page for a phone on a weak connection: the document and its one stylesheet.</summary>
    private const long BallotBudgetBytes = 30 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private Uri Gateway => system.Gateway.BaseAddress!;

    [GeneratedRegex("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")]
    private static partial Regex ReceiptFormat();

    [Fact]
    public async Task An_agent_votes_on_a_phone_within_the_ballots_limits_gets_a_receipt_and_after_the_close_finds_the_ballot_counted_in_the_results()
    {
        await WaitForPortalAsync();
        var story = await ProcessStory.OpenAsync(system, "170101", "Presupuesto Participativo Chiclayo Centro 2027", 1_000_000m, Ct);
        var agents = await story.AccreditAgentsAsync(
            ("Teresa Chozo Sandoval", "47170101", "Comité vecinal Urrunaga"),
            ("Rosa Llontop Capuñay", "47170102", "Club de Madres Santa Rosa"),
            ("Carmen Ñiquén Bances", "47170103", "Junta vecinal Campodónico"),
            ("Luz Tesén Chapoñán", "47170104", "Comedor popular San Antonio"));
        // Teresa did not attend the training the rules require; the others did.
        var (untrained, voter, others) = (agents[0], agents[1], agents.Skip(2).ToList());
        await TrainAsync(story, agents.Skip(1));
        await story.StartConcertationAsync();
        var water = await story.ProposeAsync("Agua potable para el sector Urrunaga", 400_000m);
        var park = await story.ProposeAsync("Parque infantil Santa Rosa", 250_000m);
        var drainage = await story.ProposeAsync("Drenaje pluvial de la avenida Bolognesi", 350_000m);
        await story.AssessAsync((water, true, 80m, "Viable"), (park, true, 70m, "Viable"), (drainage, true, 65m, "Viable"));
        var roundPath = $"/api/deliberation/processes/{story.Process.Id}/rounds";
        var round = await ExpectAsync<JsonElement>(story.Admin.PostAsJsonAsync(roundPath, new { budgetLimit = 700_000m, maxProjects = 2 }, Ct), HttpStatusCode.Created);
        roundPath += $"/{round.GetProperty("id").GetGuid()}";
        var ballot = $"/procesos/{story.Process.Id}/votacion";

        // On a cheap phone's screen, the agent signs in on the way to the ballot and comes back to it.
        await using var phone = await browser.NewPhoneContextAsync(Gateway, height: 640);
        var page = await phone.NewPageAsync();
        await page.GotoAsync(ballot);
        Assert.Contains("/ingresar", page.Url);
        await page.CheckAsync("#role-agent");
        await page.FillAsync("#jurisdiction", "170101");
        await page.FillAsync("#name", voter.FullName);
        await page.FillAsync("#agent-code", voter.Id.ToString());
        await SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Ingresar" }), url => url.EndsWith(ballot, StringComparison.Ordinal));

        var main = await Seen(page.Locator("main"));
        Assert.Contains("Usted puede votar", main);
        Assert.Contains("Hasta 2 proyectos", main);
        Assert.Contains("como máximo S/ 700,000.00", main);
        foreach (var (project, cost) in new[] { (water, "S/ 400,000.00"), (park, "S/ 250,000.00"), (drainage, "S/ 350,000.00") })
        {
            var option = page.Locator("label.option", new() { HasText = project.Title });
            Assert.Contains(cost, await Seen(option));
            Assert.Equal("checkbox", await page.GetByLabel(project.Title).GetAttributeAsync("type"));
        }
        // Usable on the phone: the button to vote is reachable and every checkbox is a thumb's target.
        var cast = page.GetByRole(AriaRole.Button, new() { Name = "Emitir mi voto" });
        Assert.True(await cast.IsVisibleAsync());
        foreach (var box in await page.Locator(".ballot .option").AllAsync())
        {
            var size = await box.BoundingBoxAsync();
            Assert.True(size is { Height: >= 40 } && size.Width <= PortalBrowser.PhoneWidth, $"a ballot row is {size?.Width}x{size?.Height} px");
        }
        Assert.Equal(0, await page.Locator("script").CountAsync());
        await PortalBrowser.CheckShownAsync(page, "votacion-cedula-movil");

        // Three projects: over the number and the budget the ballot allows. Refused in Spanish, the choices kept.
        foreach (var project in new[] { water, park, drainage })
        {
            await page.GetByLabel(project.Title).CheckAsync();
        }
        var refused = await SubmitForResponseAsync(page, cast);
        Assert.Equal(400, refused);
        var problem = await Seen(page.Locator(".problem"));
        Assert.Contains("Su voto aún no se registró", problem);
        Assert.Contains("Eligió 3 proyectos y puede elegir hasta 2", problem);
        Assert.Contains("suman S/ 1,000,000.00 y el límite de la cédula es S/ 700,000.00", problem);
        foreach (var project in new[] { water, park, drainage })
        {
            Assert.True(await page.GetByLabel(project.Title).IsCheckedAsync(), $"{project.Title} is still checked");
        }
        Assert.Equal(0, (await system.Gateway.GetFromJsonAsync<JsonElement>(roundPath, Ct)).GetProperty("voters").GetInt32());
        await PortalBrowser.CheckShownAsync(page, "votacion-cedula-rechazada-movil");

        // Water and the park: 650,000, within the limit.
        await page.GetByLabel(drainage.Title).UncheckAsync();
        await SubmitAsync(page, cast, url => url.EndsWith($"{ballot}/constancia", StringComparison.Ordinal));
        var receipt = await Seen(page.Locator("#receipt-code"));
        Assert.Matches(ReceiptFormat(), receipt);
        Assert.Contains("Anote este código", await Seen(page.Locator("main")));
        Assert.Equal($"/procesos/{story.Process.Id}/comprobar", await page.GetByRole(AriaRole.Link, new() { Name = "«¿Se contó mi voto?»" }).GetAttributeAsync("href"));
        Assert.Equal(1, (await system.Gateway.GetFromJsonAsync<JsonElement>(roundPath, Ct)).GetProperty("voters").GetInt32());
        await PortalBrowser.CheckShownAsync(page, "votacion-constancia-movil");

        // A second vote from the same agent: refused in Spanish, nothing stored.
        await page.GotoAsync(ballot);
        Assert.Contains("ya se votó", await Seen(page.Locator("main")));
        await page.GetByLabel(drainage.Title).CheckAsync();
        Assert.Equal(409, await SubmitForResponseAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Emitir mi voto" })));
        var again = await Seen(page.Locator(".problem"));
        Assert.Contains("Usted ya votó", again);
        Assert.Contains("Cada agente vota una sola vez", again);
        Assert.Equal(1, (await system.Gateway.GetFromJsonAsync<JsonElement>(roundPath, Ct)).GetProperty("voters").GetInt32());
        await PortalBrowser.CheckShownAsync(page, "votacion-segundo-voto-movil");

        // The ballot page is light: document and stylesheet under 30 KB, at a phone's width and a desktop's.
        var session = (await phone.CookiesAsync()).Where(c => c.Name == "pb_sesion").Select(c => new Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite, Expires = c.Expires,
        }).ToList();
        var weight = await browser.CheckAsync(Gateway, ballot, "votacion-cedula", async p => Assert.Equal(3, await p.Locator(".ballot .option").CountAsync()), cookies: session);
        Assert.True(weight < BallotBudgetBytes, $"the ballot weighs {weight} bytes");

        // The agent who skipped the training sees why they may not vote, and no ballot to send.
        var untrainedToken = await system.TokenAsync("agent", "170101", untrained.Id.ToString());
        await browser.CheckAsync(Gateway, ballot, "votacion-no-habilitado", async p =>
        {
            var why = await Seen(p.Locator("main"));
            Assert.Contains("Usted no puede votar en este proceso", why);
            Assert.Contains("asistido a una sesión de capacitación", why);
            Assert.Equal(0, await p.Locator("form.ballot").CountAsync());
        }, cookies: [SessionCookie(untrainedToken)]);

        // The other two vote through the API; while the vote is open the results page says only how many have voted.
        Guid[][] choices = [[drainage.Id, park.Id], [water.Id]];
        for (var i = 0; i < others.Count; i++)
        {
            var client = system.As(await system.TokenAsync("agent", "170101", others[i].Id.ToString()));
            await ExpectAsync<JsonElement>(client.PostAsJsonAsync($"{roundPath}/ballots", new { projects = choices[i] }, Ct), HttpStatusCode.Created);
        }
        var results = $"/procesos/{story.Process.Id}/resultados";
        await browser.CheckAsync(Gateway, results, "resultados-abierta", async p =>
            Assert.Contains("La votación está abierta: han votado 3 agentes", await Seen(p.Locator("#voting-open"))));
        await browser.CheckAsync(Gateway, $"/procesos/{story.Process.Id}/comprobar?codigo={receipt}", "comprobar-abierta", async p =>
            Assert.Contains("La votación sigue abierta", await Seen(p.Locator("#lookup"))));

        var closed = await ExpectAsync<JsonElement>(story.Admin.PostAsync($"{roundPath}/closure", null, Ct), HttpStatusCode.OK);
        var served = (await system.Gateway.GetFromJsonAsync<ResultJson>($"{roundPath}/result", Json, Ct))!;
        Assert.Equal(closed.GetProperty("spent").GetDecimal(), served.Spent);
        Assert.Contains(served.Projects, p => p.Verdict == "Funded");

        await browser.CheckAsync(Gateway, results, "resultados", async p =>
        {
            Assert.Equal(Soles(served.Spent), await Seen(p.Locator("#spent")));
            Assert.Equal("S/ 1,000,000.00", await Seen(p.Locator("#budget")));
            Assert.Equal(("3", "3", "0"), (await Seen(p.Locator("#ballots")), await Seen(p.Locator("#online")), await Seen(p.Locator("#paper"))));
            foreach (var project in served.Projects)
            {
                var card = p.Locator($"article[data-project='{project.ProposalId}']");
                Assert.Equal(project.Verdict, await card.GetAttributeAsync("data-verdict"));
                var text = await Seen(card);
                Assert.Contains(project.Title, text);
                Assert.Contains(Soles(project.Cost), text);
                Assert.Contains(project.Verdict == "Funded" ? "Financiado" : "No se financia", text);
                Assert.Contains(project.Reason, text);
                // The chart draws the same supporters the API counted.
                var bar = p.Locator($"svg.supporters g[data-project='{project.ProposalId}']");
                Assert.Equal($"{project.Supporters}", await bar.GetAttributeAsync("data-supporters"));
                Assert.Equal(project.Verdict == "Funded" ? "true" : "false", await bar.GetAttributeAsync("data-funded"));
            }
            Assert.Equal(served.Projects.Count, await p.Locator("svg.supporters rect.bar").CountAsync());
            // Water has two votes, the most: its bar is the longest.
            var widths = await p.Locator("svg.supporters rect.bar").EvaluateAllAsync<double[]>("bars => bars.map(b => b.width.baseVal.value)");
            Assert.Equal(widths.Max(), double.Parse(await p.Locator($"svg.supporters g[data-project='{water.Id}'] rect").GetAttributeAsync("width") ?? "0", System.Globalization.CultureInfo.InvariantCulture));
            if (served.ComparedWithGreedy is { } compared)
            {
                Assert.Equal($"{compared.PreferThisOutcome}", await Seen(p.Locator("#prefer-this")));
                Assert.Equal($"{compared.PreferGreedy}", await Seen(p.Locator("#prefer-greedy")));
            }
            var election = await p.GetByRole(AriaRole.Link, new() { Name = "Elección en formato Pabulib (.pb)" }).GetAttributeAsync("href");
            Assert.Equal($"{roundPath}/election.pb", election);
            Assert.Contains(receipt, await system.Gateway.GetStringAsync(election, Ct));
            Assert.Equal($"{roundPath}/ballots.csv", await p.GetByRole(AriaRole.Link, new() { Name = "Cédulas (CSV)" }).GetAttributeAsync("href"));
            Assert.Equal($"{roundPath}/result.csv", await p.GetByRole(AriaRole.Link, new() { Name = "Resultado por proyecto (CSV)" }).GetAttributeAsync("href"));
        });

        // The agent checks the receipt they noted, typed in lower case on the phone: the ballot as cast.
        await page.GotoAsync($"/procesos/{story.Process.Id}/comprobar");
        await page.FillAsync("#codigo", receipt.ToLowerInvariant());
        await SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Comprobar" }), url => url.Contains("codigo=", StringComparison.Ordinal));
        var found = await Seen(page.Locator("#lookup"));
        Assert.Contains("Su voto se contó", found);
        Assert.Contains(receipt, found);
        Assert.Contains(water.Title, found);
        Assert.Contains(park.Title, found);
        Assert.DoesNotContain(drainage.Title, found);
        await PortalBrowser.CheckShownAsync(page, "comprobar-encontrado-movil");

        await browser.CheckAsync(Gateway, $"/procesos/{story.Process.Id}/comprobar?codigo=AAAA-BBBB-CCCC", "comprobar-no-encontrado", async p =>
            Assert.Contains("No hay ninguna cédula con el código AAAA-BBBB-CCCC", await Seen(p.Locator("#lookup"))));
        await browser.CheckAsync(Gateway, $"/procesos/{story.Process.Id}/comprobar?codigo=12345", "comprobar-mal-escrito", async p =>
            Assert.Contains("no es un código de constancia", await Seen(p.Locator("#codigo-error"))));

        // The process page leads to the results and the check.
        await browser.CheckAsync(Gateway, $"/procesos/{story.Process.Id}", "proceso-votacion-cerrada", async p =>
        {
            Assert.Equal(results, await p.GetByRole(AriaRole.Link, new() { Name = "Resultados de la votación" }).GetAttributeAsync("href"));
            Assert.Equal($"/procesos/{story.Process.Id}/comprobar", await p.GetByRole(AriaRole.Link, new() { Name = "¿Se contó mi voto?" }).GetAttributeAsync("href"));
        });
    }

    [Fact]
    public async Task A_cumulative_ballot_refuses_more_points_than_the_agent_has_keeping_them_and_the_receipt_check_shows_the_points_counted()
    {
        await WaitForPortalAsync();
        var story = await ProcessStory.OpenAsync(system, "170102", "Presupuesto Participativo José Leonardo Ortiz 2027", 800_000m, Ct, rules: new
        {
            agentsPerOrganisation = 2, trainingRequiredToVote = false, ballotFormat = "Cumulative", allocationRule = "greedy", oversightCommitteeSize = 4,
            delegateSeats = 6, directiveCommitteeSeats = 5, quotas = Array.Empty<object>(),
        });
        var agents = await story.AccreditAgentsAsync(
            ("Gladys Santamaría Uypan", "47170201", "Comité vecinal Atusparias"),
            ("Doris Vidaurre Sencio", "47170202", "Vaso de Leche Urrunaga Norte"));
        await story.StartConcertationAsync();
        var market = await story.ProposeAsync("Mejoramiento del mercado Moshoqueque", 500_000m);
        var lighting = await story.ProposeAsync("Alumbrado público del pueblo joven Atusparias", 200_000m);
        var library = await story.ProposeAsync("Biblioteca comunal Ortiz", 150_000m);
        await story.AssessAsync((market, true, 75m, "Viable"), (lighting, true, 70m, "Viable"), (library, true, 60m, "Viable"));
        var roundPath = $"/api/deliberation/processes/{story.Process.Id}/rounds";
        var round = await ExpectAsync<JsonElement>(story.Admin.PostAsJsonAsync(roundPath, new { points = 10 }, Ct), HttpStatusCode.Created);
        roundPath += $"/{round.GetProperty("id").GetGuid()}";
        var ballot = $"/procesos/{story.Process.Id}/votacion";
        await Eventually.Get(async () =>
        {
            var r = await story.Admin.GetAsync($"/api/deliberation/processes/{story.Process.Id}/eligibility?agentId={agents[0].Id}", Ct);
            return r.IsSuccessStatusCode && (await r.Content.ReadFromJsonAsync<EligibilityTests.EligibilityDto>(Ct)) is { MayVote: true } e ? e : null;
        }, "deliberation to learn that the agent may vote");

        await using var phone = await browser.NewPhoneContextAsync(Gateway, height: 640);
        await phone.AddCookiesAsync([SessionCookie(await system.TokenAsync("agent", "170102", agents[0].Id.ToString()))]);
        var page = await phone.NewPageAsync();
        await page.GotoAsync(ballot);
        Assert.Contains("Tiene 10 puntos para repartir", await Seen(page.Locator("#ballot-rules")));
        Assert.Equal("number", await page.GetByLabel(market.Title).GetAttributeAsync("type"));
        await page.GetByLabel(market.Title).FillAsync("6");
        await page.GetByLabel(lighting.Title).FillAsync("5");
        var cast = page.GetByRole(AriaRole.Button, new() { Name = "Emitir mi voto" });
        Assert.Equal(400, await SubmitForResponseAsync(page, cast));
        Assert.Contains("Repartió 11 puntos y tiene 10: quite 1.", await Seen(page.Locator(".problem")));
        Assert.Equal(("6", "5", ""), (await page.GetByLabel(market.Title).InputValueAsync(), await page.GetByLabel(lighting.Title).InputValueAsync(),
            await page.GetByLabel(library.Title).InputValueAsync()));
        await PortalBrowser.CheckShownAsync(page, "votacion-puntos-rechazada-movil");

        await page.GetByLabel(lighting.Title).FillAsync("4");
        await SubmitAsync(page, cast, url => url.EndsWith($"{ballot}/constancia", StringComparison.Ordinal));
        var receipt = await Seen(page.Locator("#receipt-code"));
        Assert.Matches(ReceiptFormat(), receipt);

        await ExpectAsync<JsonElement>(story.Admin.PostAsync($"{roundPath}/closure", null, Ct), HttpStatusCode.OK);
        var published = await ExpectAsync<JsonElement>(system.Gateway.GetAsync($"{roundPath}/receipts/{receipt}", Ct), HttpStatusCode.OK);
        Assert.Equal([market.Id, lighting.Id], published.GetProperty("projects").EnumerateArray().Select(e => e.GetGuid()));
        Assert.Equal([6, 4], published.GetProperty("points").EnumerateArray().Select(e => e.GetInt32()));

        await browser.CheckAsync(Gateway, $"/procesos/{story.Process.Id}/comprobar?codigo={receipt}", "comprobar-puntos", async p =>
        {
            var found = await Seen(p.Locator("#lookup"));
            Assert.Contains($"{market.Title} · S/ 500,000.00 · 6 puntos", found);
            Assert.Contains($"{lighting.Title} · S/ 200,000.00 · 4 puntos", found);
            Assert.DoesNotContain(library.Title, found);
        });
        // Greedy counts no comparison with itself: the results page shows none.
        await browser.CheckAsync(Gateway, $"/procesos/{story.Process.Id}/resultados", "resultados-puntos", async p =>
        {
            Assert.Equal("1", await Seen(p.Locator("#ballots")));
            Assert.Equal(0, await p.Locator("#compare-title").CountAsync());
            Assert.Equal(3, await p.Locator("svg.supporters rect.bar").CountAsync());
        });
    }

    /// <summary>A training session today, attended online by each agent; then deliberation knows they may vote.</summary>
    private static Task TrainAsync(ProcessStory story, IEnumerable<AgentDto> agents) => story.TrainAsync(agents);

    /// <summary>The portal's session cookie for a token, as the sign-in page sets it.</summary>
    private Cookie SessionCookie(string token) => new()
    {
        Name = "pb_sesion", Value = token, Domain = Gateway.Host, Path = "/", HttpOnly = true, SameSite = SameSiteAttribute.Strict,
    };

    private static async Task SubmitAsync(IPage page, ILocator button, Func<string, bool> arrived)
    {
        await button.ClickAsync();
        try
        {
            // Arriving is the redirect committing; waiting for every resource's load event too made a loaded machine time out on a page already shown.
            await page.WaitForURLAsync(arrived, new() { Timeout = 60_000, WaitUntil = WaitUntilState.Commit });
            await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"The form led to {page.Url}: {await Seen(page.Locator("main"))}");
        }
    }

    /// <summary>Sends the form and returns the status of the page it answers with.</summary>
    private static async Task<int> SubmitForResponseAsync(IPage page, ILocator button)
    {
        var response = await page.RunAndWaitForResponseAsync(() => button.ClickAsync(), r => r.Request.Method == "POST" && r.Request.IsNavigationRequest,
            new() { Timeout = 60_000 });
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded, new() { Timeout = 60_000 });
        return response.Status;
    }

    private static string Soles(decimal amount) => amount.ToString("C2", System.Globalization.CultureInfo.GetCultureInfo("es-PE")).Replace('\u00A0', ' ');

    private static async Task<string> Seen(ILocator locator) => (await locator.InnerTextAsync()).Replace('\u00A0', ' ');

    private async Task WaitForPortalAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        await system.App.ResourceNotifications.WaitForResourceHealthyAsync("portal", timeout.Token);
    }

    private sealed record ProjectJson(Guid ProposalId, string Title, decimal Cost, int Supporters, string Verdict, int? Round, string Reason);
    private sealed record ComparisonJson(int PreferThisOutcome, int PreferGreedy, int Indifferent);
    private sealed record ResultJson(decimal Spent, decimal Budget, List<ProjectJson> Projects, ComparisonJson? ComparedWithGreedy);
}
