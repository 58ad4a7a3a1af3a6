using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Contracts.Submissions;
using PBServices.Grpc.Intake;

using static PBServices.EndToEnd.Tests.IntakeDeployment;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// The oversight report at the national intake: a deployment of the province of Callao (070100, department 07, which no other
/// test uses; 070101 is left to the hand-off from a real oversight committee) sends packages whose report states the
/// committee's escalated findings, and the Ministry's officer reads them beside the projects.
/// </summary>
public sealed class OversightReportIntakeTests(SystemFixture system) : IDisposable
{
    private const string Province = "070100";
    private const string District = "070102";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose() => _key.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Desk(GrpcChannel Channel, HttpClient Officer, string DeploymentToken);

    private async Task<Desk> DeskAsync()
    {
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        startup.CancelAfter(TimeSpan.FromMinutes(3));
        await system.App.ResourceNotifications.WaitForResourceHealthyAsync("national-intake", startup.Token);
        var channel = GrpcChannel.ForAddress(system.App.GetEndpoint("national-intake", "grpc"));
        var officer = await system.MinistryOfficerAsync();
        await EnrolAsync(officer, Province, _key);
        var (clientId, secret) = await CreateClientAsync(officer, $"e2e-oversight-{Guid.NewGuid():N}"[..40], "deployment", Province);
        var token = await GrpcTokenAsync(channel, clientId, secret);
        return new Desk(channel, officer, token);
    }

    private static ReportedFinding Finding(int fiscalYear, string text, Guid? proposalId = null, string? title = null, params FindingAnswer[] answers)
    {
        var raised = new DateTimeOffset(fiscalYear, 4, 6, 14, 0, 0, TimeSpan.Zero);
        return new ReportedFinding(Guid.CreateVersion7(), Guid.CreateVersion7(), fiscalYear, proposalId, title, FindingKind.Finding, text, raised, raised.AddDays(15),
            answers, "La respuesta no indica cuándo se incluirá", raised.AddDays(25));
    }

    private static SubmissionDocument Document(int fiscalYear, params ReportedFinding[] findings)
    {
        var approved = new DateTimeOffset(fiscalYear - 1, 7, 10, 15, 0, 0, TimeSpan.Zero);
        return new SubmissionDocument(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), District, GovernmentLevel.District, fiscalYear, 1_000_000m,
            approved, new SubmittedActa("Acta N° 009-E2E-MPC", new string('c', 64), 1, 3, ["CoordinationCouncil", "Council"]),
            [
                new(Stage.Preparation, approved.AddDays(-100)), new(Stage.Concertation, approved.AddDays(-60)),
                new(Stage.Coordination, approved.AddDays(-20)), new(Stage.Formalization, approved.AddDays(-2)),
            ],
            [new SubmittedProjectEntry(1, Guid.CreateVersion7(), "Canal de riego Huacariz", 350_000m, 70m, "OE3 Agricultura", 350_000m,
                new ProjectAssessment(AssessmentRecommendation.Viable, null, 1), [])],
            findings);
    }

    private Task<SubmitReply> SubmitAsync(Desk desk, SubmissionDocument d) =>
        new MinistryIntake.MinistryIntakeClient(desk.Channel).SubmitAsync(Sign(d, _key), Bearer(desk.DeploymentToken), cancellationToken: Ct).ResponseAsync;

    [Fact]
    public async Task The_officer_reads_the_committee_s_escalated_findings_beside_the_package_s_projects()
    {
        var desk = await DeskAsync();
        var pier = Finding(2039, "El canal acordado no figura en el PIA 2039", Guid.CreateVersion7(), "Canal de riego Otuzco",
            new FindingAnswer("Se incluirá en la primera modificación presupuestal", new DateTimeOffset(2039, 4, 10, 16, 0, 0, TimeSpan.Zero)),
            new FindingAnswer("Se adjunta el oficio 045-2039", new DateTimeOffset(2039, 4, 20, 16, 0, 0, TimeSpan.Zero)));
        var process = Finding(2038, "No se publicó el avance de ejecución del año");
        var document = Document(2040, pier, process);

        var reply = await SubmitAsync(desk, document);

        Assert.Equal("Accepted", reply.Status);
        var detail = await desk.Officer.GetFromJsonAsync<JsonElement>($"/api/intake/submissions/{document.SubmissionId}", Ct);
        Assert.Equal(["Canal de riego Huacariz"], detail.GetProperty("projects").EnumerateArray().Select(p => p.GetProperty("title").GetString()));
        Assert.Equal(2, detail.GetProperty("submission").GetProperty("reportedFindings").GetInt32());
        var report = detail.GetProperty("oversightReport").EnumerateArray().ToList();
        // Stated as the document does: the 2038 finding was escalated first.
        Assert.Equal([process.FindingId, pier.FindingId], report.Select(f => f.GetProperty("findingId").GetGuid()));
        Assert.Equal(("El canal acordado no figura en el PIA 2039", "Canal de riego Otuzco", 2039, "Finding", "La respuesta no indica cuándo se incluirá"),
            (report[1].GetProperty("text").GetString(), report[1].GetProperty("projectTitle").GetString(), report[1].GetProperty("fiscalYear").GetInt32(),
                report[1].GetProperty("kind").GetString(), report[1].GetProperty("escalationReason").GetString()));
        Assert.Equal(["Se incluirá en la primera modificación presupuestal", "Se adjunta el oficio 045-2039"],
            report[1].GetProperty("answers").EnumerateArray().Select(a => a.GetProperty("text").GetString()));
        Assert.Equal(JsonValueKind.Null, report[0].GetProperty("proposalId").ValueKind);

        // The same report for an integrator's gRPC client and through JSON transcoding.
        var grpc = await new IntakeQuery.IntakeQueryClient(desk.Channel).GetSubmissionAsync(new GetReceivedRequest { SubmissionId = document.SubmissionId.ToString() },
            new Metadata { { "Authorization", $"Bearer {desk.DeploymentToken}" } }, cancellationToken: Ct);
        Assert.Equal([process.FindingId.ToString(), pier.FindingId.ToString()], grpc.OversightReport.Select(f => f.FindingId));
        Assert.Equal(("", ""), (grpc.OversightReport[0].ProposalId, grpc.OversightReport[0].ProjectTitle));
        Assert.Equal(["2039-04-10T16:00:00.000Z", "2039-04-20T16:00:00.000Z"], grpc.OversightReport[1].Answers.Select(a => a.AnsweredAt));
        Assert.Equal(2, grpc.Submission.ReportedFindings);
        using var http = system.App.CreateHttpClient("national-intake", "http");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", desk.DeploymentToken);
        var transcoded = await http.GetFromJsonAsync<JsonElement>($"/v1/intake/submissions/{document.SubmissionId}", Ct);
        Assert.Equal("2039-04-06T14:00:00.000Z", transcoded.GetProperty("oversightReport")[1].GetProperty("raisedAt").GetString());
    }

    [Fact]
    public async Task A_finding_of_the_package_s_own_year_or_one_reported_before_is_refused_saying_why()
    {
        var desk = await DeskAsync();
        var reported = Finding(2041, "Obra paralizada sin explicación");
        var first = Document(2042, reported);
        await SubmitAsync(desk, first);
        var firstReceipt = (await desk.Officer.GetFromJsonAsync<JsonElement>($"/api/intake/submissions/{first.SubmissionId}", Ct))
            .GetProperty("submission").GetProperty("receipt").GetString();

        var sameYear = await Assert.ThrowsAsync<RpcException>(() => SubmitAsync(desk, Document(2043, Finding(2043, "Hallazgo del mismo año"))));
        var again = await Assert.ThrowsAsync<RpcException>(() => SubmitAsync(desk, Document(2043, reported)));

        Assert.Equal(StatusCode.FailedPrecondition, sameYear.StatusCode);
        Assert.Contains("fiscalYear: 2043 is not earlier than the submission's fiscal year 2043", sameYear.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
        Assert.Equal($"oversightReport.findings[{reported.FindingId}]: already reported with submission {first.SubmissionId} (receipt {firstReceipt})", again.Status.Detail);
    }
}
