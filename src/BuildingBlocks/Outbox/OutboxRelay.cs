using System.Diagnostics;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Telemetry;

namespace PBServices.BuildingBlocks.Outbox;

public sealed class OutboxOptions
{
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public int BatchSize { get; set; } = 100;
}

/// <summary>
/// Publishes outbox rows in commit order with broker confirms and marks them sent. Rows are claimed
/// with FOR UPDATE SKIP LOCKED so several replicas share the work without publishing a row twice
/// at the same time; a crash between publish and mark means a re-publish, which inboxes absorb.
/// </summary>
public sealed class OutboxRelay(
    NpgsqlDataSource dataSource,
    IServiceProvider services,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int published;
            try
            {
                published = await PublishPendingAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Outbox relay pass failed; will retry");
                published = 0;
            }

            if (published < options.Value.BatchSize)
            {
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>Publishes one batch; returns how many rows were published.</summary>
    public async Task<int> PublishPendingAsync(CancellationToken ct)
    {
        var (connection, tx, rows) = await ClaimBatchQuietlyAsync(ct);
        await using var _ = connection;
        await using var __ = tx;
        if (rows.Count == 0)
        {
            using (TraceContext.Untraced())
            {
                await tx.CommitAsync(ct);
            }
            return 0;
        }

        var published = 0;
        var bus = services.GetRequiredService<IBus>();
        foreach (var row in rows)
        {
            // The publish and its consumers join the trace of the request that wrote the event.
            using var activity = TraceContext.Continue($"outbox publish {ShortName(row.EventType)}", row.TraceParent, row.TraceState, ActivityKind.Producer);
            activity?.SetTag("messaging.message.id", row.EventId);
            object message;
            Type type;
            try
            {
                type = EventJson.ResolveType(row.EventType);
                message = JsonSerializer.Deserialize(row.Payload, type, EventJson.Options)!;
            }
            catch (Exception ex) when (ex is InvalidOperationException or JsonException or NotSupportedException)
            {
                // A row no build of this service can read (an event type renamed or removed) would block
                // every later event forever: park it, with the reason, for an operator to resolve.
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE outbox SET parked_at = @now, attempts = attempts + 1, last_error = @error WHERE event_id = @id",
                    new { id = row.EventId, now = time.GetUtcNow(), error = ex.Message }, tx, cancellationToken: ct));
                activity?.SetStatus(ActivityStatusCode.Error, "parked");
                logger.LogError(ex, "Outbox row {EventId} of type {EventType} cannot be read and was parked", row.EventId, row.EventType);
                continue;
            }

            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(options.Value.PublishTimeout);
                await bus.Publish(message, type, ctx => ctx.MessageId = row.EventId, timeout.Token);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                // The broker is unreachable or refused: keep the order, stop here, retry on the next pass.
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = @error WHERE event_id = @id",
                    new { id = row.EventId, error = ex.Message }, tx, cancellationToken: ct));
                activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                logger.LogWarning(ex, "Publishing {EventType} {EventId} failed", row.EventType, row.EventId);
                break;
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE outbox SET sent_at = @now, attempts = attempts + 1 WHERE event_id = @id",
                new { id = row.EventId, now = time.GetUtcNow() }, tx, cancellationToken: ct));
            published++;
        }

        await tx.CommitAsync(ct);
        return published;
    }

    /// <summary>Opens, begins and claims the next batch untraced: a poll is no user action (see TraceContext).</summary>
    private async Task<(NpgsqlConnection, NpgsqlTransaction, List<OutboxRow>)> ClaimBatchQuietlyAsync(CancellationToken ct)
    {
        using var quiet = TraceContext.Untraced();
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            var tx = await connection.BeginTransactionAsync(ct);
            var rows = (await connection.QueryAsync<OutboxRow>(new CommandDefinition(
                """
                SELECT event_id AS EventId, event_type AS EventType, payload::text AS Payload, trace_parent AS TraceParent, trace_state AS TraceState
                FROM outbox WHERE sent_at IS NULL AND parked_at IS NULL ORDER BY sequence LIMIT @limit FOR UPDATE SKIP LOCKED
                """, new { limit = options.Value.BatchSize }, tx, cancellationToken: ct))).ToList();
            return (connection, tx, rows);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static string ShortName(string eventType) => eventType[(eventType.LastIndexOf('.') + 1)..];

    private sealed record OutboxRow(Guid EventId, string EventType, string Payload, string? TraceParent, string? TraceState);
}
