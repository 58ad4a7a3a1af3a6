using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Aspire.Hosting.Testing;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using PBServices.Grpc.Coordination;
using PBServices.Grpc.Deliberation;
using PBServices.Grpc.Ministry;
using PBServices.Grpc.Oversight;
using PBServices.Grpc.Registration;
using PBServices.Grpc.TechnicalAssessment;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// Refused gRPC calls through the gateway, as a gRPC client reads them: a gRPC status, whether the gateway's
/// route policy refuses or the service behind it does. Python's grpcio cannot be installed here; the checks
/// on the wire stand in for it (HTTP 200, application/grpc, grpc-status, no problem-details body).
/// </summary>
public sealed class GrpcRefusalTests(SystemFixture system)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every method of every gRPC service the gateway routes, called with well-formed requests.</summary>
    private static readonly Dictionary<string, Func<GrpcChannel, Metadata?, Task>> Calls = new()
    {
        ["pb.registration.v1.RegistrationQuery/GetProcess"] = (c, h) => new RegistrationQuery.RegistrationQueryClient(c).GetProcessAsync(new() { ProcessId = Id() }, h, cancellationToken: Ct).ResponseAsync,
        ["pb.registration.v1.RegistrationQuery/IsAccredited"] = (c, h) => new RegistrationQuery.RegistrationQueryClient(c).IsAccreditedAsync(new() { ProcessId = Id(), AgentId = Id() }, h, cancellationToken: Ct).ResponseAsync,
        ["pb.registration.v1.RegistrationQuery/GetCounts"] = (c, h) => new RegistrationQuery.RegistrationQueryClient(c).GetCountsAsync(new() { ProcessId = Id() }, h, cancellationToken: Ct).ResponseAsync,
        ["pb.deliberation.v1.ProposalQuery/ListProposals"] = (c, h) => new ProposalQuery.ProposalQueryClient(c).ListProposalsAsync(new() { ProcessId = Id() }, h, cancellationToken: Ct).ResponseAsync,
        ["pb.assessment.v1.AssessmentQuery/GetAssessment"] = (c, h) => new AssessmentQuery.AssessmentQueryClient(c).GetAssessmentAsync(new() { ProposalId = Id() }, h, cancellationToken: Ct).ResponseAsync,
        ["pb.coordination.v1.CoordinationQuery/GetList"] = (c, h) => new CoordinationQuery.CoordinationQueryClient(c).GetListAsync(new() { ProcessId = Id() }, h, cancellationToken: Ct).ResponseAsync,
        ["pb.ministry.v1.SubmissionQuery/GetSubmission"] = (c, h) => new SubmissionQuery.SubmissionQueryClient(c).GetSubmissionAsync(new() { ProcessId = Id() }, h, cancellationToken: Ct).ResponseAsync,
        ["pb.ministry.v1.SubmissionQuery/ListSubmissions"] = (c, h) => ReadAllAsync(new SubmissionQuery.SubmissionQueryClient(c).ListSubmissions(new(), h, cancellationToken: Ct)),
        ["pb.ministry.v1.SubmissionQuery/ListDecisions"] = (c, h) => ReadAllAsync(new SubmissionQuery.SubmissionQueryClient(c).ListDecisions(new() { ProcessId = Id() }, h, cancellationToken: Ct)),
        ["pb.oversight.v1.ProgressQuery/GetProcessProgress"] = (c, h) => new ProgressQuery.ProgressQueryClient(c).GetProcessProgressAsync(new() { ProcessId = Id() }, h, cancellationToken: Ct).ResponseAsync,
        ["pb.oversight.v1.ProgressQuery/ListProjects"] = (c, h) => ReadAllAsync(new ProgressQuery.ProgressQueryClient(c).ListProjects(new() { Jurisdiction = "150101" }, h, cancellationToken: Ct)),
    };

    public static TheoryData<string> Methods => [.. Calls.Keys];

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task A_call_without_a_token_is_Unauthenticated(string method)
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => Calls[method](system.GatewayGrpc, null));
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        // The gateway's own status: a client mapping a bare HTTP 401 would say "Bad gRPC response" instead.
        Assert.Contains("no bearer token", refused.Status.Detail);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task A_call_with_a_token_signed_by_another_key_is_Unauthenticated(string method)
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => Calls[method](system.GatewayGrpc, Bearer(Forged())));
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("not valid here", refused.Status.Detail);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task On_the_wire_a_call_without_a_token_is_HTTP_200_with_grpc_status_16_and_no_problem_body(string method)
    {
        var (headers, body) = await SendRawAsync(method, token: null);
        Assert.Equal("16", headers["grpc-status"]);
        Assert.Contains("no bearer token", headers["grpc-message"]);
        Assert.Empty(body);
    }

    [Fact]
    public async Task An_integrator_of_another_jurisdiction_is_PermissionDenied_the_submission_and_its_own_reads_it()
    {
        const string Jurisdiction = "080601";
        var story = await ProcessStory.OpenAsync(system, Jurisdiction, "Presupuesto Participativo Sicuani 2027", 900_000m, Ct);
        await story.AccreditAndTrainAsync(ProcessStory.Neighbours("468061"));
        await story.StartConcertationAsync();
        var canal = await story.ProposeAsync("Canal de riego Pampaphalla", 420_000m);
        var posta = await story.ProposeAsync("Mejoramiento del puesto de salud de Chumo", 380_000m);
        await story.AssessAsync(
            (canal, true, 85m, "Viable: riego para 300 familias"),
            (posta, true, 80m, "Viable: cierra la brecha de atención primaria"));
        await story.PrioritizeAsync();
        await ProcessSteps.AdvanceAsync(story.Admin, story.Process.Id, "Coordination", Ct);
        await story.CloseCoordinationAsync();
        await ProcessSteps.AdvanceAsync(story.Admin, story.Process.Id, "Formalization", Ct);
        await story.FormalizeAsync("ACTA-PP-SICUANI-2027-001");
        await ProcessSteps.AdvanceAsync(story.Admin, story.Process.Id, "Submission", Ct);
        // Whether or not the Ministry has received it yet, the submission exists once the list is formalized.
        await Eventually.Get(async () =>
        {
            using var r = await story.Admin.GetAsync($"/api/submissions/processes/{story.Process.Id}", Ct);
            return r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadFromJsonAsync<SubmissionDto>(Ct) : null;
        }, "ministry submission to build the package of the formalized list");

        var query = new SubmissionQuery.SubmissionQueryClient(system.GatewayGrpc);
        var request = new GetSubmissionRequest { ProcessId = story.Process.Id.ToString() };
        var own = await query.GetSubmissionAsync(request, Bearer(await system.TokenAsync("integrator", Jurisdiction)), cancellationToken: Ct);
        Assert.Equal(Jurisdiction, own.Jurisdiction);

        var neighbour = await system.TokenAsync("integrator", "080101");
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await query.GetSubmissionAsync(request, Bearer(neighbour), cancellationToken: Ct));
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains("080101", refused.Status.Detail);

        var message = new GetSubmissionRequest { ProcessId = story.Process.Id.ToString() }.ToByteArray();
        var (headers, body) = await SendRawAsync("pb.ministry.v1.SubmissionQuery/GetSubmission", neighbour, message);
        Assert.Equal("7", headers["grpc-status"]);
        Assert.Empty(body);
    }

    [Fact]
    public async Task A_client_flooding_the_gateway_over_gRPC_is_told_ResourceExhausted()
    {
        var flooder = Bearer(await system.TokenAsync("integrator", "180301", $"grpc-flooder-{Guid.NewGuid():N}"));
        var client = new RegistrationQuery.RegistrationQueryClient(system.GatewayGrpc);
        RpcException? exhausted = null;
        // Twice the per-minute allowance, plus one: at most two fixed windows can pass while it runs.
        for (var i = 0; i < 2 * SystemFixture.PermitsPerMinute + 1 && exhausted is null; i++)
        {
            try
            {
                await client.GetProcessAsync(new GetProcessRequest { ProcessId = Id() }, flooder, cancellationToken: Ct);
            }
            catch (RpcException e) when (e.StatusCode != StatusCode.NotFound)
            {
                exhausted = e;
            }
            catch (RpcException)
            {
                // An unknown process: the call reached registration, as it should until the limit.
            }
        }
        Assert.NotNull(exhausted);
        Assert.Equal(StatusCode.ResourceExhausted, exhausted.StatusCode);
    }

    /// <summary>A gRPC call as any HTTP/2 client sends it, with <paramref name="message"/> in one uncompressed frame.</summary>
    private async Task<(Dictionary<string, string> Headers, byte[] Body)> SendRawAsync(string method, string? token, byte[]? message = null)
    {
        message ??= [];
        var frame = new byte[5 + message.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), message.Length);
        message.CopyTo(frame, 5);
        using var http = new HttpClient { BaseAddress = system.App.GetEndpoint("gateway", "grpc") };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/{method}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await http.SendAsync(request, Ct);
        var body = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        // Trailers-only answers carry the status in the headers; a relayed stream may carry it in the trailers.
        var headers = response.Headers.Concat(response.TrailingHeaders)
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return (headers, body);
    }

    private static async Task ReadAllAsync<T>(AsyncServerStreamingCall<T> call)
    {
        using (call)
        {
            await foreach (var _ in call.ResponseStream.ReadAllAsync(Ct))
            {
            }
        }
    }

    /// <summary>A well-formed token with this deployment's issuer and claims, signed with a key it never had.</summary>
    private static string Forged()
    {
        static string Part(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var unsigned = Part(System.Text.Encoding.UTF8.GetBytes("""{"alg":"HS256","typ":"JWT"}""")) + "." + Part(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = "pb-services", ["aud"] = "pb-services", ["sub"] = "intruder", ["role"] = "integrator", ["jurisdiction"] = "PE", ["nbf"] = now, ["exp"] = now + 3600,
        }));
        var signature = System.Security.Cryptography.HMACSHA256.HashData(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), System.Text.Encoding.ASCII.GetBytes(unsigned));
        return $"{unsigned}.{Part(signature)}";
    }

    private static string Id() => Guid.NewGuid().ToString();

    private static Metadata Bearer(string token) => new() { { "authorization", $"Bearer {token}" } };
}
