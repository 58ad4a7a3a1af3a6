using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Outbox;

namespace PBServices.BuildingBlocks.Messaging;

public static class EventBusExtensions
{
    /// <summary>
    /// MassTransit over RabbitMQ: durable quorum queues named after the service, publisher confirms,
    /// retries with back-off, and what still fails goes to the endpoint's <c>_error</c> queue for an operator.
    /// Publishing happens only through the outbox relay.
    /// </summary>
    public static IHostApplicationBuilder AddEventBus(this IHostApplicationBuilder builder, string serviceName,
        Action<IBusRegistrationConfigurator>? configureConsumers = null, string connectionName = "messaging")
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"Connection string '{connectionName}' is missing");

        builder.Services.AddMassTransit(bus =>
        {
            // A government's deployment does not report its usage to a third party (MassTransit posts it to
            // usage-tracking.masstransit.io by default, a root trace in every service when it does).
            bus.DisableUsageTelemetry();
            configureConsumers?.Invoke(bus);
            bus.AddConfigureEndpointsCallback((_, _, endpoint) =>
            {
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.SetQuorumQueue();
                }
            });
            bus.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(new Uri(connectionString), h => h.PublisherConfirmation = true);
                // No exchange for the base record: a binding to it would count as a route and hide unrouted events.
                cfg.Publish<PBServices.Contracts.IntegrationEvents.IntegrationEvent>(p => p.Exclude = true);
                foreach (var eventType in EventJson.All)
                {
                    BindUnroutedQueue.MakeGenericMethod(eventType).Invoke(null, [cfg]);
                }
                cfg.UseMessageRetry(r => r.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(400)));
                cfg.ConfigureEndpoints(context, new KebabCaseEndpointNameFormatter(serviceName, false));
            });
        });
        // A service whose broker is down still starts and serves reads; the outbox holds its events.
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = false);

        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration("Outbox");
        builder.Services.AddHostedService<OutboxRelay>();
        return builder;
    }

    /// <summary>Where events go that no queue is bound for yet (a consumer service never started): kept, not dropped.</summary>
    public const string UnroutedQueue = "pb-unrouted-events";

    private static readonly System.Reflection.MethodInfo BindUnroutedQueue =
        typeof(EventBusExtensions).GetMethod(nameof(BindUnrouted), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    private static void BindUnrouted<TEvent>(IRabbitMqBusFactoryConfigurator cfg) where TEvent : class =>
        cfg.Publish<TEvent>(p => p.BindAlternateExchangeQueue(UnroutedQueue, UnroutedQueue));
}
