using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using static PBServices.EndToEnd.Tests.Answers;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// Coordination between levels through the gateway: two districts of San Martín province (Tarapoto, 220901, and
/// Morales, 220910, here 220101 and 220102 of test province 220100) and their province. A road benefiting both
/// districts is escalated, included by the province co-financed with the district and the community, a duplicate merged,
/// and every authority decision is public with its reason and author. Bad shares and ceilings change nothing.
/// </summary>
public sealed class CoordinationLevelsTests(SystemFixture system)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Level(ProcessStory Story, HttpClient Council, Dictionary<string, ProposalDto> Proposals);

    private async Task<Level> PrioritisedAsync(string jurisdiction, string level, decimal ceiling, string agentDni, params (string Title, decimal Cost, string[]? Districts)[] proposals)
    {
        var story = await ProcessStory.OpenAsync(system, jurisdiction, $"Presupuesto Participativo {jurisdiction} 2027", ceiling, Ct, level);
        await story.AccreditAgentAsync($"Agente {jurisdiction}", agentDni, $"Junta vecinal {jurisdiction}");
        await story.StartConcertationAsync();
        var made = new Dictionary<string, ProposalDto>();
        foreach (var (title, cost, districts) in proposals)
        {
            made[title] = await story.ProposeAsync(title, cost, districts);
        }
        await story.AssessAsync(made.Values.Select(p => (p, true, 80m, "Viable: perfil aprobado")).ToArray());
        await story.PrioritizeAsync();
        await ProcessSteps.AdvanceAsync(story.Admin, story.Process.Id, "Coordination", Ct);
        var council = system.As(await system.TokenAsync("coordination-council", jurisdiction, $"consejo-{jurisdiction}"));
        // The prioritised list reaches coordination by event; a council acts once it is there.
        using var received = await ProcessSteps.UntilAsync(() => system.Gateway.GetAsync($"/api/coordination/processes/{story.Process.Id}/coordination", Ct),
            HttpStatusCode.OK, "coordination to receive the list");
        return new Level(story, council, made);
    }

    private async Task<JsonElement> CoordinationAsync(Level level) =>
        (await system.Gateway.GetFromJsonAsync<JsonElement>($"/api/coordination/processes/{level.Story.Process.Id}/coordination", Ct));

    private static JsonElement Item(JsonElement view, Guid proposalId) =>
        view.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("proposalId").GetGuid() == proposalId);

    private static string Path(Level level, string rest) => $"/api/coordination/processes/{level.Story.Process.Id}/{rest}";

    [Fact]
    public async Task A_road_benefiting_two_districts_is_escalated_to_the_province_co_financed_with_the_district_and_community_and_every_decision_is_public()
    {
        const string road = "Carretera vecinal Tarapoto–Morales", health = "Puesto de salud Tarapoto", duplicate = "Camino vecinal Morales–Tarapoto", school = "Aulas I.E. Morales";
        var tarapoto = await PrioritisedAsync("220101", "district", 1_500_000m, "47220101", (road, 900_000m, ["220101", "220102"]), (health, 400_000m, null));
        var morales = await PrioritisedAsync("220102", "district", 1_000_000m, "47220102", (duplicate, 500_000m, ["220102", "220101"]), (school, 300_000m, null));
        var province = await PrioritisedAsync("220100", "province", 1_500_000m, "47220100", ("Mercado provincial", 1_200_000m, null));
        var roadId = tarapoto.Proposals[road].Id;

        // The province counts as of wider impact what costs over S/ 800,000 or benefits more than one district.
        await ExpectAsync<JsonElement>(province.Council.PutAsJsonAsync(Path(province, "impact-rules"), new { costThreshold = 800_000m, multiDistrict = true }, Ct), HttpStatusCode.OK);
        var below = await ProcessSteps.UntilAsync(() => system.Gateway.GetAsync(Path(province, "lists-below"), Ct), HttpStatusCode.OK, "the province to see its districts' lists");
        var lists = (await below.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("lists").EnumerateArray().ToList();
        Assert.Equal(["220101", "220102"], lists.Select(l => l.GetProperty("jurisdiction").GetString()));
        var impact = Item(lists[0], roadId).GetProperty("impact").EnumerateArray().Select(i => i.GetString()!).ToList();
        Assert.Equal(2, impact.Count);
        Assert.Contains(impact, i => i.Contains("above the threshold", StringComparison.Ordinal));
        Assert.Contains(impact, i => i.Contains("2 districts", StringComparison.Ordinal));
        Assert.Empty(Item(lists[0], tarapoto.Proposals[health].Id).GetProperty("impact").EnumerateArray());

        // A decision without its reason changes nothing; another district's council may not decide on Tarapoto's list.
        await ProblemAsync(tarapoto.Council.PostAsJsonAsync(Path(tarapoto, $"items/{roadId}/escalation"), new { reason = " " }, Ct), HttpStatusCode.BadRequest, "reason", "Required");
        var foreign = await ProblemAsync(morales.Council.PostAsJsonAsync(Path(tarapoto, $"items/{roadId}/escalation"), new { reason = "Interés común" }, Ct), HttpStatusCode.Forbidden, null, null);
        Assert.Contains("220102", foreign.Detail, StringComparison.Ordinal);
        Assert.Equal("Included", Item(await CoordinationAsync(tarapoto), roadId).GetProperty("status").GetString());

        const string why = "Beneficia a Tarapoto y Morales y supera el umbral provincial: la provincia la ejecuta";
        var escalated = await ExpectAsync<JsonElement>(tarapoto.Council.PostAsJsonAsync(Path(tarapoto, $"items/{roadId}/escalation"), new { reason = why }, Ct), HttpStatusCode.OK);
        Assert.Equal("Escalated", Item(escalated, roadId).GetProperty("status").GetString());
        Assert.Equal(1, Item(escalated, tarapoto.Proposals[health].Id).GetProperty("rank").GetInt32());
        Assert.Equal(400_000m, escalated.GetProperty("commitment").GetDecimal());

        // The province cannot close while the escalated road awaits its decision.
        await ProblemAsync(province.Council.PostAsync(Path(province, "closure"), null, Ct), HttpStatusCode.Conflict, "processId", "awaits this level's decision");

        var shares = new object[]
        {
            new { partyKind = "Government", party = "Municipalidad Provincial 220100", processId = province.Story.Process.Id, contribution = "Money", amount = 250_000m, commitment = "Expediente técnico y obra" },
            new { partyKind = "Government", party = "Municipalidad Distrital 220101", processId = tarapoto.Story.Process.Id, contribution = "Money", amount = 380_000m, commitment = "Tramo urbano" },
            new { partyKind = "Community", party = "Juntas vecinales de Tarapoto y Morales", contribution = "Labour", amount = 270_000m, commitment = "Faenas comunales: 30 % de la obra" },
        };
        var before = await CoordinationAsync(province);
        // Shares that do not add up to the cost, and a district charged beyond its ceiling, are refused; nothing changes.
        await ProblemAsync(province.Council.PostAsJsonAsync(Path(province, "inclusions"), new { proposalId = roadId, reason = why, shares = shares[..2] }, Ct),
            HttpStatusCode.BadRequest, "shares", "add up to S/ 630,000.00");
        var tooMuch = new object[]
        {
            new { partyKind = "Government", party = "Municipalidad Provincial 220100", processId = province.Story.Process.Id, contribution = "Money", amount = 400_000m },
            new { partyKind = "Government", party = "Municipalidad Distrital 220101", processId = tarapoto.Story.Process.Id, contribution = "Money", amount = 500_000m },
        };
        var over = await ProblemAsync(province.Council.PostAsJsonAsync(Path(province, "inclusions"), new { proposalId = roadId, reason = why, shares = tooMuch }, Ct),
            HttpStatusCode.Conflict, "shares", "over its ceiling");
        Assert.Contains("220100 would commit S/ 1,600,000.00", string.Join(" ", over.Errors!["shares"]), StringComparison.Ordinal);
        Assert.Equal(before.GetRawText(), (await CoordinationAsync(province)).GetRawText());
        Assert.Equal(400_000m, (await CoordinationAsync(tarapoto)).GetProperty("commitment").GetDecimal());

        var included = await ExpectAsync<JsonElement>(province.Council.PostAsJsonAsync(Path(province, "inclusions"),
            new { proposalId = roadId, rank = 1, reason = "Obra de impacto provincial cofinanciada con el distrito y la comunidad", shares }, Ct), HttpStatusCode.OK);
        var roadThere = Item(included, roadId);
        Assert.Equal(("Included", 1, "220101"), (roadThere.GetProperty("status").GetString(), roadThere.GetProperty("rank").GetInt32(), roadThere.GetProperty("originJurisdiction").GetString()));
        Assert.Equal([250_000m, 380_000m, 270_000m], roadThere.GetProperty("cofinancing").GetProperty("shares").EnumerateArray().Select(s => s.GetProperty("amount").GetDecimal()));
        Assert.Equal(1_200_000m + 250_000m, included.GetProperty("commitment").GetDecimal());
        Assert.Equal(400_000m + 380_000m, (await CoordinationAsync(tarapoto)).GetProperty("commitment").GetDecimal());

        // Morales proposed the same road: the province merges the duplicate into the one it includes.
        var duplicateId = morales.Proposals[duplicate].Id;
        await ExpectAsync<JsonElement>(province.Council.PostAsJsonAsync(Path(province, $"items/{duplicateId}/merge"),
            new { intoProposalId = roadId, reason = "Es el mismo tramo de la carretera vecinal" }, Ct), HttpStatusCode.OK);
        var moralesView = await CoordinationAsync(morales);
        Assert.Equal(("Merged", roadId), (Item(moralesView, duplicateId).GetProperty("status").GetString(), Item(moralesView, duplicateId).GetProperty("mergedInto").GetGuid()));
        Assert.Equal(300_000m, moralesView.GetProperty("commitment").GetDecimal());

        // Every decision is public, without a token, with its reason and author, on the list it changed.
        var tarapotoDecision = Assert.Single((await CoordinationAsync(tarapoto)).GetProperty("decisions").EnumerateArray());
        Assert.Equal(("Escalate", why, "consejo-220101"),
            (tarapotoDecision.GetProperty("kind").GetString(), tarapotoDecision.GetProperty("reason").GetString(), tarapotoDecision.GetProperty("author").GetString()));
        var moralesDecision = Assert.Single(moralesView.GetProperty("decisions").EnumerateArray());
        Assert.Equal(("Merge", "consejo-220100"), (moralesDecision.GetProperty("kind").GetString(), moralesDecision.GetProperty("author").GetString()));
        Assert.Equal("Include", Assert.Single(included.GetProperty("decisions").EnumerateArray()).GetProperty("kind").GetString());
        var oversight = system.As(await system.TokenAsync("oversight", "220101", "comite-220101"));
        var trail = (await oversight.GetFromJsonAsync<List<JsonElement>>($"/api/coordination/audit?processId={tarapoto.Story.Process.Id}", Ct))!;
        Assert.Contains(trail, e => e.GetProperty("action").GetString() == "coordination.escalate" && e.GetProperty("reason").GetString() == why);

        // Integrators read the same over gRPC: the road off Tarapoto's list, escalated, with the decision and its reason.
        var grpc = new PBServices.Grpc.Coordination.CoordinationQuery.CoordinationQueryClient(system.GatewayGrpc);
        var headers = new global::Grpc.Core.Metadata { { "authorization", $"Bearer {await system.TokenAsync("integrator", "220101")}" } };
        var overGrpc = await grpc.GetListAsync(new() { ProcessId = tarapoto.Story.Process.Id.ToString() }, headers, cancellationToken: Ct);
        Assert.Equal([(tarapoto.Proposals[health].Id.ToString(), "Included", 1), (roadId.ToString(), "Escalated", 0)], overGrpc.Projects.Select(p => (p.ProposalId, p.Status, p.Rank)));
        Assert.Equal([1, 2], overGrpc.Projects.Select(p => p.AgreedRank).Order());
        Assert.Equal(("1500000.00", "780000.00", "Received"), (overGrpc.BudgetCeiling, overGrpc.Commitment, overGrpc.Status));
        Assert.Equal(why, Assert.Single(overGrpc.Decisions).Reason);

        // Each council closes; the province's coordinated list, with the road, is what its agents vote on at formalization.
        foreach (var level in new[] { tarapoto, morales, province })
        {
            await level.Story.CloseCoordinationAsync();
        }
        await ProblemAsync(tarapoto.Council.PostAsJsonAsync(Path(tarapoto, $"items/{tarapoto.Proposals[health].Id}/drop"), new { reason = "Tarde" }, Ct),
            HttpStatusCode.Conflict, "processId", "closed");
        await ProcessSteps.AdvanceAsync(province.Story.Admin, province.Story.Process.Id, "Formalization", Ct);
        var opened = await ProcessSteps.UntilAsync(() => province.Story.Admin.PostAsync($"/api/deliberation/processes/{province.Story.Process.Id}/final-votes", null, Ct),
            HttpStatusCode.Created, "deliberation to hold the province's coordinated list and open the final vote");
        var vote = (await opened.Content.ReadFromJsonAsync<JsonElement>(Ct));
        Assert.Equal([(roadId, 900_000m), (province.Proposals["Mercado provincial"].Id, 1_200_000m)],
            vote.GetProperty("projects").EnumerateArray().Select(p => (p.GetProperty("proposalId").GetGuid(), p.GetProperty("cost").GetDecimal())));
    }

    [Fact]
    public async Task Dropping_reordering_and_altering_the_agents_list_each_need_a_reason_stay_within_the_ceiling_and_are_published()
    {
        var level = await PrioritisedAsync("220301", "district", 1_000_000m, "47220301", ("Losa deportiva", 300_000m, null), ("Red de agua", 400_000m, null), ("Alumbrado", 200_000m, null));
        var (sport, water, lights) = (level.Proposals["Losa deportiva"].Id, level.Proposals["Red de agua"].Id, level.Proposals["Alumbrado"].Id);
        var agreed = await ProcessSteps.UntilAsync(() => system.Gateway.GetAsync(Path(level, "coordination"), Ct), HttpStatusCode.OK, "coordination to receive the list");
        var start = await agreed.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var order = start.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("proposalId").GetGuid()).ToList();

        await ProblemAsync(level.Council.PostAsJsonAsync(Path(level, $"items/{order[2]}/rank"), new { rank = 9, reason = "Prioridad" }, Ct), HttpStatusCode.BadRequest, "rank", "1 to 3");
        await ProblemAsync(level.Council.PostAsJsonAsync(Path(level, $"items/{water}/alteration"), new { cost = 900_000m, reason = "Metrado" }, Ct),
            HttpStatusCode.Conflict, "shares", "over its ceiling");
        var resident = system.As(await system.TokenAsync("resident", "220301", "vecina"));
        await ProblemAsync(resident.PostAsJsonAsync(Path(level, $"items/{sport}/drop"), new { reason = "No" }, Ct), HttpStatusCode.Forbidden, null, null);
        Assert.Equal(start.GetRawText(), (await CoordinationAsync(level)).GetRawText());

        await ExpectAsync<JsonElement>(level.Council.PostAsJsonAsync(Path(level, $"items/{order[2]}/rank"), new { rank = 1, reason = "Emergencia sanitaria" }, Ct), HttpStatusCode.OK);
        await ExpectAsync<JsonElement>(level.Council.PostAsJsonAsync(Path(level, $"items/{lights}/alteration"), new { cost = 250_000m, reason = "Precio actualizado" }, Ct), HttpStatusCode.OK);
        var view = await ExpectAsync<JsonElement>(level.Council.PostAsJsonAsync(Path(level, $"items/{sport}/drop"), new { reason = "Ya financiada por el gobierno regional" }, Ct), HttpStatusCode.OK);

        Assert.Equal("Dropped", Item(view, sport).GetProperty("status").GetString());
        Assert.Equal(order[2], view.GetProperty("items").EnumerateArray().First(i => i.GetProperty("rank").ValueKind == JsonValueKind.Number && i.GetProperty("rank").GetInt32() == 1)
            .GetProperty("proposalId").GetGuid());
        Assert.Equal(250_000m, Item(view, lights).GetProperty("cost").GetDecimal());
        Assert.Equal(400_000m + 250_000m, view.GetProperty("commitment").GetDecimal());
        // The agents' own list stays readable beside what the authorities made of it.
        Assert.Equal(start.GetProperty("agreedByAgents").GetRawText(), view.GetProperty("agreedByAgents").GetRawText());
        Assert.Equal(["Reorder", "Alter", "Drop"], view.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("kind").GetString()));
        Assert.All(view.GetProperty("decisions").EnumerateArray(), d => Assert.Equal("consejo-220301", d.GetProperty("author").GetString()));
        // The same decisions as open data, without a token; a reason typed like a formula stays text in a spreadsheet.
        var csv = await system.Gateway.GetStringAsync(Path(level, "decisions.csv"), Ct);
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, rows.Length);
        Assert.Contains("Emergencia sanitaria,consejo-220301,coordination-council", rows[1], StringComparison.Ordinal);
        Assert.Contains("Ya financiada por el gobierno regional,consejo-220301", rows[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_councils_charging_one_district_at_once_beyond_its_ceiling_get_one_agreement_and_one_refusal()
    {
        var district = await PrioritisedAsync("220201", "district", 1_000_000m, "47220201", ("Canal de riego", 500_000m, null));
        var province = await PrioritisedAsync("220200", "province", 5_000_000m, "47220200", ("Puente A", 800_000m, null), ("Puente B", 800_000m, null));
        // The district has S/ 500,000 left; each bridge would charge it S/ 300,000.
        object Shares() => new object[]
        {
            new { partyKind = "Government", party = "Provincia", processId = province.Story.Process.Id, contribution = "Money", amount = 500_000m },
            new { partyKind = "Government", party = "Distrito", processId = district.Story.Process.Id, contribution = "Money", amount = 300_000m },
        };
        var answers = await Task.WhenAll(new[] { "Puente A", "Puente B" }.Select(b =>
            province.Council.PutAsJsonAsync(Path(province, $"items/{province.Proposals[b].Id}/cofinancing"), new { shares = Shares(), reason = "Acuerdo de cofinanciamiento" }, Ct)));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        Assert.Equal(800_000m, (await CoordinationAsync(district)).GetProperty("commitment").GetDecimal());
        Assert.Single((await CoordinationAsync(province)).GetProperty("items").EnumerateArray(), i => i.GetProperty("cofinancing").ValueKind == JsonValueKind.Object);
    }
}
