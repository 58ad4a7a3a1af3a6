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
// The Ministry's national intake is another deployment: its own database here, its own server in production.
var oversightDb = postgres.AddDatabase("oversightdb");
var intakeDb = postgres.AddDatabase("intakedb");

// Tokens: services validate what registration issues (development); production sets Auth__Authority to an OIDC provider.
var signingKey = builder.AddParameter("jwt-signing-key",
    builder.Configuration["Parameters:jwt-signing-key"] ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)), secret: true);
// One integrator client (OAuth client credentials) for trying the read-only gRPC APIs; only the secret's hash reaches the service.
var integratorSecret = builder.Configuration["Parameters:integrator-secret"] ?? "demo-integrator-secret";

// The national intake's own trust domain: its own token key, and client credentials it issues (only their hashes reach it).
var intakeSigningKey = builder.AddParameter("intake-signing-key",
    builder.Configuration["Parameters:intake-signing-key"] ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)), secret: true);
var ministryOfficerSecret = builder.Configuration["Parameters:ministry-officer-secret"] ?? "demo-ministry-secret";
var deploymentIntakeSecretValue = builder.Configuration["Parameters:deployment-intake-secret"] ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
var deploymentIntakeSecret = builder.AddParameter("deployment-intake-secret", deploymentIntakeSecretValue, secret: true);
// The deployment's submission signing key (ECDSA P-256): the private half to ministry-submission only, the public half
// enrolled at the intake for the nation. Given as base64 PKCS#8, or fresh each run.
using var submissionKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
if (builder.Configuration["Parameters:submission-signing-key"] is { Length: > 0 } givenKey)
{
    submissionKey.ImportPkcs8PrivateKey(Convert.FromBase64String(givenKey), out _);
}
var submissionSigningKey = builder.AddParameter("submission-signing-key", Convert.ToBase64String(submissionKey.ExportPkcs8PrivateKey()), secret: true);
var submissionPublicKey = Convert.ToBase64String(submissionKey.ExportSubjectPublicKeyInfo());

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
var oversight = builder.AddPbService<Projects.Oversight_API>("oversight", oversightDb, messaging, signingKey);

// The Ministry's side, drawn apart: the regional gateway does not route it, and the deployment reaches it only over gRPC.
var nationalIntake = builder.AddProject<Projects.NationalIntake_API>("national-intake")
    .WithReference(intakeDb).WaitFor(intakeDb)
    .WithEnvironment("Auth__SigningKey", intakeSigningKey)
    .WithEnvironment("Auth__Issuer", "pb-national-intake")
    .WithEnvironment("Auth__Audience", "pb-national-intake")
    .WithEnvironment("Intake__Clients__0__ClientId", "mef-officer")
    .WithEnvironment("Intake__Clients__0__SecretSha256", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ministryOfficerSecret))))
    .WithEnvironment("Intake__Clients__0__Role", "ministry")
    .WithEnvironment("Intake__Clients__0__Jurisdiction", "PE")
    .WithEnvironment("Intake__Clients__1__ClientId", "local-deployment")
    .WithEnvironment("Intake__Clients__1__SecretSha256", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(deploymentIntakeSecretValue))))
    .WithEnvironment("Intake__Clients__1__Role", "deployment")
    .WithEnvironment("Intake__Clients__1__Jurisdiction", "PE")
    .WithEnvironment("Intake__Enrolments__0__Jurisdiction", "PE")
    .WithEnvironment("Intake__Enrolments__0__PublicKey", submissionPublicKey)
    .WithHttpHealthCheck("/health");
// Locally found through service discovery; a real deployment sets the Ministry's address.
ministrySubmission
    .WithEnvironment("Ministry__IntakeUrl", nationalIntake.GetEndpoint("grpc"))
    .WithEnvironment("Ministry__ClientId", "local-deployment")
    .WithEnvironment("Ministry__ClientSecret", deploymentIntakeSecret)
    .WithEnvironment("Submission__SigningKeyPkcs8", submissionSigningKey);

// The public edge.
var gateway = builder.AddProject<Projects.Gateway>("gateway")
    .WithRoutesTo(registration, deliberation, technicalAssessment, coordination, ministrySubmission, oversight)
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
    // The demo plays the Ministry's officer too, at the intake, with the officer's client credentials.
    builder.AddProject<Projects.DemoData>("demo-data").WithReference(gateway).WaitFor(gateway)
        .WithReference(nationalIntake).WaitFor(nationalIntake)
        .WithEnvironment("Demo__MinistryOfficerSecret", ministryOfficerSecret);
}

builder.Build().Run();
