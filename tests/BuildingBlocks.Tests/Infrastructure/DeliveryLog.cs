using System.Collections.Concurrent;
using MassTransit;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.BuildingBlocks.Tests.Infrastructure;

/// <summary>One arrival of an event at a consumer, seen before the inbox decides whether it is a duplicate.</summary>
public sealed record Delivery(Guid EventId, Guid? MessageId, Uri? SourceAddress, long ArrivedAt);

/// <summary>
/// Records every delivery of an integration event to a consumer (retries of the same delivery excluded),
/// and when the consumer finished with it. Shared by replicas in a test to count deliveries across them.
/// </summary>
public sealed class DeliveryLog : IConsumeObserver
{
    private readonly ConcurrentQueue<Delivery> _arrived = new();
    private readonly ConcurrentQueue<(Guid EventId, long At)> _finished = new();

    public IReadOnlyList<Delivery> Arrived => [.. _arrived];
    public IReadOnlyList<(Guid EventId, long At)> Finished => [.. _finished];

    public IReadOnlyList<Delivery> Of(Guid eventId) => [.. _arrived.Where(d => d.EventId == eventId)];

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.Message is IntegrationEvent e && context.GetRetryAttempt() == 0)
        {
            _arrived.Enqueue(new Delivery(e.EventId, context.MessageId, context.SourceAddress, System.Diagnostics.Stopwatch.GetTimestamp()));
        }
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.Message is IntegrationEvent e)
        {
            _finished.Enqueue((e.EventId, System.Diagnostics.Stopwatch.GetTimestamp()));
        }
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
