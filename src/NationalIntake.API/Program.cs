using PBServices.BuildingBlocks;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Outbox;
using PBServices.BuildingBlocks.Security;
using PBServices.NationalIntake.Apis;
using PBServices.NationalIntake.Domain;
using PBServices.NationalIntake.Grpc;
using PBServices.NationalIntake.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

// Its own database and its own token settings (Auth:*): nothing is shared with the deployments it receives from.
builder.AddPbService("intakedb", IntakeSchema.Migrations);
// The intake publishes no events; units of work still take the outbox's signal, which nobody waits on here.
builder.Services.AddSingleton<OutboxSignal>();
builder.Services.AddGrpc().AddJsonTranscoding();
builder.Services.AddAuthorizationBuilder()
    .AddPolicy(IntakeRoles.Deployment, p => p.RequireAuthenticatedUser().RequireClaim(PbClaims.Role, IntakeRoles.Deployment))
    .AddPolicy(IntakeRoles.Reader, p => p.RequireAuthenticatedUser().RequireClaim(PbClaims.Role, IntakeRoles.All))
    // The intake issues no process-admin or oversight tokens: its own audit chain is the Ministry's officers' to read.
    .AddPolicy(Policies.AuditReader, p => p.RequireAuthenticatedUser().RequireClaim(PbClaims.Role, IntakeRoles.Ministry));
builder.Services.AddSingleton<KeyRegistry>();
builder.Services.AddSingleton<ClientCredentials>();
builder.Services.AddSingleton<SubmissionIntake>();
builder.Services.AddHostedService<IntakeBootstrap>();

var app = builder.Build();

app.UsePbService();
app.MapTokenApi();
app.MapIntakeApi();
app.MapAggregateApi();
app.MapAuditApi("/api/intake");
app.MapGrpcService<IntakeAuthService>();
app.MapGrpcService<MinistryIntakeService>();
app.MapGrpcService<IntakeQueryService>();

app.Run();
