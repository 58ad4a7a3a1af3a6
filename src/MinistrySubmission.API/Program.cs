using MassTransit;
using PBServices.BuildingBlocks.Processes;
using PBServices.BuildingBlocks;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Messaging;
using PBServices.Grpc.Intake;
using PBServices.MinistrySubmission.Apis;
using PBServices.MinistrySubmission.Grpc;
using PBServices.MinistrySubmission.Infrastructure;
using PBServices.MinistrySubmission.IntegrationEvents;

var builder = WebApplication.CreateBuilder(args);

builder.AddPbService("submissiondb", SubmissionSchema.Migrations);
builder.AddEventBus("ministry-submission", bus =>
{
    bus.AddConsumer<ProcessOpenedStageCopy>();
    bus.AddConsumer<StageAdvancedStageCopy>();
    bus.AddConsumer<ListFormalizedHandler>();
});

builder.Services.AddSingleton<SigningKeyStore>();
builder.Services.AddSingleton<SubmissionDeliverySignal>();
builder.Services.AddOptions<SubmissionDeliveryOptions>().BindConfiguration("Submission:Delivery");
// The national intake: this deployment's own MinistryIntake locally, the Ministry's address in production.
builder.Services.AddGrpcClient<MinistryIntake.MinistryIntakeClient>(o =>
    o.Address = new Uri(builder.Configuration["Ministry:IntakeUrl"] ?? "http://_grpc.ministry-submission"));
builder.Services.AddHostedService<SubmissionDeliverer>();

var app = builder.Build();

app.UsePbService();
app.MapSubmissionsApi();
app.MapAuditApi("/api/submissions");
app.MapGrpcService<SubmissionQueryService>();

app.Run();
