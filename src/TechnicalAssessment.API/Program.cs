using MassTransit;
using PBServices.BuildingBlocks.Processes;
using PBServices.BuildingBlocks;
using PBServices.BuildingBlocks.Security;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Messaging;
using PBServices.TechnicalAssessment.Apis;
using PBServices.TechnicalAssessment.Grpc;
using PBServices.TechnicalAssessment.Infrastructure;
using PBServices.TechnicalAssessment.IntegrationEvents;

var builder = WebApplication.CreateBuilder(args);

builder.AddPbService("assessmentdb", AssessmentSchema.Migrations);
builder.AddEventBus("technical-assessment", bus =>
{
    bus.AddConsumer<ProcessOpenedStageCopy>();
    bus.AddConsumer<StageAdvancedStageCopy>();
    bus.AddConsumer<ProcessOpenedCalendarCopy>();
    bus.AddConsumer<ProposalSubmittedHandler>();
    bus.AddConsumer<ProposalRevisedHandler>();
});

var app = builder.Build();

app.UsePbService();
app.MapAssessmentsApi();
app.MapAuditApi("/api/assessment");
app.MapGrpcService<AssessmentQueryService>().Permits([.. Roles.All]).InAnyJurisdiction("Public data: any signed-in caller, integrators above all, reads every jurisdiction's", publicData: true);

app.Run();
