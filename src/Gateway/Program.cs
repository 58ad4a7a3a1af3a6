using System.Threading.RateLimiting;
using Grpc.Reflection;
using Grpc.Reflection.V1Alpha;
using PBServices.BuildingBlocks.Security;
using PBServices.Gateway;

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
        .Append(ReflectionReflection.Descriptor.Services[0])));

var app = builder.Build();

app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.MapDefaultEndpoints();
app.MapGrpcService<ReflectionServiceImpl>().AllowAnonymous();
app.MapReverseProxy();

app.Run();
