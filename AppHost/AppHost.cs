using System.Security.Cryptography;
using System.Text;
using PBServices.AppHost;
using PBServices.AppHost.LocalInfrastructure;

// A machine that cannot run PostgreSQL or RabbitMQ gets one line saying what to do, not a stack trace.
LocalServerFailure.ExitWithOneLine();
var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure. No container runtime exists on the development machines or in CI, so PostgreSQL and
// RabbitMQ run as local processes with their data under .data/ (git-ignored; survives restarts), or
// under /var/lib/pb-services/ when their users cannot reach that folder (a clone in a 0700 home).
var data = builder.ResolveLocalServerData(builder.Configuration["LocalData:Root"] ?? Path.Combine(builder.AppHostDirectory, "..", ".data"));
var postgres = builder.AddLocalPostgres("postgres", data);
var messaging = builder.AddLocalRabbitMQ("messaging", data);

// One database per service; no service reads another's tables.
var registrationDb = postgres.AddDatabase("registrationdb");
var deliberationDb = postgres.AddDatabase("deliberationdb");
var assessmentDb = postgres.AddDatabase("assessmentdb");
var coordinationDb = postgres.AddDatabase("coordinationdb");
var submissionDb = postgres.AddDatabase("submissiondb");

// Tokens: services validate what registration issues (development); production sets Auth__Authority to an OIDC provider.
var signingKey = builder.AddParameter("jwt-signing-key",
    builder.Configuration["Parameters:jwt-signing-key"] ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)), secret: true);
// One integrator client (OAuth client credentials) for trying the read-only gRPC APIs; only the secret's hash reaches the service.
var integratorSecret = builder.Configuration["Parameters:integrator-secret"] ?? "demo-integrator-secret";

// Services.
var registration = builder.AddPbService<Projects.Registration_API>("registration", registrationDb, messaging, signingKey)
    .WithEnvironment("Auth__DevTokens", builder.Configuration["PB:DevTokens"] ?? "true")
    .WithEnvironment("Integrators__0__ClientId", "demo-integrator")
    .WithEnvironment("Integrators__0__SecretSha256", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(integratorSecret))))
    .WithEnvironment("Integrators__0__Jurisdiction", "PE");
var deliberation = builder.AddPbService<Projects.Deliberation_API>("deliberation", deliberationDb, messaging, signingKey);
var technicalAssessment = builder.AddPbService<Projects.TechnicalAssessment_API>("technical-assessment", assessmentDb, messaging, signingKey);
var coordination = builder.AddPbService<Projects.Coordination_API>("coordination", coordinationDb, messaging, signingKey);
var ministrySubmission = builder.AddPbService<Projects.MinistrySubmission_API>("ministry-submission", submissionDb, messaging, signingKey);
// Locally the deployment delivers to its own MinistryIntake; a real deployment points this at the Ministry.
ministrySubmission.WithEnvironment("Ministry__IntakeUrl", ministrySubmission.GetEndpoint("grpc"));

// The public edge.
var gateway = builder.AddProject<Projects.Gateway>("gateway")
    .WithRoutesTo(registration, deliberation, technicalAssessment, coordination, ministrySubmission)
    .WithEnvironment("Auth__SigningKey", signingKey).WithHttpHealthCheck("/health")
    .WithEnvironment("RateLimiting__PermitsPerMinute", builder.Configuration["PB:GatewayPermitsPerMinute"] ?? "1200")
    .WithExternalHttpEndpoints();

// The citizen portal: the gateway serves it at / and it reads the public APIs through the gateway, like any
// client. A reference each way, but only the portal waits (for the gateway), so there is no wait cycle.
var portal = builder.AddProject<Projects.Portal>("portal").WithHttpHealthCheck("/health")
    .WithEnvironment("Portal__DevSignIn", builder.Configuration["PB:DevTokens"] ?? "true");
portal.WithReference(gateway).WaitFor(gateway);
gateway.WithReference(portal);

// A small demo process, loaded through the public API once the gateway is up (PB:Demo=true).
if (string.Equals(builder.Configuration["PB:Demo"], "true", StringComparison.OrdinalIgnoreCase))
{
    builder.AddProject<Projects.DemoData>("demo-data").WithReference(gateway).WaitFor(gateway);
}

builder.Build().Run();
