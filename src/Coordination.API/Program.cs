using MassTransit;
using PBServices.BuildingBlocks.Processes;
using PBServices.BuildingBlocks;
using PBServices.BuildingBlocks.Security;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Messaging;
using PBServices.Coordination.Apis;
using PBServices.Coordination.Grpc;
using PBServices.Coordination.Infrastructure;
using PBServices.Coordination.IntegrationEvents;

var builder = WebApplication.CreateBuilder(args);

builder.AddPbService("coordinationdb", CoordinationSchema.Migrations);
builder.AddEventBus("coordination", bus =>
{
    bus.AddConsumer<ProcessOpenedStageCopy>();
    bus.AddConsumer<StageAdvancedStageCopy>();
    bus.AddConsumer<ListPrioritizedHandler>();
    bus.AddConsumer<ProposalSubmittedCopy>();
    bus.AddConsumer<ProposalRevisedCopy>();
    bus.AddConsumer<AssessmentCompetenceCopy>();
    bus.AddConsumer<ProcessOpenedRulesCopy>();
    bus.AddConsumer<AgentAccreditedHandler>();
    bus.AddConsumer<AgentAccreditationRevokedHandler>();
    bus.AddConsumer<FinalListVotedHandler>();
});

var app = builder.Build();

app.UsePbService();
app.MapCoordinationApi();
app.MapLevelsApi();
app.MapFormalizationApi();
app.MapAuditApi("/api/coordination");
app.MapGrpcService<CoordinationQueryService>().Permits([.. Roles.All]).InAnyJurisdiction("Public data: any signed-in caller, integrators above all, reads every jurisdiction's", publicData: true);

app.Run();
