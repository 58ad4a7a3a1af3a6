using MassTransit;
using PBServices.BuildingBlocks;
using PBServices.BuildingBlocks.Messaging;
using PBServices.Deliberation.Apis;
using PBServices.Deliberation.Grpc;
using PBServices.Deliberation.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.AddPbService("deliberationdb", DeliberationSchema.Sql);
builder.AddEventBus("deliberation", bus => bus.AddConsumers(typeof(Program).Assembly));

var app = builder.Build();

app.UsePbService();
app.MapProposalsApi();
app.MapGrpcService<ProposalQueryService>();

app.Run();
