using Aspire.Hosting.Testing;
using System.Net;
using System.Net.Http.Json;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// Public by default, personal data never (DESIGN.md section 4): residents read a process without signing
/// in, through the gateway; writes still need a token; a DNI never leaves registration.
/// </summary>
public sealed class PublicReadTests(SystemFixture system)
{
    [Fact]
    public async Task Every_public_read_answers_without_a_token_and_none_shows_the_DNI_an_agent_registered_with()
    {
        var ct = TestContext.Current.CancellationToken;
        const string dni = "47281953";
        var story = await ProcessStory.OpenAsync(system, "230101", "Presupuesto Participativo Tacna 2027", 900_000m, ct);
        await story.AccreditAndTrainAsync([("Rosa Mamani Flores", dni, "Junta Vecinal Cono Sur"), .. ProcessStory.Neighbours("472819").Skip(1)]);
        await story.StartConcertationAsync();
        var water = await story.ProposeAsync("Agua potable Cono Sur", 500_000m);
        var road = await story.ProposeAsync("Vía de evitamiento", 800_000m);
        await story.AssessAsync((water, true, 88m, "Viable: competencia distrital, costo razonable"), (road, false, 0m, "No viable: competencia regional"));
        await story.PrioritizeAsync();
        var submission = await story.FormalizeAndDeliverAsync("ACTA-PP-TACNA-007");
        var id = story.Process.Id;

        var anonymous = system.Gateway;
        Assert.Null(anonymous.DefaultRequestHeaders.Authorization);
        var bodies = new List<string>();
        async Task<T> Read<T>(string path)
        {
            var response = await anonymous.GetAsync(path, ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} without a token: {(int)response.StatusCode}");
            bodies.Add(await response.Content.ReadAsStringAsync(ct));
            return (await response.Content.ReadFromJsonAsync<T>(ct))!;
        }

        Assert.Contains(await Read<List<ProcessDto>>("/api/registration/processes"), p => p.Id == id);
        Assert.Equal(5, (await Read<ProcessDto>($"/api/registration/processes/{id}")).AccreditedAgents);
        var listed = Assert.Single((await Read<EligibleListDto>($"/api/registration/processes/{id}/eligible-list")).Entries, e => e.FullName == "Rosa Mamani Flores");
        Assert.Equal(("Rosa Mamani Flores", "Junta Vecinal Cono Sur", "Accredited"), (listed.FullName, listed.OrganisationName, listed.Status));
        Assert.Contains((await Read<StatisticsDto>($"/api/registration/processes/{id}/statistics")).Rows, r => r is { Dimension: "Gender", Value: "Female", Accredited: 5 });
        await Read<List<OrganisationDto>>("/api/registration/organisations?jurisdiction=230101");
        await Read<System.Text.Json.JsonElement>($"/api/registration/processes/{id}/training-sessions");
        await Read<System.Text.Json.JsonElement>($"/api/registration/processes/{id}/seats");
        Assert.Equal(["Viable", "NotViable"], (await Read<List<ProposalDto>>($"/api/deliberation/processes/{id}/proposals")).OrderBy(p => p.Cost).Select(p => p.Status));
        var assessment = await Read<AssessmentDto>($"/api/assessment/proposals/{water.Id}");
        Assert.Equal((true, 88m, "Viable: competencia distrital, costo razonable"), (assessment.Viable, assessment.Score, assessment.Reasons));
        Assert.False((await Read<AssessmentDto>($"/api/assessment/proposals/{road.Id}")).Viable);
        Assert.Equal(500_000m, (await Read<PrioritizedListDto>($"/api/deliberation/processes/{id}/prioritized-list")).TotalCost);
        Assert.Equal("ACTA-PP-TACNA-007", (await Read<CoordinatedListDto>($"/api/coordination/processes/{id}/list")).ActaReference);
        Assert.Equal(5, (await Read<ActaDto>($"/api/coordination/processes/{id}/acta")).Signatures.Count(s => s.IsAgent));
        Assert.Equal(5, (await Read<CommitteeDto>($"/api/coordination/processes/{id}/committee")).Members.Count);
        Assert.Equal(5, (await Read<List<ActaAgentDto>>($"/api/coordination/processes/{id}/formalization/present")).Count);
        var document = await anonymous.GetAsync($"/api/coordination/processes/{id}/acta/document", ct);
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        bodies.Add(await document.Content.ReadAsStringAsync(ct));
        var status = await Read<SubmissionDto>($"/api/submissions/processes/{id}");
        Assert.Equal(("Delivered", submission.ContentHash, submission.IntakeReceipt), (status.Status, status.ContentHash, status.IntakeReceipt));

        // Not in any public answer, nor in what the resident and the process-admin were answered.
        Assert.All(bodies.Concat(story.PrivateResponses), body =>
        {
            Assert.DoesNotContain(dni, body);
            Assert.DoesNotContain("\"dni\"", body, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public async Task The_public_process_list_filters_by_jurisdiction_and_refuses_a_malformed_code_naming_the_field()
    {
        var ct = TestContext.Current.CancellationToken;
        var tacna = await ProcessStory.OpenAsync(system, "230102", "Presupuesto Participativo Alto de la Alianza 2027", 400_000m, ct);
        var puno = await ProcessStory.OpenAsync(system, "210101", "Presupuesto Participativo Puno 2027", 700_000m, ct);

        var inTacna = await system.Gateway.GetFromJsonAsync<List<ProcessDto>>("/api/registration/processes?jurisdiction=230102", ct);
        Assert.Equal([tacna.Process.Id], inTacna!.Select(p => p.Id));
        var all = await system.Gateway.GetFromJsonAsync<List<ProcessDto>>("/api/registration/processes", ct);
        Assert.Superset(new HashSet<Guid> { tacna.Process.Id, puno.Process.Id }, all!.Select(p => p.Id).ToHashSet());

        foreach (var code in new[] { "2301", "23010A", "2301021" })
        {
            var refused = await system.Gateway.GetAsync($"/api/registration/processes?jurisdiction={code}", ct);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("jurisdiction", (await refused.Content.ReadFromJsonAsync<ProblemDto>(ct))!.Errors!.Keys);
        }
    }

    [Theory]
    [InlineData("POST", "/api/registration/processes")]
    [InlineData("POST", "/api/registration/processes/{id}/stage")]
    [InlineData("POST", "/api/registration/processes/{id}/applications")]
    [InlineData("POST", "/api/registration/processes/{id}/applications/{id}/review")]
    [InlineData("POST", "/api/registration/processes/{id}/objections")]
    [InlineData("POST", "/api/registration/processes/{id}/accreditation")]
    [InlineData("POST", "/api/registration/organisations")]
    [InlineData("POST", "/api/deliberation/processes/{id}/proposals")]
    [InlineData("POST", "/api/deliberation/processes/{id}/prioritized-list")]
    [InlineData("POST", "/api/assessment/proposals/{id}/recommendation")]
    [InlineData("POST", "/api/coordination/processes/{id}/acta")]
    [InlineData("POST", "/api/coordination/processes/{id}/acta/signatures")]
    [InlineData("POST", "/api/coordination/processes/{id}/committee/ballots")]
    [InlineData("PUT", "/api/registration/processes/{id}")]
    [InlineData("DELETE", "/api/submissions/processes/{id}")]
    public async Task A_write_without_a_token_is_refused_with_401(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", Guid.NewGuid().ToString()))
        {
            Content = JsonContent.Create(new { }),
        };
        var response = await system.Gateway.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_assessment_queue_and_what_the_Ministry_received_stay_private()
    {
        var ct = TestContext.Current.CancellationToken;
        var queue = "/api/assessment/queue";
        Assert.Equal(HttpStatusCode.Unauthorized, (await system.Gateway.GetAsync(queue, ct)).StatusCode);
        var resident = system.As(await system.TokenAsync("resident", "230101"));
        Assert.Equal(HttpStatusCode.Forbidden, (await resident.GetAsync(queue, ct)).StatusCode);

        // The intake is another trust domain: without its token, or with this deployment's, nothing it received is readable.
        using var intake = system.App.CreateHttpClient("national-intake", "http");
        Assert.Equal(HttpStatusCode.Unauthorized, (await intake.GetAsync("/api/intake/submissions", ct)).StatusCode);
        intake.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await system.TokenAsync("ministry", "PE", "mef-dgpp"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await intake.GetAsync("/api/intake/submissions", ct)).StatusCode);
    }
}
