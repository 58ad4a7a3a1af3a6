using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Messaging;
using PBServices.BuildingBlocks.Outbox;

namespace PBServices.BuildingBlocks.Tests.Infrastructure;

/// <summary>
/// A service process as the building blocks assemble it (the data half of AddPbService plus AddEventBus):
/// data source, schema migrator, unit of work, outbox relay, MassTransit on the real broker, and one
/// consumer, <see cref="OpenedProcessProjection"/>. Several instances with the same name and database are replicas.
/// </summary>
public sealed class TestService : IAsyncDisposable
{
    /// <summary>The state a test service changes next to the events it raises.</summary>
    public const string ProposalsSchema = """
        CREATE TABLE IF NOT EXISTS proposals (
            id     uuid PRIMARY KEY,
            title  text NOT NULL,
            -- Checked at COMMIT, so a test can make the commit itself fail.
            CONSTRAINT proposals_title_unique UNIQUE (title) DEFERRABLE INITIALLY DEFERRED
        );
        """;

    /// <summary>As a service declares them: the building blocks' tables and its own, then the audit log.</summary>
    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new(1, "baseline", BuildingBlockSchema.OutboxAndInbox, ProposalsSchema, OpenedProcessProjection.Schema),
        new(2, "audit log", AuditSchema.Sql),
        new(3, "trace context", BuildingBlockSchema.OutboxTraceContext),
    ];

    private readonly IHost _host;

    private TestService(IHost host) => _host = host;

    public UnitOfWorkFactory UnitOfWork => _host.Services.GetRequiredService<UnitOfWorkFactory>();
    public IBus Bus => _host.Services.GetRequiredService<IBus>();
    public ConsumerPace Pace => _host.Services.GetRequiredService<ConsumerPace>();

    /// <summary>
    /// Starts the service and, unless <paramref name="waitForBroker"/> is false, waits until its consumer's
    /// queue is bound on the broker.
    /// </summary>
    public static async Task<TestService> StartAsync(string serviceName, string database, LocalBrokerAndDatabase servers,
        DeliveryLog deliveries, OutboxOptions? outbox = null, bool waitForBroker = true)
    {
        outbox ??= new OutboxOptions { PollInterval = TimeSpan.FromMilliseconds(250), PublishTimeout = TimeSpan.FromSeconds(2) };
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Test" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:service-db"] = database,
            ["ConnectionStrings:messaging"] = servers.BrokerConnectionString,
            ["Outbox:PollInterval"] = outbox.PollInterval.ToString("c", CultureInfo.InvariantCulture),
            ["Outbox:PublishTimeout"] = outbox.PublishTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["Outbox:BatchSize"] = outbox.BatchSize.ToString(CultureInfo.InvariantCulture),
        });
        builder.Logging.AddProvider(new TestOutputLoggerProvider(TestContext.Current.TestOutputHelper, serviceName));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));

        // As AddPbService registers them, in the same order: the schema exists before the relay starts.
        builder.AddNpgsqlDataSource("service-db");
        builder.Services.AddSingleton(new ServiceMigrations(Migrations));
        builder.Services.AddHostedService<SchemaMigrator>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<UnitOfWorkFactory>();

        builder.Services.AddSingleton<ConsumerPace>();
        builder.AddEventBus(serviceName, bus => bus.AddConsumer<OpenedProcessProjection>());
        builder.Services.AddConsumeObserver(_ => deliveries);

        var host = builder.Build();
        var service = new TestService(host);
        try
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            if (!waitForBroker)
            {
                return service;
            }
            // AddEventBus does not wait for the broker; a test does, or its first events would find no queue bound.
            var health = await host.Services.GetRequiredService<IBusControl>()
                .WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
            Assert.True(health == BusHealthStatus.Healthy, $"The bus of {serviceName} did not become healthy within 30 s (status {health})");
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
        return service;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(CancellationToken.None);
        }
        finally
        {
            if (_host is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                _host.Dispose();
            }
        }
    }
}
