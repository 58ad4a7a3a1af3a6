using PBServices.BuildingBlocks;
using PBServices.BuildingBlocks.Security;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Messaging;
using PBServices.Registration.Apis;
using PBServices.Registration.Domain;
using PBServices.Registration.Grpc;
using PBServices.Registration.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.AddPbService("registrationdb", RegistrationSchema.Migrations);
builder.AddEventBus("registration");
// No RENIEC access here: an officer's check against the card. A deployment with a registry agreement registers its own.
builder.Services.AddSingleton<IIdentityCheck, OfficerCardCheck>();

var app = builder.Build();

app.UsePbService();
app.MapProcessesApi();
app.MapOrganisationsApi();
app.MapApplicationsApi();
app.MapAccreditationApi();
app.MapTrainingApi();
app.MapSeatsApi();
app.MapStatisticsApi();
app.MapTokenApi(app.Configuration);
app.MapAuditApi("/api/registration");
app.MapGrpcService<RegistrationQueryService>().Permits([.. Roles.All]).InAnyJurisdiction("Public data: any signed-in caller, integrators above all, reads every jurisdiction's", publicData: true);

app.Run();
