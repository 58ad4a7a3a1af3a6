using Dapper;
using MassTransit;
using Microsoft.Extensions.Logging;
using PBServices.BuildingBlocks.Data;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.BuildingBlocks.Inbox;

/// <summary>
/// Base of every consumer: records the event id in the inbox in the same transaction as the effect.
/// The (event_id, consumer) primary key makes a redelivered or re-published event a no-op, even when
/// two copies arrive at once on competing replicas (the second insert waits, then finds the row).
/// </summary>
public abstract class IdempotentConsumer<TEvent>(UnitOfWorkFactory unitOfWork, ILogger logger) : IConsumer<TEvent>
    where TEvent : IntegrationEvent
{
    private string ConsumerName => GetType().FullName!;

    public async Task Consume(ConsumeContext<TEvent> context)
    {
        var ct = context.CancellationToken;
        await using var uow = await unitOfWork.BeginAsync(ct);
        var first = await uow.Connection.ExecuteAsync(uow.Command(
            "INSERT INTO inbox (event_id, consumer, received_at) VALUES (@id, @consumer, @now) ON CONFLICT DO NOTHING",
            new { id = context.Message.EventId, consumer = ConsumerName, now = uow.Now }, ct));
        if (first == 0)
        {
            logger.LogInformation("{Event} {EventId} already handled by {Consumer}; skipped", typeof(TEvent).Name, context.Message.EventId, ConsumerName);
            return;
        }

        await HandleAsync(context.Message, uow, ct);
        await uow.CommitAsync(ct);
    }

    /// <summary>The effect, written through <paramref name="uow"/> so it commits with the inbox row.</summary>
    protected abstract Task HandleAsync(TEvent message, UnitOfWork uow, CancellationToken ct);
}
