using System.Globalization;
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
/// The Ministry's national intake as another deployment would meet it: its own address, its own tokens, the keys its
/// officers enrolled. The tests play the Ministry's officer and a region's deployment (270000, Huánuco's ubigeo range,
/// which no other test uses), building and signing their own v3 documents.
/// </summary>
public sealed class NationalIntakeTests(SystemFixture system, PortalBrowser browser) : IClassFixture<PortalBrowser>, IDisposable
{
    private const string Region = "270000";
    private const string District = "270101";
    private const string OtherDistrict = "270102";

    private static readonly SemaphoreSlim SetupLock = new(1, 1);
    private static Desk? _desk;

    private readonly ECDsa _stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose() => _stranger.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>What every test starts from: the officer's token, a key enrolled for the region, the region's deployment client.</summary>
    private sealed record Desk(GrpcChannel Channel, HttpClient Officer, string DeploymentToken, ECDsa RegionKey, string RegionKeyId);

    private async Task<Desk> DeskAsync()
    {
        await SetupLock.WaitAsync(Ct);
        try
        {
            if (_desk is not null)
            {
                return _desk;
            }
            using var startup = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            startup.CancelAfter(TimeSpan.FromMinutes(3));
            await system.App.ResourceNotifications.WaitForResourceHealthyAsync("national-intake", startup.Token);
            var channel = GrpcChannel.ForAddress(system.App.GetEndpoint("national-intake", "grpc"));
            var officer = await system.MinistryOfficerAsync();
            
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var keyId = await EnrolAsync(officer, Region, key);
            var secret = await CreateClientAsync(officer, $"e2e-deployment-{Guid.NewGuid():N}"[..40], "deployment", Region);
            var token = await GrpcTokenAsync(channel, secret.ClientId, secret.Secret);
            return _desk = new Desk(channel, officer, token, key, keyId);
        }
        finally
        {
            SetupLock.Release();
        }
    }

    private static SubmittedProjectEntry Project(int rank, decimal cost, string objective = "OE2 Agua y saneamiento", bool assessed = true) =>
        new(rank, Guid.CreateVersion7(), $"Proyecto {rank} de prueba", cost, 60m + rank, objective, cost,
            assessed ? new ProjectAssessment(AssessmentRecommendation.Viable, null, 1) : null, []);

    private static SubmissionDocument Document(string jurisdiction, int fiscalYear = 2037, decimal ceiling = 1_000_000m, SubmittedActa? acta = null,
        params SubmittedProjectEntry[] projects)
    {
        var approved = new DateTimeOffset(fiscalYear - 1, 7, 10, 15, 0, 0, TimeSpan.Zero);
        return new SubmissionDocument(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), jurisdiction, Jurisdictions.LevelOf(jurisdiction),
            fiscalYear, ceiling, approved, acta ?? new SubmittedActa($"Acta N° {Random.Shared.Next(1, 999):000}-E2E", new string('c', 64), 1, 3, ["CoordinationCouncil", "Council"]),
            [
                new(Stage.Preparation, approved.AddDays(-100)), new(Stage.Concertation, approved.AddDays(-60)),
                new(Stage.Coordination, approved.AddDays(-20)), new(Stage.Formalization, approved.AddDays(-2)),
            ],
            projects.Length > 0 ? projects : [Project(1, 300_000m), Project(2, 150_000.5m)]);
    }

    private static async Task<SubmitReply> SubmitAsync(Desk desk, SubmitRequest request, string? token = null) =>
        await new MinistryIntake.MinistryIntakeClient(desk.Channel).SubmitAsync(request, Bearer(token ?? desk.DeploymentToken), cancellationToken: Ct);

    private static async Task<RpcException> RefusedAsync(Desk desk, SubmitRequest request, StatusCode expected, string? token = null)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => SubmitAsync(desk, request, token));
        Assert.True(expected == e.StatusCode, $"Expected {expected}, got {e.StatusCode}: {e.Status.Detail}");
        return e;
    }

    private static async Task<List<ReceivedSubmission>> ListAsync(Desk desk, string jurisdiction, string? token = null)
    {
        using var call = new IntakeQuery.IntakeQueryClient(desk.Channel).ListSubmissions(new ListReceivedRequest { Jurisdiction = jurisdiction },
            Bearer(token ?? desk.DeploymentToken), cancellationToken: Ct);
        return await call.ResponseStream.ReadAllAsync(Ct).ToListAsync(Ct);
    }

    [Fact]
    public async Task A_signed_valid_package_is_accepted_with_a_receipt_and_readable_by_the_deployment()
    {
        var desk = await DeskAsync();
        var document = Document(District);

        var reply = await SubmitAsync(desk, Sign(document, desk.RegionKey));

        Assert.Equal("Accepted", reply.Status);
        Assert.Matches("^MEF-[0-9]{8}-[0-9a-f]{10}$", reply.Receipt);
        Assert.True(DateTimeOffset.TryParse(reply.ReceivedAt, CultureInfo.InvariantCulture, out _));
        var detail = await new IntakeQuery.IntakeQueryClient(desk.Channel).GetSubmissionAsync(new GetReceivedRequest { SubmissionId = document.SubmissionId.ToString() },
            Bearer(desk.DeploymentToken), cancellationToken: Ct);
        Assert.Equal(reply.Receipt, detail.Submission.Receipt);
        Assert.Equal("District", detail.Submission.Level);
        Assert.Equal("450000.50", detail.Submission.TotalCost);
        Assert.Equal(document.Acta.Reference, detail.ActaReference);
        Assert.Equal(["300000.00", "150000.50"], detail.Projects.Select(p => p.Cost));
        Assert.All(detail.Projects, p => Assert.Equal("", p.Decision));

        // The same query for a plain HTTP client, through JSON transcoding, with the intake's token.
        using var http = system.App.CreateHttpClient("national-intake", "http");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", desk.DeploymentToken);
        var transcoded = await http.GetFromJsonAsync<JsonElement>($"/v1/intake/submissions/{document.SubmissionId}", Ct);
        Assert.Equal(reply.Receipt, transcoded.GetProperty("submission").GetProperty("receipt").GetString());
        var listed = await http.GetStringAsync($"/v1/intake/submissions?fiscal_year=2037&jurisdiction={District}", Ct);
        Assert.Contains(document.SubmissionId.ToString(), listed);
    }

    [Fact]
    public async Task A_package_delivered_twice_is_recorded_once_with_the_same_receipt()
    {
        var desk = await DeskAsync();
        var request = Sign(Document(District), desk.RegionKey);

        var first = await SubmitAsync(desk, request);
        var second = await SubmitAsync(desk, request);

        Assert.Equal(first.Receipt, second.Receipt);
        Assert.Equal(first.ReceivedAt, second.ReceivedAt);
        Assert.Single(await ListAsync(desk, District), s => s.SubmissionId == request.SubmissionId);
    }

    [Fact]
    public async Task Twenty_concurrent_deliveries_of_one_package_record_one_row_and_answer_one_receipt()
    {
        var desk = await DeskAsync();
        var request = Sign(Document(OtherDistrict), desk.RegionKey);

        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => SubmitAsync(desk, request)));

        Assert.Single(replies.Select(r => r.Receipt).Distinct());
        Assert.Single(await ListAsync(desk, OtherDistrict), s => s.SubmissionId == request.SubmissionId);
    }

    [Fact]
    public async Task Another_package_under_a_recorded_submission_id_is_refused_as_already_existing()
    {
        var desk = await DeskAsync();
        var document = Document(District);
        var first = await SubmitAsync(desk, Sign(document, desk.RegionKey));
        var changed = document with { Projects = [document.Projects[0] with { Title = "Otro título" }, document.Projects[1]] };

        var e = await RefusedAsync(desk, Sign(changed, desk.RegionKey), StatusCode.AlreadyExists);

        Assert.Contains(first.Receipt, e.Status.Detail);
        var stored = await new IntakeQuery.IntakeQueryClient(desk.Channel).GetSubmissionAsync(new GetReceivedRequest { SubmissionId = document.SubmissionId.ToString() },
            Bearer(desk.DeploymentToken), cancellationToken: Ct);
        Assert.Equal("Proyecto 1 de prueba", stored.Projects[0].Title);
    }

    [Fact]
    public async Task Tampered_content_is_refused_as_invalid()
    {
        var desk = await DeskAsync();
        var request = Sign(Document(District), desk.RegionKey);
        request.CanonicalContent = request.CanonicalContent.Replace("\"cost\":\"300000.00\"", "\"cost\":\"390000.00\"", StringComparison.Ordinal);

        var e = await RefusedAsync(desk, request, StatusCode.InvalidArgument);

        Assert.Contains("content_hash: is not the SHA-256 of canonical_content", e.Status.Detail);
        Assert.Contains("signature: does not verify with the key enrolled under key_id", e.Status.Detail);
    }

    [Fact]
    public async Task A_signature_not_made_with_the_enrolled_key_is_refused_as_invalid()
    {
        var desk = await DeskAsync();

        var e = await RefusedAsync(desk, Sign(Document(District), _stranger, desk.RegionKeyId), StatusCode.InvalidArgument);

        Assert.Equal("signature: does not verify with the key enrolled under key_id", e.Status.Detail);
    }

    [Fact]
    public async Task A_package_signed_with_an_unenrolled_key_is_permission_denied()
    {
        var desk = await DeskAsync();

        var e = await RefusedAsync(desk, Sign(Document(District), _stranger), StatusCode.PermissionDenied);

        Assert.Contains("is not an enrolled key", e.Status.Detail);
    }

    [Fact]
    public async Task A_rotated_key_is_retired_and_a_revoked_key_is_refused()
    {
        var desk = await DeskAsync();
        using var first = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var second = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // The district's own key, beside the region's.
        var firstId = await EnrolAsync(desk.Officer, OtherDistrict, first);
        Assert.Equal("Accepted", (await SubmitAsync(desk, Sign(Document(OtherDistrict), first))).Status);

        var secondId = await EnrolAsync(desk.Officer, OtherDistrict, second);
        var keys = await desk.Officer.GetFromJsonAsync<JsonElement>($"/api/intake/keys?jurisdiction={OtherDistrict}", Ct);
        Assert.Equal("Retired", keys.EnumerateArray().Single(k => k.GetProperty("keyId").GetString() == firstId).GetProperty("status").GetString());
        Assert.Equal("Active", keys.EnumerateArray().Single(k => k.GetProperty("keyId").GetString() == secondId).GetProperty("status").GetString());
        var retired = await RefusedAsync(desk, Sign(Document(OtherDistrict), first), StatusCode.PermissionDenied);
        Assert.Contains("key_id: the key was retired at", retired.Status.Detail);
        Assert.Equal("Accepted", (await SubmitAsync(desk, Sign(Document(OtherDistrict), second))).Status);

        var revocation = await desk.Officer.PostAsJsonAsync($"/api/intake/keys/{secondId}/revocation", new { reason = "The deployment reported the key lost" }, Ct);
        Assert.Equal(HttpStatusCode.OK, revocation.StatusCode);
        var revoked = await RefusedAsync(desk, Sign(Document(OtherDistrict), second), StatusCode.PermissionDenied);
        Assert.Contains("key_id: the key was revoked at", revoked.Status.Detail);
        var again = await desk.Officer.PostAsJsonAsync($"/api/intake/keys/{secondId}/revocation", new { reason = "Twice" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task A_key_and_credentials_of_a_region_cannot_submit_another_region_s_package()
    {
        var desk = await DeskAsync();

        var e = await RefusedAsync(desk, Sign(Document("260101"), desk.RegionKey), StatusCode.PermissionDenied);

        Assert.Contains("jurisdiction: the credentials act for '270000', which does not include '260101'", e.Status.Detail);
        Assert.Contains("key_id: the key is enrolled for '270000', which does not include '260101'", e.Status.Detail);
    }

    [Fact]
    public async Task An_envelope_that_does_not_match_its_content_is_refused_as_invalid()
    {
        var desk = await DeskAsync();
        var request = Sign(Document(District), desk.RegionKey);
        request.Jurisdiction = OtherDistrict;
        request.ProcessId = Guid.CreateVersion7().ToString();

        var e = await RefusedAsync(desk, request, StatusCode.InvalidArgument);

        Assert.Contains($"jurisdiction: '{OtherDistrict}' is not the document's jurisdiction '{District}'", e.Status.Detail);
        Assert.Contains("process_id: ", e.Status.Detail);
    }

    [Fact]
    public async Task A_list_over_its_ceiling_without_assessment_and_with_an_unsigned_acta_is_refused_with_every_reason_and_recorded()
    {
        var desk = await DeskAsync();
        var document = Document(District, ceiling: 400_000m, acta: new SubmittedActa("Acta N° 404-E2E", new string('d', 64), 0, 0, ["CoordinationCouncil", "Council"]),
            projects: [Project(1, 300_000m), Project(2, 200_000m, assessed: false)]);

        var e = await RefusedAsync(desk, Sign(document, desk.RegionKey), StatusCode.FailedPrecondition);

        Assert.Contains("ownCommitment: S/ 500000.00 exceeds the budget ceiling of S/ 400000.00", e.Status.Detail);
        Assert.Contains("projects[rank 2].assessment: the project has no technical assessment", e.Status.Detail);
        Assert.Contains("acta.authoritySignatures: no authority signed the acta", e.Status.Detail);
        Assert.Contains("acta.agentSignatures: no participating agent signed the acta", e.Status.Detail);
        var refusals = await desk.Officer.GetFromJsonAsync<JsonElement>($"/api/intake/refusals?jurisdiction={District}", Ct);
        var recorded = refusals.EnumerateArray().Single(r => r.GetProperty("submissionId").GetString() == document.SubmissionId.ToString());
        Assert.Equal("FailedPrecondition", recorded.GetProperty("status").GetString());
        Assert.Equal(e.Status.Detail, recorded.GetProperty("reasons").GetString());
        Assert.DoesNotContain(await ListAsync(desk, District), s => s.SubmissionId == document.SubmissionId.ToString());
    }

    [Fact]
    public async Task A_regional_deployment_s_token_is_not_the_intake_s_and_is_unauthenticated()
    {
        var desk = await DeskAsync();
        var regional = await system.TokenAsync("ministry", "PE");

        var submit = await RefusedAsync(desk, Sign(Document(District), desk.RegionKey), StatusCode.Unauthenticated, regional);
        var list = await Assert.ThrowsAsync<RpcException>(() => ListAsync(desk, "", regional));
        using var http = system.App.CreateHttpClient("national-intake", "http");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", regional);
        var response = await http.GetAsync("/api/intake/submissions", Ct);

        Assert.Equal(StatusCode.Unauthenticated, submit.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, list.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_wrong_client_secret_gets_no_token()
    {
        var desk = await DeskAsync();

        var grpc = await Assert.ThrowsAsync<RpcException>(() => GrpcTokenAsync(desk.Channel, "mef-officer", "not-the-secret"));
        using var anonymous = system.App.CreateHttpClient("national-intake", "http");
        var http = await anonymous.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "mef-officer", ["client_secret"] = "not-the-secret",
        }), Ct);

        Assert.Equal(StatusCode.Unauthenticated, grpc.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, http.StatusCode);
        Assert.Equal("invalid_client", (await http.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_deployment_reads_only_within_its_jurisdiction()
    {
        var desk = await DeskAsync();
        var document = Document(District);
        await SubmitAsync(desk, Sign(document, desk.RegionKey));
        var neighbour = await CreateClientAsync(desk.Officer, $"e2e-neighbour-{Guid.NewGuid():N}"[..36], "deployment", OtherDistrict);
        var neighbourToken = await GrpcTokenAsync(desk.Channel, neighbour.ClientId, neighbour.Secret);

        var otherRegion = await Assert.ThrowsAsync<RpcException>(() => ListAsync(desk, "260000"));
        var otherDistrict = await Assert.ThrowsAsync<RpcException>(async () => await new IntakeQuery.IntakeQueryClient(desk.Channel).GetSubmissionAsync(
            new GetReceivedRequest { SubmissionId = document.SubmissionId.ToString() }, Bearer(neighbourToken), cancellationToken: Ct));
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => ListAsync(desk, "", ""));

        Assert.Equal(StatusCode.PermissionDenied, otherRegion.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, otherDistrict.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        Assert.DoesNotContain(await ListAsync(desk, "", neighbourToken), s => s.Jurisdiction != OtherDistrict);
    }

    [Fact]
    public async Task Bad_enrolment_input_is_a_400_naming_the_field()
    {
        var desk = await DeskAsync();

        var response = await desk.Officer.PostAsJsonAsync("/api/intake/keys", new { jurisdiction = Region, publicKey = "bm90IGEga2V5", reason = "Test" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("publicKey", out _));
    }

    [Fact]
    public async Task Decisions_recorded_by_the_officer_stream_to_the_deployment_after_its_cursor()
    {
        var desk = await DeskAsync();
        var document = Document(OtherDistrict, fiscalYear: 2038);
        await SubmitAsync(desk, Sign(document, desk.RegionKey));
        var cursor = (await StreamDecisionsAsync(desk, 0)).Select(d => d.Sequence).DefaultIfEmpty(0).Max();
        var (approvedId, rejectedId) = (document.Projects[0].ProposalId, document.Projects[1].ProposalId);

        var approve = await DecideAsync(desk, document.SubmissionId, new { proposalId = approvedId, decision = "Approved", approvedAmount = 280_000m });
        var reject = await DecideAsync(desk, document.SubmissionId, new { proposalId = rejectedId, decision = "Rejected", reason = "Duplica la obra del gobierno regional" });
        var twice = await DecideAsync(desk, document.SubmissionId, new { proposalId = approvedId, decision = "Rejected", reason = "Otra vez" });
        var tooMuch = await DecideAsync(desk, document.SubmissionId, new { proposalId = rejectedId, decision = "Approved", approvedAmount = 999_999m });

        Assert.Equal(HttpStatusCode.Created, approve.StatusCode);
        Assert.Equal(HttpStatusCode.Created, reject.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooMuch.StatusCode);
        Assert.True((await tooMuch.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("approvedAmount", out _));
        var streamed = (await StreamDecisionsAsync(desk, cursor)).Where(d => d.SubmissionId == document.SubmissionId.ToString()).ToList();
        Assert.Equal([approvedId.ToString(), rejectedId.ToString()], streamed.Select(d => d.ProposalId));
        Assert.True(streamed[0].Sequence > cursor && streamed[1].Sequence > streamed[0].Sequence);
        Assert.Equal(("Approved", "280000.00", ""), (streamed[0].Decision, streamed[0].ApprovedAmount, streamed[0].Reason));
        Assert.Equal(("Rejected", "0.00", "Duplica la obra del gobierno regional"), (streamed[1].Decision, streamed[1].ApprovedAmount, streamed[1].Reason));
        Assert.Equal(document.ProcessId.ToString(), streamed[0].ProcessId);
        var resumed = (await StreamDecisionsAsync(desk, streamed[0].Sequence)).Where(d => d.SubmissionId == document.SubmissionId.ToString());
        Assert.Equal([rejectedId.ToString()], resumed.Select(d => d.ProposalId));
        var outsider = await CreateClientAsync(desk.Officer, $"e2e-outsider-{Guid.NewGuid():N}"[..36], "deployment", "260000");
        var outsiderToken = await GrpcTokenAsync(desk.Channel, outsider.ClientId, outsider.Secret);
        Assert.DoesNotContain(await StreamDecisionsAsync(desk, cursor, outsiderToken), d => d.SubmissionId == document.SubmissionId.ToString());
    }

    private static async Task<List<ProjectDecision>> StreamDecisionsAsync(Desk desk, long after, string? token = null)
    {
        using var call = new MinistryIntake.MinistryIntakeClient(desk.Channel).StreamDecisions(new StreamDecisionsRequest { AfterSequence = after },
            Bearer(token ?? desk.DeploymentToken), cancellationToken: Ct);
        return await call.ResponseStream.ReadAllAsync(Ct).ToListAsync(Ct);
    }

    private static Task<HttpResponseMessage> DecideAsync(Desk desk, Guid submissionId, object decision) =>
        desk.Officer.PostAsJsonAsync($"/api/intake/submissions/{submissionId}/decisions", decision, Ct);

    [Fact]
    public async Task The_national_aggregate_shows_the_same_approved_total_as_JSON_CSV_and_page()
    {
        const int year = 2039;
        var desk = await DeskAsync();
        var district = Document(District, fiscalYear: year, projects: [Project(1, 120_000m, "OE1 Educación"), Project(2, 80_000.25m, "OE2 Agua y saneamiento"), Project(3, 50_000m)]);
        var region = Document(Region, fiscalYear: year, projects: [Project(1, 700_000m, "OE1 Educación")]);
        await SubmitAsync(desk, Sign(district, desk.RegionKey));
        await SubmitAsync(desk, Sign(region, desk.RegionKey));
        foreach (var (doc, project, amount) in new[] { (district, 0, 100_000m), (district, 1, 80_000.25m), (region, 0, 650_000m) })
        {
            Assert.Equal(HttpStatusCode.Created, (await DecideAsync(desk, doc.SubmissionId, new { proposalId = doc.Projects[project].ProposalId, decision = "Approved", approvedAmount = amount })).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Created, (await DecideAsync(desk, district.SubmissionId, new { proposalId = district.Projects[2].ProposalId, decision = "Rejected", reason = "Sin saneamiento físico legal" })).StatusCode);
        using var anonymous = system.App.CreateHttpClient("national-intake", "http");

        var json = await anonymous.GetFromJsonAsync<JsonElement>($"/api/intake/aggregate?fiscalYear={year}", Ct);
        var csv = await anonymous.GetStringAsync($"/api/intake/aggregate.csv?fiscalYear={year}", Ct);
        var transcoded = await anonymous.GetFromJsonAsync<JsonElement>($"/v1/intake/aggregate/{year}", Ct);

        Assert.Equal(830_000.25m, json.GetProperty("totalApproved").GetDecimal());
        var rows = json.GetProperty("rows").EnumerateArray().Select(r => (r.GetProperty("region").GetString(), r.GetProperty("level").GetString(),
            r.GetProperty("planObjective").GetString(), r.GetProperty("projects").GetInt32(), r.GetProperty("approvedAmount").GetDecimal())).ToList();
        Assert.Equal([(Region, "District", "OE1 Educación", 1, 100_000m), (Region, "District", "OE2 Agua y saneamiento", 1, 80_000.25m), (Region, "Region", "OE1 Educación", 1, 650_000m)], rows);
        Assert.EndsWith($"total,,,{year},3,830000.25\r\n", csv);
        Assert.StartsWith("region,level,plan_objective,fiscal_year,projects,approved_amount\r\n", csv);
        Assert.Equal("830000.25", transcoded.GetProperty("totalApproved").GetString());
        Assert.Equal(year, transcoded.GetProperty("fiscalYear").GetInt32());
        Assert.Equal(3, transcoded.GetProperty("rows").GetArrayLength());

        var anyYear = await anonymous.GetAsync("/v1/intake/aggregate/2027", Ct);
        Assert.Equal(HttpStatusCode.OK, anyYear.StatusCode);
        Assert.Equal("application/json", anyYear.Content.Headers.ContentType?.MediaType);
        Assert.Equal(2027, (await anyYear.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("fiscalYear").GetInt32());

        await browser.CheckAsync(system.App.GetEndpoint("national-intake", "http"), $"/agregado?anio={year}", "intake-agregado", async page =>
        {
            Assert.Equal("S/ 830,000.25", await page.Locator("#total").InnerTextAsync());
            Assert.Contains("830,000.25", await page.Locator("tfoot").InnerTextAsync());
            Assert.Contains("Monto aprobado por región", await page.Locator("svg title").First.TextContentAsync());
            Assert.Contains("S/ 830,000.25", await page.Locator("svg").InnerHTMLAsync());
            Assert.Equal(0, await page.Locator("script").CountAsync());
        });
    }

    [Fact]
    public async Task The_intake_publishes_its_OpenAPI_document_and_gRPC_reflection_to_integrators()
    {
        var desk = await DeskAsync();
        using var anonymous = system.App.CreateHttpClient("national-intake", "http");

        var body = await anonymous.GetStringAsync("/openapi/v1.json", Ct);
        var reflection = new global::Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(desk.Channel);
        using var call = reflection.ServerReflectionInfo(cancellationToken: Ct);
        await call.RequestStream.WriteAsync(new global::Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" }, Ct);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(Ct));

        foreach (var path in new[] { "/api/intake/keys", "/api/intake/clients", "/api/intake/submissions/{submissionId}/decisions", "/api/intake/aggregate", "/connect/token" })
        {
            Assert.Contains($"\"{path}\"", body);
        }
        Assert.Superset(new HashSet<string> { "pb.intake.v1.IntakeAuth", "pb.intake.v1.MinistryIntake", "pb.intake.v1.IntakeQuery" },
            call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToHashSet());
    }

    [Fact]
    public async Task The_aggregate_refuses_a_fiscal_year_out_of_range_naming_it()
    {
        await DeskAsync();
        using var anonymous = system.App.CreateHttpClient("national-intake", "http");

        var response = await anonymous.GetAsync("/api/intake/aggregate?fiscalYear=99", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("fiscalYear", out _));
    }
}
