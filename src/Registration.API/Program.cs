using PBServices.BuildingBlocks;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Messaging;
using PBServices.Registration.Apis;
using PBServices.Registration.Grpc;
using PBServices.Registration.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.AddPbService("registrationdb", RegistrationSchema.Migrations);
builder.AddEventBus("registration");

var app = builder.Build();

app.UsePbService();
app.MapProcessesApi();
app.MapTokenApi(app.Configuration);
app.MapAuditApi("/api/registration");
app.MapGrpcService<ProcessQueryService>();

app.Run();
