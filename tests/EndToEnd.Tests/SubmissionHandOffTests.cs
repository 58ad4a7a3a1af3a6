using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// The hand-off to the Ministry across two deployments: the national intake down while a list is formalized and the
/// stage reaches Submission delays the delivery, and loses nothing; once it is back, the package is recorded once.
/// </summary>
[Collection(SystemDisruption.Name)]
public sealed class SubmissionHandOffTests(SystemFixture system)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_the_national_intake_down_a_formalized_list_waits_signed_and_is_delivered_once_when_it_is_back()
    {
        const string jurisdiction = "050101";
        var story = await ProcessStory.OpenAsync(system, jurisdiction, "Presupuesto Participativo Huamanga 2027", 900_000m, Ct);
        await story.AccreditAndTrainAsync(ProcessStory.Neighbours("428101"));
        await story.StartConcertationAsync();
        var canal = await story.ProposeAsync("Canal de riego Chiara", 500_000m);
        var aulas = await story.ProposeAsync("Aulas I.E. Miguel Grau", 300_000m);
        await story.AssessAsync((canal, true, 85m, "Viable: perfil aprobado"), (aulas, true, 75m, "Viable"));
        await story.PrioritizeAsync();
        await ProcessSteps.AdvanceAsync(story.Admin, story.Process.Id, "Coordination", Ct);
        await story.CloseCoordinationAsync();
        await ProcessSteps.AdvanceAsync(story.Admin, story.Process.Id, "Formalization", Ct);

        await system.CrashAsync("national-intake", Ct);
        await story.FormalizeAsync("ACTA-PP-HUAMANGA-2027-002");
        await ProcessSteps.AdvanceAsync(story.Admin, story.Process.Id, "Submission", Ct);

        // The deployment tries, fails and keeps the package Pending, hashed, with the reason the officers see.
        var waiting = await Eventually.Get(async () =>
        {
            var r = await system.Gateway.GetAsync($"/api/submissions/processes/{story.Process.Id}", Ct);
            var s = r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadFromJsonAsync<SubmissionDto>(Ct) : null;
            return s is { Attempts: > 0 } ? s : null;
        }, "a delivery attempt to fail while the intake is down", TimeSpan.FromSeconds(90));
        Assert.Equal("Pending", waiting.Status);
        Assert.False(string.IsNullOrEmpty(waiting.LastError));
        Assert.Equal(64, waiting.ContentHash.Length);

        var started = await system.App.ResourceCommands.ExecuteCommandAsync("national-intake", KnownResourceCommands.StartCommand, Ct);
        Assert.True(started.Success, started.Message);
        var delivered = await Eventually.Get(async () =>
        {
            var s = await system.Gateway.GetFromJsonAsync<SubmissionDto>($"/api/submissions/processes/{story.Process.Id}", Ct);
            return s!.Status == "Delivered" ? s : null;
        }, "the submission to be delivered once the intake is back", TimeSpan.FromSeconds(180));
        Assert.StartsWith("MEF-", delivered.IntakeReceipt);
        Assert.Equal(waiting.ContentHash, delivered.ContentHash);

        // Recorded once at the intake, under the receipt the deployment holds, with both projects.
        using var ministry = await system.MinistryOfficerAsync();
        var recorded = (await ministry.GetFromJsonAsync<List<ReceivedSummaryDto>>($"/api/intake/submissions?jurisdiction={jurisdiction}", Ct))!;
        var only = Assert.Single(recorded, r => r.ProcessId == story.Process.Id);
        Assert.Equal((delivered.IntakeReceipt, delivered.ContentHash, 2), (only.Receipt, only.ContentHash, only.Projects));

        // Sending again is for a package the intake refused: a delivered one stays as it is, and only its own officers may ask.
        var path = $"/api/submissions/processes/{story.Process.Id}/redelivery";
        await Answers.ProblemAsync(story.Admin.PostAsJsonAsync(path, new { reason = " " }, Ct), HttpStatusCode.BadRequest, "reason", "Required");
        var other = system.As(await system.TokenAsync("process-admin", "050102"));
        await Answers.ProblemAsync(other.PostAsJsonAsync(path, new { reason = "Reenvío" }, Ct), HttpStatusCode.Forbidden, null, null);
        await Answers.ProblemAsync(story.Admin.PostAsJsonAsync(path, new { reason = "Reenvío" }, Ct), HttpStatusCode.Conflict, "processId", "Delivered");
        var after = await system.Gateway.GetFromJsonAsync<SubmissionDto>($"/api/submissions/processes/{story.Process.Id}", Ct);
        Assert.Equal(("Delivered", delivered.IntakeReceipt, delivered.Attempts), (after!.Status, after.IntakeReceipt, after.Attempts));
    }
}
