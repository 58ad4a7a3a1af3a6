using System.Threading.RateLimiting;
using Grpc.Reflection;
using Grpc.Reflection.V1Alpha;
using PBServices.BuildingBlocks.Grpc;
using PBServices.BuildingBlocks.Security;
using PBServices.Gateway;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
// Tokens are checked here before a request reaches a service, and again by the service for its role rules.
builder.AddPbAuthentication();

var (routes, clusters) = GatewayRoutes.Build();
builder.Services.AddReverseProxy()
    .LoadFromMemory(routes, clusters)
    .AddServiceDiscoveryDestinationResolver();

// Voting peaks: a client that floods the gateway is slowed, not the whole deployment.
var permitsPerMinute = builder.Configuration.GetValue("RateLimiting:PermitsPerMinute", 1200);
builder.Services.AddRateLimiter(o =>
{
    o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
    o.OnRejected = (ctx, _) => GrpcRefusal.IsGrpc(ctx.HttpContext.Request)
        ? new ValueTask(GrpcRefusal.WriteAsync(ctx.HttpContext.Response, Grpc.Core.StatusCode.ResourceExhausted, "Too many calls from this client; retry within a minute"))
        : ValueTask.CompletedTask;
    o.AddPolicy("per-client", ctx => RateLimitPartition.GetFixedWindowLimiter(
        ctx.User.FindFirst(PbClaims.Subject)?.Value ?? ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
        _ => new FixedWindowRateLimiterOptions { PermitLimit = permitsPerMinute, Window = TimeSpan.FromMinutes(1) }));
});

// Reflection for every service behind the gateway, so integrators discover all APIs at one address.
builder.Services.AddGrpc();
builder.Services.AddSingleton(new ReflectionServiceImpl(
    PBServices.Grpc.Registration.RegistrationReflection.Descriptor.Services
        .Concat(PBServices.Grpc.Deliberation.DeliberationReflection.Descriptor.Services)
        .Concat(PBServices.Grpc.TechnicalAssessment.AssessmentReflection.Descriptor.Services)
        .Concat(PBServices.Grpc.Coordination.CoordinationReflection.Descriptor.Services)
        .Concat(PBServices.Grpc.Ministry.MinistryReflection.Descriptor.Services)
        .Concat(PBServices.Grpc.Oversight.OversightReflection.Descriptor.Services)
        .Append(ReflectionReflection.Descriptor.Services[0])));

// The gateway's own refusals (no token, too many requests) answer with problem details, as the services do, and
// gRPC calls with a gRPC status.
builder.Services.AddProblemDetails();

var app = builder.Build();

app.UsePbStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.MapDefaultEndpoints();
app.MapGrpcService<ReflectionServiceImpl>().AllowAnonymous();
app.MapReverseProxy();

// A browsable reference over every service's document, as fetched through this gateway. Its script comes
// from the package; fonts, telemetry, the AI agent and the developer toolbar (share, SDK) would call
// Scalar's servers, so they are off.
app.MapScalarApiReference("/scalar", o => o
        .WithTitle("PB Services API reference")
        .WithOpenApiRoutePattern("/openapi/{documentName}/v1.json")
        .AddDocuments(GatewayRoutes.ServiceNames.Select(name => new ScalarDocument(name, char.ToUpperInvariant(name[0]) + name[1..].Replace('-', ' '))))
        .HideDeveloperTools()
        .DisableDefaultFonts()
        .DisableTelemetry()
        .DisableAgent()
        .DisableMcp())
    .AllowAnonymous();

app.Run();
