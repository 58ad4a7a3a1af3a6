using System.Net;
using System.Net.Http.Json;

namespace PBServices.EndToEnd.Tests;

/// <summary>Every service serves its audit log's verification and trails under its own gateway prefix.</summary>
public sealed class AuditEndpointsTests(SystemFixture system)
{
    public sealed record VerificationDto(bool Ok, long Entries, long? FirstBrokenSequence, string? Reason);

    [Theory]
    [InlineData("/api/registration")]
    [InlineData("/api/deliberation")]
    [InlineData("/api/assessment")]
    [InlineData("/api/coordination")]
    [InlineData("/api/submissions")]
    public async Task Each_services_audit_chain_verifies_for_oversight_and_is_refused_to_a_resident(string prefix)
    {
        var ct = TestContext.Current.CancellationToken;
        var oversight = system.As(await system.TokenAsync("oversight", "180301"));
        var verification = await oversight.GetFromJsonAsync<VerificationDto>($"{prefix}/audit/verification", ct);
        Assert.NotNull(verification);
        Assert.True(verification.Ok, verification.Reason);
        var trail = await oversight.GetAsync($"{prefix}/audit?processId={Guid.NewGuid()}", ct);
        Assert.Equal(HttpStatusCode.OK, trail.StatusCode);
        Assert.Equal("[]", await trail.Content.ReadAsStringAsync(ct));

        var resident = system.As(await system.TokenAsync("resident", "180301"));
        Assert.Equal(HttpStatusCode.Forbidden, (await resident.GetAsync($"{prefix}/audit/verification", ct)).StatusCode);
    }

    public sealed record AuditEntryDto(long Sequence, string Subject, string Role, string Jurisdiction, Guid? ProcessId, string Action, string SubjectId,
        System.Text.Json.JsonElement NewValues, string? Reason);

    [Fact]
    public async Task A_process_trail_names_who_did_what_and_why_in_every_service_and_never_the_DNI()
    {
        var ct = TestContext.Current.CancellationToken;
        var (process, admin, agent) = await ProcessSteps.OpenInConcertationAsync(system, "040105", 1_000_000m, ct);
        var proposal = (await (await ProcessSteps.UntilAsync(
            () => agent.PostAsJsonAsync($"/api/deliberation/processes/{process.Id}/proposals", ProcessSteps.Proposal("Posta de salud Yanahuara", 250_000m), ct),
            HttpStatusCode.Created, "deliberation to accept the proposal")).Content.ReadFromJsonAsync<ProposalDto>(ct))!;
        var assessor = system.As(await system.TokenAsync("technical-team", "040105", "ing-yanahuara"));
        await ProcessSteps.UntilAsync(() => assessor.PostAsJsonAsync($"/api/assessment/proposals/{proposal.Id}/recommendation",
            new { viable = true, score = 77m, reasons = "Viable: brecha de salud priorizada en el PDC" }, ct), HttpStatusCode.OK, "the assessment");
        var oversight = system.As(await system.TokenAsync("oversight", "040105", "comite-vigilancia"));

        var registration = (await oversight.GetFromJsonAsync<List<AuditEntryDto>>($"/api/registration/audit?processId={process.Id}", ct))!;
        Assert.Equal(["process.opened", "application.submitted", "document.uploaded", "document.uploaded", "document.uploaded", "agent.identity-confirmed",
            "application.reviewed", "eligible-list.published", "agent.accredited", "process.stage-advanced"], registration.Select(e => e.Action));
        Assert.Equal(["pp-040105", "process-admin"], [registration[0].Subject, registration[0].Role]);
        Assert.Equal("resident", registration[1].Role);
        Assert.Equal(("process-admin", "Documentos conformes"), (registration[6].Role, registration[6].Reason));
        Assert.Equal("Concertation", registration[^1].NewValues.GetProperty("toStage").GetString());
        Assert.DoesNotContain("41234567", string.Join(" ", registration.Select(e => e.NewValues.GetRawText())));

        var deliberation = (await oversight.GetFromJsonAsync<List<AuditEntryDto>>($"/api/deliberation/audit?processId={process.Id}", ct))!;
        var submitted = Assert.Single(deliberation);
        Assert.Equal(("proposal.submitted", "agent", proposal.Id.ToString()), (submitted.Action, submitted.Role, submitted.SubjectId));
        Assert.Equal(250_000m, submitted.NewValues.GetProperty("cost").GetDecimal());

        var assessment = Assert.Single((await oversight.GetFromJsonAsync<List<AuditEntryDto>>($"/api/assessment/audit?processId={process.Id}", ct))!);
        Assert.Equal(("assessment.completed", "ing-yanahuara", "technical-team"), (assessment.Action, assessment.Subject, assessment.Role));
        Assert.Equal("Viable: brecha de salud priorizada en el PDC", assessment.Reason);

        foreach (var prefix in new[] { "/api/registration", "/api/deliberation", "/api/assessment" })
        {
            var verification = (await oversight.GetFromJsonAsync<VerificationDto>($"{prefix}/audit/verification", ct))!;
            Assert.True(verification.Ok, $"{prefix}: {verification.Reason}");
        }
    }
}
