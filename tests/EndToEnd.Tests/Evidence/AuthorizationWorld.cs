using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PBServices.EndToEnd.Tests.Evidence;

/// <summary>
/// One process of jurisdiction <see cref="Own"/> taken through every stage as its officers, agents and committee would,
/// so that the authorisation matrix names real resources: the ids every path parameter of every service stands for.
/// </summary>
public sealed class AuthorizationWorld
{
    public const string Own = "030201";
    public const string Another = "030202";

    /// <summary>
    /// The jurisdictions whose callers must not act on the process: one in the quick form, PB_AUTHZ_OTHER_JURISDICTIONS in the full one
    /// (the province that contains the process's district comes second: containing it does not make it the process's).
    /// </summary>
    public static IReadOnlyList<string> Others()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("PB_AUTHZ_OTHER_JURISDICTIONS"), out var n) && n > 0 ? Math.Min(n, 20) : 1;
        return new[] { Another, "030200" }.Concat(Enumerable.Range(3, 18).Select(d => $"0302{d:00}")).Take(count).ToList();
    }

    private AuthorizationWorld(ProcessStory story, IReadOnlyDictionary<string, string> ids)
    {
        Story = story;
        Ids = ids;
    }

    public ProcessStory Story { get; }

    /// <summary>A real value for each path or query parameter name, as the OpenAPI documents and the .proto files spell it.</summary>
    public IReadOnlyDictionary<string, string> Ids { get; }

    /// <summary>The agent who proposed, voted and sits on the oversight committee: the agent and oversight principals' subject.</summary>
    public Guid Member => Story.Agents[0].Id;

    public static async Task<AuthorizationWorld> BuildAsync(SystemFixture system, CancellationToken ct)
    {
        var story = await ProcessStory.OpenAsync(system, Own, "Presupuesto Participativo Andahuaylas 2027", 1_000_000m, ct);
        var process = $"/api/deliberation/processes/{story.Process.Id}";
        await story.AccreditAndTrainAsync(ProcessStory.Neighbours(Own));
        await story.StartConcertationAsync();
        await ProcessSteps.UntilAsync(() => story.Admin.PutAsJsonAsync($"{process}/criteria", new
        {
            criteria = new object[]
            {
                new { name = "Población beneficiada", weight = 60m, scaleMin = 0, scaleMax = 5 },
                new { name = "Brecha de pobreza", weight = 40m, scaleMin = 0, scaleMax = 5 },
            },
        }, ct), HttpStatusCode.OK, "deliberation to know the process in Concertation and take its criteria");
        var workshop = await JsonAsync(story.Admin.PostAsJsonAsync($"{process}/workshops",
            new { kind = "Diagnosis", date = ProcessStory.TodayInLima, startTime = "09:00", place = "Local comunal", agenda = "Diagnóstico" }, ct), HttpStatusCode.Created, ct);
        var water = await story.ProposeAsync("Agua potable Chumbao", 600_000m);
        var road = await story.ProposeAsync("Trocha Pochccota", 300_000m);
        await story.AssessAsync((water, true, 90m, "Viable"), (road, true, 70m, "Viable"));
        var round = await JsonAsync(story.Admin.PostAsJsonAsync($"{process}/rounds", new { }, ct), HttpStatusCode.Created, ct);
        var roundId = round.GetProperty("id").GetGuid();
        var voter = system.As(await system.TokenAsync("agent", Own, story.Agents[0].Id.ToString()));
        var receipt = await JsonAsync(voter.PostAsJsonAsync($"{process}/rounds/{roundId}/ballots", new { projects = new[] { water.Id, road.Id } }, ct), HttpStatusCode.Created, ct);
        await JsonAsync(story.Admin.PostAsync($"{process}/rounds/{roundId}/closure", null, ct), HttpStatusCode.OK, ct);
        await story.PrioritizeAsync();
        var submission = await story.FormalizeAndDeliverAsync("ACTA-PP-ANDAHUAYLAS-2027-001");

        // Oversight: the project's budget, a piece of evidence and the committee's finding.
        await ProcessSteps.UntilAsync(() => story.Admin.PostAsJsonAsync($"/api/oversight/projects/{water.Id}/budget", new { included = true, budgetCode = "2456789", amount = 600_000m }, ct),
            HttpStatusCode.OK, "oversight to receive the formalized list");
        using var form = new MultipartFormDataContent { { new StringContent("Acta de inicio de obra"), "description" }, { new ByteArrayContent(ProcessStory.Pdf("inicio de obra")), "file", "inicio.pdf" } };
        var evidence = await JsonAsync(story.Admin.PostAsync($"/api/oversight/projects/{water.Id}/evidence", form, ct), HttpStatusCode.Created, ct);
        var member = system.As(await system.TokenAsync("oversight", Own, story.Agents[0].Id.ToString()));
        var finding = await JsonAsync(member.PostAsJsonAsync($"/api/oversight/processes/{story.Process.Id}/findings",
            new { kind = "InformationRequest", proposalId = road.Id, text = "¿Cuándo entra la trocha al PIA?" }, ct), HttpStatusCode.Created, ct);

        var registration = $"/api/registration/processes/{story.Process.Id}";
        var applications = await JsonAsync(story.Admin.GetAsync($"{registration}/applications", ct), HttpStatusCode.OK, ct);
        var application = applications.EnumerateArray().First();
        var detail = await JsonAsync(story.Admin.GetAsync($"{registration}/applications/{application.GetProperty("id").GetGuid()}", ct), HttpStatusCode.OK, ct);
        var session = await JsonAsync(system.Gateway.GetAsync($"{registration}/training-sessions", ct), HttpStatusCode.OK, ct);
        var votes = await JsonAsync(system.Gateway.GetAsync($"{process}/final-votes", ct), HttpStatusCode.OK, ct);
        using var officer = await system.MinistryOfficerAsync();
        var keys = await JsonAsync(officer.GetAsync("/api/intake/keys", ct), HttpStatusCode.OK, ct);

        var ids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["processId"] = story.Process.Id.ToString(),
            ["proposalId"] = water.Id.ToString(),
            ["agentId"] = story.Agents[0].Id.ToString(),
            ["applicationId"] = application.GetProperty("id").GetGuid().ToString(),
            ["organisationId"] = detail.GetProperty("organisationId").GetGuid().ToString(),
            ["documentId"] = detail.GetProperty("documents").EnumerateArray().First().GetProperty("id").GetGuid().ToString(),
            ["sessionId"] = session.EnumerateArray().First().GetProperty("id").GetGuid().ToString(),
            ["workshopId"] = workshop.GetProperty("id").GetGuid().ToString(),
            ["roundId"] = roundId.ToString(),
            ["receipt"] = receipt.GetProperty("receipt").GetString()!,
            ["voteId"] = votes.EnumerateArray().First().GetProperty("id").GetGuid().ToString(),
            ["evidenceId"] = evidence.GetProperty("id").GetGuid().ToString(),
            ["findingId"] = finding.GetProperty("id").GetGuid().ToString(),
            ["submissionId"] = submission.SubmissionId.ToString(),
            ["keyId"] = keys.EnumerateArray().OrderByDescending(k => k.GetProperty("jurisdiction").GetString() == Own).First().GetProperty("keyId").GetString()!,
            ["ubigeo"] = Own,
            ["jurisdiction"] = Own,
            ["fiscalYear"] = story.Process.FiscalYear.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return new AuthorizationWorld(story, ids);
    }

    private static async Task<JsonElement> JsonAsync(Task<HttpResponseMessage> send, HttpStatusCode expected, CancellationToken ct)
    {
        using var response = await send;
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
