using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Outbox;
using PBServices.BuildingBlocks.Security;
using PBServices.BuildingBlocks.Tests.Infrastructure;

namespace PBServices.BuildingBlocks.Tests;

/// <summary>
/// The audit endpoints as a service maps them (AddPbService, UsePbService, MapAuditApi), served by Kestrel
/// on a loopback port, called with real tokens.
/// </summary>
public sealed class AuditApiTests(LocalBrokerAndDatabase servers) : IAsyncLifetime
{
    private const string Prefix = "/api/sample";
    private const string Ilo = "180301";
    private const string Lima = "150101";
    private static readonly Guid ProcessId = Guid.NewGuid();
    private static readonly Guid OtherProcessId = Guid.NewGuid();
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private Database _db = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _db = new Database(await servers.CreateDatabaseAsync());
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Test" });
        // Only what this test says: no appsettings of a referenced service, no fixed ports.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:sampledb"] = _db.ConnectionString,
            ["Auth:SigningKey"] = "audit-api-tests-signing-key-of-at-least-32-bytes",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new TestOutputLoggerProvider(TestContext.Current.TestOutputHelper, "sample"));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddPbService("sampledb", TestService.Migrations);
        // AddEventBus registers it in a service; this one has no bus.
        builder.Services.AddSingleton<OutboxSignal>();

        _app = builder.Build();
        _app.UsePbService();
        _app.MapAuditApi(Prefix);
        await _app.StartAsync(Ct);
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        _http = new HttpClient { BaseAddress = new Uri(address) };
        await SeedAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(Roles.ProcessAdmin)]
    [InlineData(Roles.Oversight)]
    public async Task The_trail_of_a_process_lists_its_changes_in_order_with_who_made_them(string role)
    {
        var trail = await TrailAsync(Token(role, Ilo), ProcessId);

        Assert.Equal(["process.opened", "agent.accredited", "list.project-dropped"], trail.Select(e => e.Action));
        Assert.Equal([1L, 2L, 4L], trail.Select(e => e.Sequence));
        var dropped = trail[2];
        Assert.Equal(("admin-ilo", "process-admin", Ilo, "proposal-3"), (dropped.Subject, dropped.Role, dropped.Jurisdiction, dropped.SubjectId));
        Assert.Equal("Muro de contención", dropped.NewValues.GetProperty("title").GetString());
        Assert.Equal("Excede el techo tras la coordinación provincial", dropped.Reason);
        Assert.Equal(trail[1].Hash, (await TrailAsync(Token(Roles.ProcessAdmin, PbClaims.NationalJurisdiction), ProcessId))[1].Hash);
    }

    [Fact]
    public async Task A_token_sees_only_the_entries_of_its_own_jurisdiction_and_a_national_token_sees_all()
    {
        var lima = await TrailAsync(Token(Roles.Oversight, Lima), ProcessId);
        var national = await TrailAsync(Token(Roles.Oversight, PbClaims.NationalJurisdiction), ProcessId);

        Assert.Equal(["projection.updated"], lima.Select(e => e.Action));
        Assert.Equal(Lima, Assert.Single(lima).Jurisdiction);
        Assert.Equal(["process.opened", "agent.accredited", "projection.updated", "list.project-dropped"], national.Select(e => e.Action));
        Assert.All(national, e => Assert.Equal(ProcessId, e.ProcessId));
    }

    [Theory]
    [InlineData(Roles.Resident)]
    [InlineData(Roles.Agent)]
    [InlineData(Roles.TechnicalTeam)]
    [InlineData(Roles.Ministry)]
    [InlineData(Roles.Integrator)]
    public async Task Other_roles_are_refused_both_endpoints_with_403(string role)
    {
        var token = Token(role, PbClaims.NationalJurisdiction);
        foreach (var path in new[] { $"{Prefix}/audit?processId={ProcessId}", $"{Prefix}/audit/verification" })
        {
            using var response = await SendAsync(token, path);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_caller_without_a_token_gets_401_and_a_trail_without_process_id_a_problem_naming_it()
    {
        using var anonymous = await SendAsync(null, $"{Prefix}/audit/verification");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var missing = await SendAsync(Token(Roles.ProcessAdmin, Ilo), $"{Prefix}/audit");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Contains("processId", await missing.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Verification_reports_an_intact_chain_and_after_tampering_the_first_broken_entry()
    {
        var token = Token(Roles.Oversight, Ilo);
        Assert.Equal(new AuditVerification(true, 5, null, null), await VerificationAsync(token));

        await _db.ExecuteAsync(
            """
            BEGIN;
            SET LOCAL session_replication_role = replica;
            UPDATE audit_log SET new_values = '{"status":"Revoked"}' WHERE sequence = 2;
            COMMIT;
            """);

        var broken = await VerificationAsync(token);
        Assert.Equal((false, 1L, 2L), (broken.Ok, broken.Entries, broken.FirstBrokenSequence!.Value));
        Assert.Contains("altered", broken.Reason);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_both_endpoints_with_their_refusals()
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync("/openapi/v1.json", Ct));
        var paths = document.RootElement.GetProperty("paths");

        var trail = paths.GetProperty($"{Prefix}/audit").GetProperty("get");
        var verification = paths.GetProperty($"{Prefix}/audit/verification").GetProperty("get");
        Assert.Equal(("getSampleAuditTrail", "verifySampleAuditChain"), (trail.GetProperty("operationId").GetString(), verification.GetProperty("operationId").GetString()));
        foreach (var operation in new[] { trail, verification })
        {
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()));
            var responses = operation.GetProperty("responses");
            Assert.All(new[] { "200", "401", "403" }, status => Assert.True(responses.TryGetProperty(status, out _), $"no {status} response"));
        }
        Assert.Contains(trail.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "processId");
    }

    /// <summary>Five entries: four on the process (one by a Lima actor), one on another process.</summary>
    private async Task SeedAsync()
    {
        var admin = new Actor("admin-ilo", Roles.ProcessAdmin, Ilo);
        var units = _app.Services.GetRequiredService<UnitOfWorkFactory>();
        async Task Commit(Action<UnitOfWork> audit)
        {
            await using var uow = await units.BeginAsync(Ct);
            audit(uow);
            await uow.CommitAsync(Ct);
        }
        await Commit(u => u.Audit(admin, "process.opened", ProcessId, ProcessId.ToString(), new { name = "Presupuesto Participativo Ilo 2027" }));
        await Commit(u => u.Audit(admin, "agent.accredited", ProcessId, "agent-1", new { status = "Accredited" }));
        await Commit(u => u.Audit(Actor.System("sample", Lima), "projection.updated", ProcessId, "copy-1", new { stage = "Concertation" }));
        await Commit(u =>
        {
            u.Audit(admin, "list.project-dropped", ProcessId, "proposal-3", new { title = "Muro de contención" }, "Excede el techo tras la coordinación provincial");
            u.Audit(admin, "process.opened", OtherProcessId, OtherProcessId.ToString(), new { name = "Otro proceso" });
        });
    }

    private string Token(string role, string jurisdiction) =>
        _app.Services.GetRequiredService<TokenIssuer>().Issue($"{role}-{jurisdiction}", [role], jurisdiction);

    private async Task<HttpResponseMessage> SendAsync(string? token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await _http.SendAsync(request, Ct);
    }

    private async Task<AuditApi.AuditEntryResponse[]> TrailAsync(string token, Guid processId)
    {
        using var response = await SendAsync(token, $"{Prefix}/audit?processId={processId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<AuditApi.AuditEntryResponse[]>(Ct))!;
    }

    private async Task<AuditVerification> VerificationAsync(string token)
    {
        using var response = await SendAsync(token, $"{Prefix}/audit/verification");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<AuditVerification>(Ct))!;
    }
}
