using MassTransit;
using PBServices.BuildingBlocks;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Messaging;
using PBServices.BuildingBlocks.Security;
using PBServices.Oversight.Apis;
using PBServices.Oversight.Grpc;
using PBServices.Oversight.Infrastructure;
using PBServices.Oversight.IntegrationEvents;

var builder = WebApplication.CreateBuilder(args);

builder.AddPbService("oversightdb", OversightSchema.Migrations);
builder.AddEventBus("oversight", bus =>
{
    bus.AddConsumer<ProcessOpenedHandler>();
    bus.AddConsumer<ListFormalizedHandler>();
    bus.AddConsumer<ProjectDecidedHandler>();
});
builder.Services.AddAuthorizationBuilder().AddPolicy(Access.Reader,
    p => p.RequireAuthenticatedUser().RequireClaim(PbClaims.Role, Roles.Oversight, Roles.ProcessAdmin, Roles.Council));

var app = builder.Build();

app.UsePbService();
app.MapProgressApi();
app.MapExecutionApi();
app.MapFindingsApi();
app.MapAuditApi("/api/oversight");
app.MapGrpcService<ProgressQueryService>().Permits([.. Roles.All]).InAnyJurisdiction("Public data: any signed-in caller, integrators above all, reads every jurisdiction's", publicData: true);

app.Run();
