using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Outbox;
using PBServices.BuildingBlocks.Security;
using PBServices.BuildingBlocks.Tests.Grpc;
using PBServices.BuildingBlocks.Tests.Infrastructure;

namespace PBServices.BuildingBlocks.Tests;

/// <summary>
/// Refusals as a gRPC client reads them, from a service assembled as the services are (AddPbService,
/// UsePbService), served by Kestrel over HTTP/2 on a loopback port.
/// </summary>
public sealed class GrpcRefusalTests(LocalBrokerAndDatabase servers) : IAsyncLifetime
{
    private const string Ilo = "180301";
    private WebApplication _app = null!;
    private GrpcChannel _channel = null!;
    private Probes.ProbesClient _client = null!;
    private Uri _address = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Test" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:sampledb"] = await servers.CreateDatabaseAsync(),
            ["Auth:SigningKey"] = "grpc-refusal-tests-signing-key-of-at-least-32-bytes",
        });
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new TestOutputLoggerProvider(TestContext.Current.TestOutputHelper, "probes"));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddPbService("sampledb", TestService.Migrations);
        builder.Services.AddSingleton<OutboxSignal>();

        _app = builder.Build();
        _app.UsePbService();
        _app.MapGrpcService<ProbesService>();
        _app.MapGet("/api/probes", () => "ok");
        await _app.StartAsync(Ct);
        _address = new Uri(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        _channel = GrpcChannel.ForAddress(_address);
        _client = new Probes.ProbesClient(_channel);
    }

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_call_without_a_token_is_Unauthenticated_with_a_message_the_service_wrote()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await _client.UnaryAsync(new Probe(), cancellationToken: Ct));
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        // A client that maps a bare HTTP 401 says "Bad gRPC response"; this is the service's own status.
        Assert.Contains("no bearer token", refused.Status.Detail);
    }

    [Fact]
    public async Task A_call_with_a_token_from_another_issuer_is_Unauthenticated()
    {
        var foreign = new TokenIssuer(new TokenSettings { Issuer = "pb-national-intake", SigningKey = "another-deployments-key-of-at-least-32-bytes" }, TimeProvider.System)
            .Issue("mef", [Roles.ProcessAdmin], Ilo);
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await _client.UnaryAsync(new Probe(), Bearer(foreign), cancellationToken: Ct));
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("not valid here", refused.Status.Detail);
    }

    [Fact]
    public async Task A_role_the_method_does_not_allow_is_PermissionDenied_naming_the_role_it_needs()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await _client.OfficersOnlyAsync(new Probe(), Bearer(Token(Roles.Resident)), cancellationToken: Ct));
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains(Roles.ProcessAdmin, refused.Status.Detail);

        Assert.Equal("", (await _client.OfficersOnlyAsync(new Probe(), Bearer(Token(Roles.ProcessAdmin)), cancellationToken: Ct)).Refuse);
    }

    [Theory]
    [InlineData(null, "16")]
    [InlineData(Roles.Resident, "7")]
    public async Task On_the_wire_a_refusal_is_HTTP_200_with_grpc_status_and_no_problem_body(string? role, string status)
    {
        // What a client on gRPC's core library (Python's grpcio, for one) needs: a gRPC response, not an HTTP error page.
        using var http = new HttpClient { BaseAddress = _address };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/pb.tests.v1.Probes/OfficersOnly")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(new byte[5]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (role is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(role));
        }
        using var response = await http.SendAsync(request, Ct);
        var body = await response.Content.ReadAsByteArrayAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(body);
        var headers = response.Headers.Concat(response.TrailingHeaders).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(status, headers["grpc-status"]);
        Assert.False(string.IsNullOrEmpty(headers["grpc-message"]));
    }

    [Fact]
    public async Task HTTP_requests_keep_their_401_with_problem_details()
    {
        using var http = new HttpClient { BaseAddress = _address, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await http.GetAsync("/api/probes", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("invalid", StatusCode.InvalidArgument)]
    [InlineData("conflict", StatusCode.FailedPrecondition)]
    [InlineData("not-found", StatusCode.NotFound)]
    [InlineData("forbidden", StatusCode.PermissionDenied)]
    public async Task A_stream_refused_after_two_messages_delivers_them_then_ends_with_the_status(string refuse, StatusCode expected)
    {
        using var call = _client.ServerStream(new Probe { Refuse = refuse, Before = 2 }, Bearer(Token(Roles.Resident)), cancellationToken: Ct);
        var received = 0;
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in call.ResponseStream.ReadAllAsync(Ct))
            {
                received++;
            }
        });
        Assert.Equal(2, received);
        Assert.Equal(expected, refused.StatusCode);
        Assert.Contains(refuse == "invalid" || refuse == "conflict" ? "probe.refuse:" : "refused", refused.Status.Detail);
    }

    [Fact]
    public async Task Client_and_duplex_streams_map_domain_refusals_too()
    {
        using (var upload = _client.ClientStream(Bearer(Token(Roles.Resident)), cancellationToken: Ct))
        {
            await upload.RequestStream.WriteAsync(new Probe(), Ct);
            await upload.RequestStream.WriteAsync(new Probe { Refuse = "conflict" }, Ct);
            await upload.RequestStream.CompleteAsync();
            var refused = await Assert.ThrowsAsync<RpcException>(async () => await upload.ResponseAsync);
            Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        }

        using var duplex = _client.Duplex(Bearer(Token(Roles.Resident)), cancellationToken: Ct);
        await duplex.RequestStream.WriteAsync(new Probe(), Ct);
        Assert.True(await duplex.ResponseStream.MoveNext(Ct));
        await duplex.RequestStream.WriteAsync(new Probe { Refuse = "not-found" }, Ct);
        var notFound = await Assert.ThrowsAsync<RpcException>(async () => await duplex.ResponseStream.MoveNext(Ct));
        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
    }

    private string Token(string role) => _app.Services.GetRequiredService<TokenIssuer>().Issue($"{role}-{Ilo}", [role], Ilo);

    private static Metadata Bearer(string token) => new() { { "authorization", $"Bearer {token}" } };

    private sealed class ProbesService : Probes.ProbesBase
    {
        public override Task<Probe> Unary(Probe request, ServerCallContext context) => Task.FromResult(Answer(request));

        public override async Task ServerStream(Probe request, IServerStreamWriter<Probe> responseStream, ServerCallContext context)
        {
            for (var i = 0; i < request.Before; i++)
            {
                await responseStream.WriteAsync(new Probe(), context.CancellationToken);
            }
            Answer(request);
        }

        public override async Task<Probe> ClientStream(IAsyncStreamReader<Probe> requestStream, ServerCallContext context)
        {
            await foreach (var probe in requestStream.ReadAllAsync(context.CancellationToken))
            {
                Answer(probe);
            }
            return new Probe();
        }

        public override async Task Duplex(IAsyncStreamReader<Probe> requestStream, IServerStreamWriter<Probe> responseStream, ServerCallContext context)
        {
            await foreach (var probe in requestStream.ReadAllAsync(context.CancellationToken))
            {
                await responseStream.WriteAsync(Answer(probe), context.CancellationToken);
            }
        }

        [Authorize(Policy = Roles.ProcessAdmin)]
        public override Task<Probe> OfficersOnly(Probe request, ServerCallContext context) => Task.FromResult(Answer(request));

        private static Probe Answer(Probe probe) => probe.Refuse switch
        {
            "" => new Probe(),
            "invalid" => throw new DomainException("probe.refuse", "refused as asked"),
            "conflict" => throw new ConflictException("probe.refuse", "refused as asked"),
            "not-found" => throw new NotFoundException("probe", "refused"),
            "forbidden" => throw new ForbiddenException("refused as asked"),
            _ => throw new InvalidOperationException(probe.Refuse),
        };
    }
}
