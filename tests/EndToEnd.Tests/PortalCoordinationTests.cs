using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

using static PBServices.EndToEnd.Tests.Answers;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// The coordination page in a real browser, as a resident reads it: Tacna's districts (250101, 250102) and their
/// province (250100). A canal benefiting both districts is escalated and included by the province co-financed
/// with the district, the irrigators' labour and a company's materials; the district drops a project. Every
/// decision shows with the reason and author the API serves; the ranks then and now, the shares and the
/// commitment are the API's figures.
/// </summary>
public sealed class PortalCoordinationTests(SystemFixture system, PortalBrowser browser) : IClassFixture<PortalBrowser>
{
    private static readonly CultureInfo Peru = CultureInfo.GetCultureInfo("es-PE");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private Uri Gateway => system.Gateway.BaseAddress!;

    private sealed record Level(ProcessStory Story, HttpClient Council, Dictionary<string, ProposalDto> Proposals);

    private async Task<ProcessStory> OpenAsync(string jurisdiction, string level, decimal ceiling, string agentDni)
    {
        var story = await ProcessStory.OpenAsync(system, jurisdiction, $"Presupuesto Participativo {jurisdiction} 2027", ceiling, Ct, level);
        await story.AccreditAgentAsync($"Agente {jurisdiction}", agentDni, $"Junta vecinal {jurisdiction}");
        await story.StartConcertationAsync();
        return story;
    }

    /// <summary>The agents propose, the technical team scores them in the order given (so the agents' ranks are that order), the list is prioritised and coordination receives it.</summary>
    private async Task<Level> PrioritisedAsync(ProcessStory story, params (string Title, decimal Cost, string[]? Districts)[] proposals)
    {
        var made = new Dictionary<string, ProposalDto>();
        foreach (var (title, cost, districts) in proposals)
        {
            made[title] = await story.ProposeAsync(title, cost, districts);
        }
        await story.AssessAsync(proposals.Select((p, i) => (made[p.Title], true, 90m - 10 * i, "Viable: perfil aprobado")).ToArray());
        await story.PrioritizeAsync();
        await ProcessSteps.AdvanceAsync(story.Admin, story.Process.Id, "Coordination", Ct);
        var jurisdiction = story.Process.Jurisdiction;
        var council = system.As(await system.TokenAsync("coordination-council", jurisdiction, $"consejo-{jurisdiction}"));
        await ProcessSteps.UntilAsync(() => system.Gateway.GetAsync(Path(story, "coordination"), Ct), HttpStatusCode.OK, $"coordination to receive {jurisdiction}'s list");
        return new Level(story, council, made);
    }

    private static string Path(ProcessStory story, string rest) => $"/api/coordination/processes/{story.Process.Id}/{rest}";

    private async Task<JsonElement> CoordinationAsync(Level level) =>
        await system.Gateway.GetFromJsonAsync<JsonElement>(Path(level.Story, "coordination"), Ct);

    /// <summary>A decision sent until coordination has learnt the process is in Coordination (a refused one changes nothing).</summary>
    private static async Task<JsonElement> DecideAsync(Func<Task<HttpResponseMessage>> send, string what) =>
        await (await ProcessSteps.UntilAsync(send, HttpStatusCode.OK, what)).Content.ReadFromJsonAsync<JsonElement>(Ct);

    [Fact]
    public async Task A_resident_sees_every_authority_decision_with_its_reason_and_author_the_two_ranks_the_co_financing_and_the_commitment()
    {
        const string canal = "Canal de riego Pocollay–Calana", sport = "Losa deportiva Cono Norte", lights = "Alumbrado de la avenida Bolognesi";
        const string school = "Aulas de la I.E. Alto de la Alianza", market = "Mercado mayorista provincial";
        await WaitForPortalAsync();

        // Alto de la Alianza's process has no list in coordination yet: the page says so in Spanish, not an error.
        var alianzaStory = await OpenAsync("250102", "district", 600_000m, "47250102");
        await browser.CheckAsync(Gateway, $"/procesos/{alianzaStory.Process.Id}/coordinacion", "coordinacion-sin-lista",
            async page => Assert.Contains("aún no ha recibido la lista priorizada", await Seen(page.Locator("#no-list"))));

        var tacna = await PrioritisedAsync(await OpenAsync("250101", "district", 1_000_000m, "47250101"),
            (canal, 600_000m, ["250101", "250102"]), (sport, 200_000m, null), (lights, 150_000m, null));
        var alianza = await PrioritisedAsync(alianzaStory, (school, 300_000m, null));
        var province = await PrioritisedAsync(await OpenAsync("250100", "province", 2_000_000m, "47250100"), (market, 900_000m, null));
        var canalId = tacna.Proposals[canal].Id;

        await DecideAsync(() => province.Council.PutAsJsonAsync(Path(province.Story, "impact-rules"), new { costThreshold = 500_000m, multiDistrict = true }, Ct), "the province's impact rules");
        const string escalation = "Beneficia a Tacna y a Alto de la Alianza y supera el umbral provincial: la provincia lo ejecuta";
        const string drop = "La avenida ya tiene alumbrado nuevo por el convenio con Electrosur";
        const string inclusion = "Obra de impacto provincial, cofinanciada con el distrito, los regantes y una empresa";
        await DecideAsync(() => tacna.Council.PostAsJsonAsync(Path(tacna.Story, $"items/{canalId}/escalation"), new { reason = escalation }, Ct), "the district's escalation");
        await DecideAsync(() => tacna.Council.PostAsJsonAsync(Path(tacna.Story, $"items/{tacna.Proposals[lights].Id}/drop"), new { reason = drop }, Ct), "the district's drop");
        var shares = new object[]
        {
            new { partyKind = "Government", party = "Municipalidad Provincial de Tacna", processId = province.Story.Process.Id, contribution = "Money", amount = 300_000m, commitment = "Expediente técnico y obra" },
            new { partyKind = "Government", party = "Municipalidad Distrital de Tacna", processId = tacna.Story.Process.Id, contribution = "Money", amount = 180_000m, commitment = "Tramo de Pocollay" },
            new { partyKind = "Community", party = "Junta de usuarios de riego Pocollay", contribution = "Labour", amount = 90_000m, commitment = "Faenas comunales: zanjas y acarreo" },
            new { partyKind = "Company", party = "Cementos del Sur S.A.", contribution = "Materials", amount = 30_000m, commitment = "Cemento y fierro" },
        };
        await DecideAsync(() => province.Council.PostAsJsonAsync(Path(province.Story, "inclusions"), new { proposalId = canalId, rank = 1, reason = inclusion, shares }, Ct),
            "the province's inclusion of the escalated canal");

        var district = await CoordinationAsync(tacna);
        var provincial = await CoordinationAsync(province);
        Assert.Equal((380_000m, 1_200_000m), (district.GetProperty("commitment").GetDecimal(), provincial.GetProperty("commitment").GetDecimal()));
        Assert.Equal(["Escalate", "Drop"], district.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("kind").GetString()));

        await browser.CheckAsync(Gateway, $"/procesos/{tacna.Story.Process.Id}/coordinacion", "coordinacion-distrito", async page =>
        {
            await DecisionsShownAsync(page, district, new() { ["Escalate"] = ("Elevó un proyecto al nivel superior", canal), ["Drop"] = ("Retiró un proyecto", lights) });
            Assert.Equal(Soles(380_000m), await Seen(page.Locator("#commitment")));
            Assert.Equal(Soles(1_000_000m), await Seen(page.Locator("#ceiling")));
            var bar = page.Locator("meter#usage-commitment");
            Assert.Equal((380_000m, 1_000_000m), (decimal.Parse((await bar.GetAttributeAsync("value"))!, CultureInfo.InvariantCulture),
                decimal.Parse((await bar.GetAttributeAsync("max"))!, CultureInfo.InvariantCulture)));
            await ItemsShownAsync(page, district, new() { [canal] = "Elevado al nivel superior", [sport] = "Incluido", [lights] = "Retirado" });
            // The agents' three projects beside the one left on the list.
            Assert.Equal([canal, sport, lights], await page.Locator("#agreed tbody th").AllInnerTextsAsync());
            Assert.Equal([sport], await page.Locator("#coordinated tbody th").AllInnerTextsAsync());
            Assert.Equal(0, await page.Locator("script").CountAsync());
            // Printed, for a council session or a notice board: the decisions, without the site's header.
            await page.EmulateMediaAsync(new() { Media = Media.Print });
            Assert.False(await page.Locator("header.site").IsVisibleAsync());
            Assert.True(await page.Locator("#decisiones").IsVisibleAsync());
            await page.EmulateMediaAsync(new() { Media = Media.Screen });
        });

        var included = provincial.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("proposalId").GetGuid() == canalId);
        await browser.CheckAsync(Gateway, $"/procesos/{province.Story.Process.Id}/coordinacion", "coordinacion-provincia", async page =>
        {
            await DecisionsShownAsync(page, provincial, new() { ["Include"] = ("Incluyó un proyecto elevado", canal) });
            Assert.Equal(Soles(1_200_000m), await Seen(page.Locator("#commitment")));
            Assert.Equal(Soles(800_000m), await Seen(page.Locator("#left")));
            await ItemsShownAsync(page, provincial, new() { [canal] = "Incluido", [market] = "Incluido" });
            var card = page.Locator($"article.coord-item[data-project='{canalId}']");
            Assert.Equal(("No estaba", "1"), (await Seen(card.Locator(".agreed-rank")), await Seen(card.Locator(".rank"))));
            Assert.Equal("la lista del distrito 250101", await Seen(card.Locator(".origin")));
            // Why it counts as of wider impact, the reasons as the API gives them.
            Assert.Equal(included.GetProperty("impact").EnumerateArray().Select(i => i.GetString()!), await card.Locator(".impact li").AllInnerTextsAsync());
            Assert.Equal(2, await card.Locator(".impact li").CountAsync());
            // Who pays what, in what, and what each commits: the API's shares, in order.
            var served = included.GetProperty("cofinancing").GetProperty("shares").EnumerateArray().ToList();
            Assert.Equal(4, served.Count);
            var shown = card.Locator("li.share");
            Assert.Equal(served.Count, await shown.CountAsync());
            string[] contributions = ["en dinero", "en dinero", "en mano de obra, valorizada", "en materiales, valorizados"];
            for (var i = 0; i < served.Count; i++)
            {
                var share = shown.Nth(i);
                Assert.Equal(served[i].GetProperty("party").GetString(), await Seen(share.Locator(".party")));
                Assert.Equal(Soles(served[i].GetProperty("amount").GetDecimal()), await Seen(share.Locator(".amount")));
                Assert.Equal(contributions[i], await Seen(share.Locator(".contribution")));
                Assert.Equal($"Compromiso: {served[i].GetProperty("commitment").GetString()}", await Seen(share.Locator(".commitment")));
            }
            Assert.Equal([Soles(300_000m), Soles(180_000m), Soles(90_000m), Soles(30_000m)], (await shown.Locator(".amount").AllInnerTextsAsync()).Select(Plain));
            Assert.Equal($"/procesos/{tacna.Story.Process.Id}/coordinacion",
                await shown.Nth(1).GetByRole(AriaRole.Link, new() { Name = "Municipalidad Distrital de Tacna" }).GetAttributeAsync("href"));
            // The districts' lists below the province, each linking to its own page.
            foreach (var below in new[] { tacna, alianza })
            {
                var list = page.Locator($"article.below-list[data-process='{below.Story.Process.Id}']");
                Assert.Equal($"/procesos/{below.Story.Process.Id}/coordinacion",
                    await list.GetByRole(AriaRole.Link, new() { Name = $"Lista del distrito {below.Story.Process.Jurisdiction}" }).GetAttributeAsync("href"));
            }
            Assert.Contains("Elevado al nivel superior", await Seen(page.Locator($"article.below-list[data-process='{tacna.Story.Process.Id}'] li[data-project='{canalId}']")));
        });

        await browser.CheckAsync(Gateway, $"/procesos/{tacna.Story.Process.Id}", "proceso-coordinacion", async page =>
            Assert.Equal($"/procesos/{tacna.Story.Process.Id}/coordinacion",
                await page.GetByRole(AriaRole.Link, new() { Name = "Coordinación entre niveles: la lista de los agentes, las decisiones de las autoridades y el cofinanciamiento" }).GetAttributeAsync("href")));
    }

    /// <summary>Every decision the API serves is on the page, once, with its kind in Spanish, its project, and its reason, author and day exactly as served.</summary>
    private static async Task DecisionsShownAsync(IPage page, JsonElement view, Dictionary<string, (string Kind, string Project)> expected)
    {
        var decisions = view.GetProperty("decisions").EnumerateArray().ToList();
        Assert.Equal(decisions.Count, await page.Locator("article.decision").CountAsync());
        Assert.Equal($"({decisions.Count})", await Seen(page.Locator("#decisiones .count")));
        Assert.Equal(expected.Keys.Order(), decisions.Select(d => d.GetProperty("kind").GetString()!).Order());
        foreach (var d in decisions)
        {
            var shown = page.Locator($"article.decision[data-decision='{d.GetProperty("id").GetGuid()}']");
            var (kind, project) = expected[d.GetProperty("kind").GetString()!];
            Assert.Equal(kind, await Seen(shown.Locator(".kind")));
            Assert.Equal($"«{project}»", await Seen(shown.Locator(".project")));
            Assert.Equal(d.GetProperty("reason").GetString(), await Seen(shown.Locator(".reason")));
            Assert.Equal(d.GetProperty("author").GetString(), await Seen(shown.Locator(".author")));
            var day = d.GetProperty("decidedAt").GetDateTimeOffset().ToOffset(TimeSpan.FromHours(-5)).ToString("d 'de' MMMM 'de' yyyy", Peru);
            Assert.StartsWith(day, await Seen(shown.Locator(".date")));
        }
    }

    /// <summary>Each project's status in Spanish, the agents' rank and the rank now, as the API serves them.</summary>
    private static async Task ItemsShownAsync(IPage page, JsonElement view, Dictionary<string, string> statuses)
    {
        var items = view.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(statuses.Count, items.Count);
        foreach (var item in items)
        {
            var card = page.Locator($"article.coord-item[data-project='{item.GetProperty("proposalId").GetGuid()}']");
            Assert.Equal(statuses[item.GetProperty("title").GetString()!], await Seen(card.Locator(".status")));
            Assert.Equal(Rank(item.GetProperty("agreedRank"), "No estaba"), await Seen(card.Locator(".agreed-rank")));
            Assert.Equal(Rank(item.GetProperty("rank"), "Fuera de la lista"), await Seen(card.Locator(".rank")));
            Assert.Equal(Soles(item.GetProperty("cost").GetDecimal()), await Seen(card.Locator(".cost")));
        }
    }

    private static string Rank(JsonElement rank, string none) => rank.ValueKind == JsonValueKind.Number ? rank.GetInt32().ToString(CultureInfo.InvariantCulture) : none;

    private static string Soles(decimal amount) => Plain(amount.ToString("C2", Peru));

    private static string Plain(string text) => text.Replace('\u00A0', ' ');

    private static async Task<string> Seen(ILocator locator) => Plain(await locator.InnerTextAsync());

    private async Task WaitForPortalAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        await system.App.ResourceNotifications.WaitForResourceHealthyAsync("portal", timeout.Token);
    }
}
