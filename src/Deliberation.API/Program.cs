using MassTransit;
using Npgsql;
using PBServices.BuildingBlocks;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Messaging;
using PBServices.Deliberation.Apis;
using PBServices.Deliberation.Grpc;
using PBServices.Deliberation.Infrastructure;
using PBServices.Deliberation.IntegrationEvents;

var builder = WebApplication.CreateBuilder(args);

// A voting peak sends hundreds of ballots at once, and the five services share PostgreSQL's connections (100 by
// default): the pool stays well below them, so ballots beyond it wait for a connection instead of failing.
if (builder.Configuration.GetConnectionString("deliberationdb") is { } connectionString)
{
    builder.Configuration["ConnectionStrings:deliberationdb"] = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 30 }.ConnectionString;
}
builder.AddPbService("deliberationdb", DeliberationSchema.Migrations);
builder.AddEventBus("deliberation", bus =>
{
    bus.AddConsumer<ProcessOpenedHandler>();
    bus.AddConsumer<StageAdvancedHandler>();
    bus.AddConsumer<AgentAccreditedHandler>();
    bus.AddConsumer<AgentAccreditationRevokedHandler>();
    bus.AddConsumer<TrainingAttendedHandler>();
    bus.AddConsumer<AssessmentCompletedHandler>();
});

var app = builder.Build();

app.UsePbService();
app.MapProposalsApi();
app.MapParticipationApi();
app.MapVotingApi();
app.MapAuditApi("/api/deliberation");
app.MapGrpcService<ProposalQueryService>();

app.Run();
