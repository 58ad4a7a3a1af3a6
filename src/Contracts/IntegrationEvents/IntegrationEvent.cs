namespace PBServices.Contracts.IntegrationEvents;

/// <summary>
/// What every integration event carries. <see cref="EventId"/> is the idempotency key: the outbox
/// publishes with it as the message id and every inbox records it, so a redelivery has no second effect.
/// </summary>
public abstract record IntegrationEvent
{
    public Guid EventId { get; init; } = Guid.CreateVersion7();
    public DateTimeOffset OccurredAt { get; init; }
    public required string Jurisdiction { get; init; }
    public required Guid ProcessId { get; init; }
}
