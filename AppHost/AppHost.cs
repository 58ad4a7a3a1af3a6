using PBServices.AppHost.LocalInfrastructure;

var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure. No container runtime exists on the development machines or in CI, so PostgreSQL and
// RabbitMQ run as local processes with their data under .data/ (git-ignored; survives restarts).
var dataRoot = builder.Configuration["LocalData:Root"] ?? Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".data"));
var postgres = builder.AddLocalPostgres("postgres", dataRoot);
var messaging = builder.AddLocalRabbitMQ("messaging", dataRoot);

// One database per service; no service reads another's tables.
var registrationDb = postgres.AddDatabase("registrationdb");
var deliberationDb = postgres.AddDatabase("deliberationdb");
var assessmentDb = postgres.AddDatabase("assessmentdb");
var coordinationDb = postgres.AddDatabase("coordinationdb");
var submissionDb = postgres.AddDatabase("submissiondb");

// Tokens: services validate what registration issues (development); production sets Auth__Authority to an OIDC provider.
var signingKey = builder.AddParameter("jwt-signing-key",
    builder.Configuration["Parameters:jwt-signing-key"] ?? Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)), secret: true);
var devTokens = builder.Configuration["PB:DevTokens"] ?? "true";
// One integrator client (OAuth client credentials) for trying the read-only gRPC APIs; only the secret's hash reaches the service.
var integratorSecret = builder.Configuration["Parameters:integrator-secret"] ?? "demo-integrator-secret";
var integratorSecretHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(integratorSecret)));

// Services.
var registration = builder.AddProject<Projects.Registration_API>("registration")
    .WithReference(registrationDb).WithReference(messaging).WaitFor(registrationDb).WaitFor(messaging)
    .WithEnvironment("Auth__SigningKey", signingKey).WithHttpHealthCheck("/health")
    .WithEnvironment("Auth__DevTokens", devTokens)
    .WithEnvironment("Integrators__0__ClientId", "demo-integrator")
    .WithEnvironment("Integrators__0__SecretSha256", integratorSecretHash)
    .WithEnvironment("Integrators__0__Jurisdiction", "PE");

var deliberation = builder.AddProject<Projects.Deliberation_API>("deliberation")
    .WithReference(deliberationDb).WithReference(messaging).WaitFor(deliberationDb).WaitFor(messaging)
    .WithEnvironment("Auth__SigningKey", signingKey).WithHttpHealthCheck("/health");

var technicalAssessment = builder.AddProject<Projects.TechnicalAssessment_API>("technical-assessment")
    .WithReference(assessmentDb).WithReference(messaging).WaitFor(assessmentDb).WaitFor(messaging)
    .WithEnvironment("Auth__SigningKey", signingKey).WithHttpHealthCheck("/health");

var coordination = builder.AddProject<Projects.Coordination_API>("coordination")
    .WithReference(coordinationDb).WithReference(messaging).WaitFor(coordinationDb).WaitFor(messaging)
    .WithEnvironment("Auth__SigningKey", signingKey).WithHttpHealthCheck("/health");

var ministrySubmission = builder.AddProject<Projects.MinistrySubmission_API>("ministry-submission")
    .WithReference(submissionDb).WithReference(messaging).WaitFor(submissionDb).WaitFor(messaging)
    .WithEnvironment("Auth__SigningKey", signingKey).WithHttpHealthCheck("/health");
// Locally the deployment delivers to its own MinistryIntake; a real deployment points this at the Ministry.
ministrySubmission.WithEnvironment("Ministry__IntakeUrl", ministrySubmission.GetEndpoint("grpc"));

// The public edge.
var gateway = builder.AddProject<Projects.Gateway>("gateway")
    .WithReference(registration).WithReference(deliberation).WithReference(technicalAssessment)
    .WithReference(coordination).WithReference(ministrySubmission)
    .WaitFor(registration).WaitFor(deliberation).WaitFor(technicalAssessment).WaitFor(coordination).WaitFor(ministrySubmission)
    .WithEnvironment("Auth__SigningKey", signingKey).WithHttpHealthCheck("/health")
    .WithEnvironment("RateLimiting__PermitsPerMinute", builder.Configuration["PB:GatewayPermitsPerMinute"] ?? "1200")
    .WithExternalHttpEndpoints();

// The citizen portal: the gateway serves it at / and it reads the public APIs through the gateway, like any
// client. A reference each way, but only the portal waits (for the gateway), so there is no wait cycle.
var portal = builder.AddProject<Projects.Portal>("portal").WithHttpHealthCheck("/health");
portal.WithReference(gateway).WaitFor(gateway);
gateway.WithReference(portal);

// A small demo process, loaded through the public API once the gateway is up (PB:Demo=true).
if (string.Equals(builder.Configuration["PB:Demo"], "true", StringComparison.OrdinalIgnoreCase))
{
    builder.AddProject<Projects.DemoData>("demo-data").WithReference(gateway).WaitFor(gateway);
}

builder.Build().Run();
