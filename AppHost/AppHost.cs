using PBServices.AppHost.LocalInfrastructure;

var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure. No container runtime exists on the development machines or in CI, so PostgreSQL and
// RabbitMQ run as local processes with their data under .data/ (git-ignored; survives restarts).
var dataRoot = builder.Configuration["LocalData:Root"] ?? Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".data"));
var postgres = builder.AddLocalPostgres("postgres", dataRoot);
var messaging = builder.AddLocalRabbitMQ("messaging", dataRoot);

// One database per service; no service reads another's tables.
var registrationDb = postgres.AddDatabase("registrationdb");

// Tokens: services validate what registration issues (development); production points Auth:Authority at an OIDC provider.
var signingKey = builder.AddParameter("jwt-signing-key",
    builder.Configuration["Parameters:jwt-signing-key"] ?? Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)), secret: true);

// Services.
var registration = builder.AddProject<Projects.Registration_API>("registration")
    .WithReference(registrationDb).WithReference(messaging)
    .WaitFor(postgres).WaitFor(messaging)
    .WithEnvironment("Auth__SigningKey", signingKey)
    .WithEnvironment("Auth__DevTokens", "true");

builder.Build().Run();
