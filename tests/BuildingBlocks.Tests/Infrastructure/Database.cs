using Dapper;
using Npgsql;

namespace PBServices.BuildingBlocks.Tests.Infrastructure;

/// <summary>What a test reads back from a service's database, on its own connection (so only committed data).</summary>
public sealed class Database(string connectionString)
{
    public string ConnectionString { get; } = connectionString;

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.ExecuteScalarAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: TestContext.Current.CancellationToken))
            ?? throw new InvalidOperationException($"No value from: {sql}");
    }

    public async Task<int> ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: TestContext.Current.CancellationToken));
    }

    public async Task<OutboxEntry?> OutboxEntryAsync(Guid eventId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.QuerySingleOrDefaultAsync<OutboxEntry>(new CommandDefinition(
            """
            SELECT event_id AS EventId, event_type AS EventType, payload::text AS Payload, sent_at AS SentAt,
                   attempts AS Attempts, last_error AS LastError, xmin::text::bigint AS WrittenByTransaction
            FROM outbox WHERE event_id = @eventId
            """, new { eventId }, cancellationToken: TestContext.Current.CancellationToken));
    }

    public Task<long> EffectsOfAsync(Guid eventId) =>
        ScalarAsync<long>("SELECT count(*) FROM opened_processes WHERE event_id = @eventId", new { eventId });

    public Task<long> InboxEntriesOfAsync(Guid eventId) =>
        ScalarAsync<long>("SELECT count(*) FROM inbox WHERE event_id = @eventId", new { eventId });
}

public sealed record OutboxEntry(Guid EventId, string EventType, string Payload, DateTime? SentAt, int Attempts, string? LastError, long WrittenByTransaction)
{
    public override string ToString() =>
        $"outbox {EventId}: sent_at={SentAt?.ToString("O") ?? "null"}, attempts={Attempts}, last_error={LastError ?? "null"}";
}
