using MassTransit;
using Microsoft.Extensions.Options;
using PBServices.BuildingBlocks;
using PBServices.BuildingBlocks.Security;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Messaging;
using PBServices.BuildingBlocks.Processes;
using PBServices.Grpc.Intake;
using PBServices.MinistrySubmission.Apis;
using PBServices.MinistrySubmission.Domain;
using PBServices.MinistrySubmission.Grpc;
using PBServices.MinistrySubmission.Infrastructure;
using PBServices.MinistrySubmission.IntegrationEvents;

var builder = WebApplication.CreateBuilder(args);

// The signing key is configuration only (a secret the deployment provides); without it the service does not start.
var signingKey = SubmissionSigningKey.FromPkcs8(builder.Configuration[SubmissionSigningKey.ConfigurationKey]);
builder.Services.AddSingleton(signingKey);

builder.AddPbService("submissiondb", SubmissionSchema.Migrations);
builder.Services.AddGrpc().AddJsonTranscoding();
builder.AddEventBus("ministry-submission", bus =>
{
    bus.AddConsumer<ProcessOpenedStageCopy>();
    bus.AddConsumer<StageAdvancedStageCopy>();
    bus.AddConsumer<ProcessOpenedStageHistory>();
    bus.AddConsumer<StageAdvancedStageHistory>();
    bus.AddConsumer<ListFormalizedHandler>();
    bus.AddConsumer<FindingEscalatedHandler>();
});

// The Ministry's national intake: another deployment and trust domain, reached only over gRPC with its own credentials.
builder.Services.AddOptions<MinistryOptions>().BindConfiguration("Ministry").ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddGrpcClient<MinistryIntake.MinistryIntakeClient>((sp, o) => o.Address = sp.GetRequiredService<IOptions<MinistryOptions>>().Value.IntakeUrl);
builder.Services.AddGrpcClient<IntakeAuth.IntakeAuthClient>((sp, o) => o.Address = sp.GetRequiredService<IOptions<MinistryOptions>>().Value.IntakeUrl);
builder.Services.AddSingleton<IntakeCredentials>();

builder.Services.AddSingleton<SubmissionDeliverySignal>();
builder.Services.AddOptions<SubmissionDeliveryOptions>().BindConfiguration("Submission:Delivery");
builder.Services.AddHostedService<SubmissionDeliverer>();
builder.Services.AddSingleton<DecisionPollSignal>();
builder.Services.AddOptions<DecisionReceiverOptions>().BindConfiguration("Submission:Decisions");
builder.Services.AddHostedService<DecisionReceiver>();

var app = builder.Build();

app.UsePbService();
app.MapSubmissionsApi();
app.MapAuditApi("/api/submissions");
app.MapGrpcService<SubmissionQueryService>().Permits([.. Roles.All]);

app.Run();
