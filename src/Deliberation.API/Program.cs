using MassTransit;
using PBServices.BuildingBlocks;
using PBServices.BuildingBlocks.Security;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Messaging;
using PBServices.Deliberation.Apis;
using PBServices.Deliberation.Grpc;
using PBServices.Deliberation.Infrastructure;
using PBServices.Deliberation.IntegrationEvents;

var builder = WebApplication.CreateBuilder(args);

builder.AddPbService("deliberationdb", DeliberationSchema.Migrations);
builder.AddEventBus("deliberation", bus =>
{
    bus.AddConsumer<ProcessOpenedHandler>();
    bus.AddConsumer<StageAdvancedHandler>();
    bus.AddConsumer<AgentAccreditedHandler>();
    bus.AddConsumer<AgentAccreditationRevokedHandler>();
    bus.AddConsumer<TrainingAttendedHandler>();
    bus.AddConsumer<AssessmentCompletedHandler>();
    bus.AddConsumer<ListCoordinatedHandler>();
});

var app = builder.Build();

app.UsePbService();
app.MapProposalsApi();
app.MapParticipationApi();
app.MapVotingApi();
app.MapFinalVoteApi();
app.MapCriteriaApi();
app.MapWorkshopsApi();
app.MapAuditApi("/api/deliberation");
app.MapGrpcService<ProposalQueryService>().Permits([.. Roles.All]).InAnyJurisdiction("Public data: any signed-in caller, integrators above all, reads every jurisdiction's", publicData: true);

app.Run();
