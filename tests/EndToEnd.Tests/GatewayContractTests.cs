using System.Net;
using System.Net.Http.Json;
using Grpc.Core;
using Grpc.Reflection.V1Alpha;
using PBServices.Grpc.Registration;

namespace PBServices.EndToEnd.Tests;

/// <summary>What integrators and our own checks rely on at the one public address.</summary>
public sealed class GatewayContractTests(SystemFixture system)
{
    [Theory]
    [InlineData("registration", "/api/registration/processes")]
    [InlineData("deliberation", "/api/deliberation/processes/{processId}/proposals")]
    [InlineData("technical-assessment", "/api/assessment/queue")]
    [InlineData("coordination", "/api/coordination/processes/{processId}/list")]
    [InlineData("ministry-submission", "/api/submissions/processes/{processId}")]
    [InlineData("oversight", "/api/oversight/progress")]
    public async Task Every_service_publishes_its_OpenAPI_document_through_the_gateway(string service, string expectedPath)
    {
        var response = await system.Gateway.GetAsync($"/openapi/{service}/v1.json", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("\"openapi\"", body);
        Assert.Contains(expectedPath, body);
        using var document = System.Text.Json.JsonDocument.Parse(body);
        Assert.Equal("bearer", document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task gRPC_reflection_through_the_gateway_lists_every_service()
    {
        var reflection = new ServerReflection.ServerReflectionClient(system.GatewayGrpc);
        using var call = reflection.ServerReflectionInfo(cancellationToken: TestContext.Current.CancellationToken);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }, TestContext.Current.CancellationToken);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
        var names = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Superset(new HashSet<string>
        {
            "pb.registration.v1.RegistrationQuery", "pb.deliberation.v1.ProposalQuery", "pb.assessment.v1.AssessmentQuery",
            "pb.coordination.v1.CoordinationQuery", "pb.ministry.v1.SubmissionQuery", "pb.oversight.v1.ProgressQuery",
        }, names.ToHashSet());
    }

    [Fact]
    public async Task A_request_without_a_token_is_refused_with_401()
    {
        var response = await system.Gateway.PostAsJsonAsync("/api/registration/processes",
            new { name = "x", fiscalYear = 2027, level = "district", budgetCeiling = 1m }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // The gateway refuses it itself, with problem details as the OpenAPI documents declare.
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_resident_cannot_open_a_process()
    {
        var resident = system.As(await system.TokenAsync("resident", "150101"));
        var response = await resident.PostAsJsonAsync("/api/registration/processes",
            new { name = "Lima 2027", fiscalYear = DateTime.UtcNow.Year + 1, level = "district", budgetCeiling = 1000m }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Bad_input_gets_problem_details_naming_the_field_and_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = system.As(await system.TokenAsync("process-admin", "150132"));
        var response = await admin.PostAsJsonAsync("/api/registration/processes",
            new { name = "San Juan de Lurigancho 2027", fiscalYear = DateTime.UtcNow.Year + 1, level = "district", budgetCeiling = -5m }, ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemDto>(ct))!;
        Assert.Contains("budgetCeiling", problem.Errors!.Keys);

        // Nothing was created: the same jurisdiction and year can still be opened with valid input.
        var valid = await admin.PostAsJsonAsync("/api/registration/processes", ProcessStory.OpenRequest("San Juan de Lurigancho 2027", 2_000_000m), ct);
        Assert.Equal(HttpStatusCode.Created, valid.StatusCode);
    }

    [Theory]
    [InlineData("budgetCeiling", 100000000000000000)]
    [InlineData("budgetCeiling", 0.001)]
    [InlineData("name", 1, "Lurín\u0000 2027")]
    public async Task Input_the_database_would_refuse_is_a_400_naming_the_field(string field, decimal ceiling, string name = "Lurín 2027")
    {
        var admin = system.As(await system.TokenAsync("process-admin", "150119"));
        var response = await admin.PostAsJsonAsync("/api/registration/processes",
            new { name, fiscalYear = DateTime.UtcNow.Year + 1, level = "district", budgetCeiling = ceiling }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemDto>(TestContext.Current.CancellationToken))!;
        Assert.Contains(field, problem.Errors!.Keys);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_not_a_500()
    {
        var admin = system.As(await system.TokenAsync("process-admin", "150133"));
        using var body = new StringContent("{\"name\": \"x\",", System.Text.Encoding.UTF8, "application/json");
        var response = await admin.PostAsync("/api/registration/processes", body, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemDto>(TestContext.Current.CancellationToken))!;
        Assert.False(string.IsNullOrEmpty(problem.Detail), "The problem details should say what could not be read");
    }

    [Fact]
    public async Task An_unknown_process_over_gRPC_is_NotFound_and_a_bad_id_is_InvalidArgument()
    {
        var client = new RegistrationQuery.RegistrationQueryClient(system.GatewayGrpc);
        var headers = new Metadata { { "authorization", $"Bearer {await system.TokenAsync("resident", "180301")}" } };
        var notFound = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.GetProcessAsync(new GetProcessRequest { ProcessId = Guid.NewGuid().ToString() }, headers, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
        var invalid = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.GetProcessAsync(new GetProcessRequest { ProcessId = "not-a-guid" }, headers, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
    }

    [Fact]
    public async Task A_token_for_one_jurisdiction_cannot_act_on_another_jurisdictions_process()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = system.As(await system.TokenAsync("process-admin", "040101"));
        var opened = await admin.PostAsJsonAsync("/api/registration/processes", ProcessStory.OpenRequest("Arequipa 2027", 500_000m), ct);
        var process = (await opened.Content.ReadFromJsonAsync<ProcessDto>(ct))!;

        var otherAdmin = system.As(await system.TokenAsync("process-admin", "080101"));
        var response = await otherAdmin.PostAsJsonAsync($"/api/registration/processes/{process.Id}/stage", new { toStage = "Concertation" }, ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        // Reading is public; each jurisdiction's list holds only its own processes.
        Assert.Contains(await otherAdmin.GetFromJsonAsync<List<ProcessDto>>("/api/registration/processes?jurisdiction=040101", ct) ?? [], p => p.Id == process.Id);
        Assert.DoesNotContain(await otherAdmin.GetFromJsonAsync<List<ProcessDto>>("/api/registration/processes?jurisdiction=080101", ct) ?? [], p => p.Id == process.Id);
    }

    [Fact]
    public async Task A_client_flooding_the_gateway_is_slowed_with_429_while_others_are_served()
    {
        var ct = TestContext.Current.CancellationToken;
        var flooder = system.As(await system.TokenAsync("resident", "180301", $"flooder-{Guid.NewGuid():N}"));
        // Twice the per-minute allowance, plus one: at most two fixed windows can pass while it runs.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 2 * SystemFixture.PermitsPerMinute + 1; i++)
        {
            statuses.Add((await flooder.GetAsync("/api/registration/processes", ct)).StatusCode);
        }
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);

        var neighbour = system.As(await system.TokenAsync("resident", "180301", $"neighbour-{Guid.NewGuid():N}"));
        Assert.Equal(HttpStatusCode.OK, (await neighbour.GetAsync("/api/registration/processes", ct)).StatusCode);
    }
}
