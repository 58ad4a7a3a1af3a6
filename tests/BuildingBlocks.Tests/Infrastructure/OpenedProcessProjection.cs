using Dapper;
using Microsoft.Extensions.Logging;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Inbox;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.BuildingBlocks.Tests.Infrastructure;

/// <summary>
/// A downstream service's reaction to <see cref="ProcessOpened"/>: one row per opened process. The table
/// has no unique key on the event, so a second effect of the same event would show as a second row.
/// </summary>
public sealed class OpenedProcessProjection(UnitOfWorkFactory unitOfWork, ConsumerPace pace, ILogger<OpenedProcessProjection> logger)
    : IdempotentConsumer<ProcessOpened>(unitOfWork, logger)
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS opened_processes (
            event_id    uuid NOT NULL,
            process_id  uuid NOT NULL,
            name        text NOT NULL
        );
        """;

    protected override async Task HandleAsync(ProcessOpened message, UnitOfWork uow, CancellationToken ct)
    {
        await uow.Connection.ExecuteAsync(uow.Command(
            "INSERT INTO opened_processes (event_id, process_id, name) VALUES (@EventId, @ProcessId, @Name)",
            new { message.EventId, message.ProcessId, message.Name }, ct));
        // Keeps the transaction (and its inbox row) open, so a racing duplicate arrives meanwhile.
        await Task.Delay(pace.HoldTransaction, ct);
    }
}

/// <summary>How long the projection holds its transaction open; zero unless a test widens a race.</summary>
public sealed class ConsumerPace
{
    public TimeSpan HoldTransaction { get; set; } = TimeSpan.Zero;
}
