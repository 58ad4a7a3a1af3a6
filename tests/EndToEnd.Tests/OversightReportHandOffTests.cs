using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// A finding the oversight committee escalates to the council reaches the Ministry with the jurisdiction's next year's
/// submission, with the government's answer, Callao's district (070101) runs two years' processes.
/// </summary>
public sealed class OversightReportHandOffTests(SystemFixture system)
{
    private const string Jurisdiction = "070101";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<ProcessStory> FormalizedAndDeliveredAsync(int fiscalYear, string dniPrefix, Func<ProcessStory, SubmissionDto, ProposalDto, Task>? then = null)
    {
        var story = await ProcessStory.OpenAsync(system, Jurisdiction, $"Presupuesto Participativo Callao {fiscalYear}", 900_000m, Ct, fiscalYear: fiscalYear);
        await story.AccreditAndTrainAsync(ProcessStory.Neighbours(dniPrefix));
        await story.StartConcertationAsync();
        var pier = await story.ProposeAsync($"Desembarcadero artesanal {fiscalYear}", 500_000m);
        var park = await story.ProposeAsync($"Parque zonal {fiscalYear}", 300_000m);
        await story.AssessAsync((pier, true, 85m, "Viable"), (park, true, 75m, "Viable"));
        await story.PrioritizeAsync();
        var submission = await story.FormalizeAndDeliverAsync($"ACTA-PP-CALLAO-{fiscalYear}-001");
        if (then is not null)
        {
            await then(story, submission, pier);
        }
        return story;
    }

    private async Task<JsonElement> SubmissionAsync(ProcessStory story) =>
        await story.Admin.GetFromJsonAsync<JsonElement>($"/api/submissions/processes/{story.Process.Id}", Ct);

    [Fact]
    public async Task An_escalated_finding_travels_with_the_next_year_s_submission_and_the_Ministry_reads_it()
    {
        var year = DateTime.UtcNow.Year + 1;
        Guid findingId = default;
        var first = await FormalizedAndDeliveredAsync(year, "470101", async (story, submission, pier) =>
        {
            // Nothing escalated before this year's list: its package carries no report.
            Assert.Equal(0, submission.ReportedFindings);
            await Eventually.Get(async () => (await system.Gateway.GetAsync($"/api/oversight/processes/{story.Process.Id}", Ct)).StatusCode == HttpStatusCode.OK ? (bool?)true : null,
                "oversight to receive the formalized list");
            var member = system.As(await system.TokenAsync("oversight", Jurisdiction, story.Agents[0].Id.ToString()));
            var raised = await Answers.ExpectAsync<JsonElement>(member.PostAsJsonAsync($"/api/oversight/processes/{story.Process.Id}/findings",
                new { kind = "Finding", proposalId = pier.Id, text = "El desembarcadero acordado no figura en el PIA" }, Ct), HttpStatusCode.Created);
            findingId = raised.GetProperty("id").GetGuid();
            await Answers.ExpectAsync<JsonElement>(story.Admin.PostAsJsonAsync($"/api/oversight/findings/{findingId}/answers",
                new { text = "Se incluirá en la primera modificación presupuestal" }, Ct), HttpStatusCode.OK);
            await Answers.ExpectAsync<JsonElement>(member.PostAsJsonAsync($"/api/oversight/findings/{findingId}/escalation",
                new { reason = "La respuesta no indica la fuente de financiamiento" }, Ct), HttpStatusCode.OK);
        });

        // Registration opens processes up to two years ahead: the following year's is the last this test can run.
        var second = await FormalizedAndDeliveredAsync(year + 1, "470102");

        // The first year's package stays as it was; the next one carries the finding.
        Assert.Equal(0, (await SubmissionAsync(first)).GetProperty("reportedFindings").GetInt32());
        var carrier = await SubmissionAsync(second);
        Assert.Equal(1, carrier.GetProperty("reportedFindings").GetInt32());

        // The Ministry's officer reads the finding, its answer and the council's reason beside the package's projects.
        using var anonymous = system.App.CreateHttpClient("national-intake", "http");
        var token = await anonymous.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "mef-officer", ["client_secret"] = SystemFixture.MinistryOfficerSecret,
        }), Ct);
        using var officer = system.App.CreateHttpClient("national-intake", "http");
        officer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await token.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("access_token").GetString());
        var detail = await officer.GetFromJsonAsync<JsonElement>($"/api/intake/submissions/{carrier.GetProperty("submissionId").GetGuid()}", Ct);
        Assert.Equal(2, detail.GetProperty("projects").GetArrayLength());
        var finding = Assert.Single(detail.GetProperty("oversightReport").EnumerateArray());
        Assert.Equal((findingId, first.Process.Id, year, $"Desembarcadero artesanal {year}", "El desembarcadero acordado no figura en el PIA",
                "La respuesta no indica la fuente de financiamiento"),
            (finding.GetProperty("findingId").GetGuid(), finding.GetProperty("processId").GetGuid(), finding.GetProperty("fiscalYear").GetInt32(),
                finding.GetProperty("projectTitle").GetString(), finding.GetProperty("text").GetString(), finding.GetProperty("escalationReason").GetString()));
        Assert.Equal(["Se incluirá en la primera modificación presupuestal"], finding.GetProperty("answers").EnumerateArray().Select(a => a.GetProperty("text").GetString()));
    }
}
