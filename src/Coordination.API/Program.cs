using MassTransit;
using PBServices.BuildingBlocks;
using PBServices.BuildingBlocks.Messaging;
using PBServices.Coordination.Apis;
using PBServices.Coordination.Grpc;
using PBServices.Coordination.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.AddPbService("coordinationdb", CoordinationSchema.Sql);
builder.AddEventBus("coordination", bus => bus.AddConsumers(typeof(Program).Assembly));

var app = builder.Build();

app.UsePbService();
app.MapCoordinationApi();
app.MapGrpcService<CoordinationQueryService>();

app.Run();
