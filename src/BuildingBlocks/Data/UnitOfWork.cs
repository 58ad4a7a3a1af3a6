using System.Text.Json;
using Dapper;
using Npgsql;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Outbox;
using PBServices.BuildingBlocks.Telemetry;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.BuildingBlocks.Data;

/// <summary>
/// One PostgreSQL transaction holding a state change and the events it raises. Events are written to
/// the outbox in the same transaction, so either both the change and its events are durable or neither is;
/// so are its audit entries, appended to the hash chain just before COMMIT.
/// </summary>
public sealed class UnitOfWork : IAsyncDisposable
{
    private readonly List<IntegrationEvent> _events = [];
    private readonly List<PendingAuditEntry> _audit = [];
    private readonly List<Action> _afterCommit = [];
    private readonly OutboxSignal _signal;
    private readonly TimeProvider _time;

    internal UnitOfWork(NpgsqlConnection connection, NpgsqlTransaction transaction, OutboxSignal signal, TimeProvider time)
    {
        Connection = connection;
        Transaction = transaction;
        _signal = signal;
        _time = time;
    }

    public NpgsqlConnection Connection { get; }
    public NpgsqlTransaction Transaction { get; }

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Queues an event; it is written to the outbox on commit.</summary>
    public void Publish(IntegrationEvent integrationEvent)
    {
        if (_events.Count == 0)
        {
            AfterCommit(_signal.Notify);
        }
        _events.Add(integrationEvent.OccurredAt == default ? integrationEvent with { OccurredAt = Now } : integrationEvent);
    }

    /// <summary>
    /// Records who changed what in the audit log; the entry is appended on commit, with the change, or not at all.
    /// <paramref name="newValues"/> is stored as canonical JSON (<see cref="CanonicalJson"/>), taken now.
    /// </summary>
    public void Audit(Actor actor, string action, Guid? processId, string subjectId, object newValues, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor.Subject);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor.Role);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor.Jurisdiction);
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectId);
        _audit.Add(new PendingAuditEntry(AuditChain.ToStoredPrecision(Now), actor, action, processId, subjectId,
            CanonicalJson.Serialize(newValues), string.IsNullOrWhiteSpace(reason) ? null : reason));
    }

    /// <summary>Runs <paramref name="callback"/> once the transaction has committed; never if it rolls back or the commit fails.</summary>
    public void AfterCommit(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        _afterCommit.Add(callback);
    }

    public CommandDefinition Command(string sql, object? parameters = null, CancellationToken ct = default) =>
        new(sql, parameters, Transaction, cancellationToken: ct);

    public async Task CommitAsync(CancellationToken ct)
    {
        // The relay publishes under this context, so the consumers join the request's trace.
        var trace = TraceContext.Capture();
        foreach (var e in _events)
        {
            await Connection.ExecuteAsync(Command(
                "INSERT INTO outbox (event_id, event_type, payload, occurred_at, trace_parent, trace_state) VALUES (@EventId, @Type, @Payload::jsonb, @OccurredAt, @TraceParent, @TraceState)",
                new
                {
                    e.EventId,
                    Type = e.GetType().FullName,
                    Payload = JsonSerializer.Serialize(e, e.GetType(), EventJson.Options),
                    e.OccurredAt,
                    TraceParent = trace.Parent,
                    TraceState = trace.State,
                }, ct));
        }
        await AppendAuditAsync(ct);
        await Transaction.CommitAsync(ct);
        RunAfterCommit();
    }

    /// <summary>Last before COMMIT, so the audit head stays locked as briefly as possible.</summary>
    private Task AppendAuditAsync(CancellationToken ct) => AuditWriter.AppendAsync(Connection, Transaction, _audit, ct);

    private void RunAfterCommit()
    {
        foreach (var callback in _afterCommit)
        {
            callback();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Disposing rolls back a transaction that is still open. An explicit Rollback would throw after a
        // failed COMMIT (PostgreSQL has already ended the transaction) and hide the database's reason.
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}

public sealed class UnitOfWorkFactory(NpgsqlDataSource dataSource, OutboxSignal signal, TimeProvider time)
{
    public Task<UnitOfWork> BeginAsync(CancellationToken ct) => BeginAsync(System.Data.IsolationLevel.ReadCommitted, ct);

    /// <summary>
    /// For a read made of several statements (a process, then its projects): one snapshot for all of them, so a change
    /// committed between two statements is seen whole or not at all, never half.
    /// </summary>
    public Task<UnitOfWork> BeginReadAsync(CancellationToken ct) => BeginAsync(System.Data.IsolationLevel.RepeatableRead, ct);

    private async Task<UnitOfWork> BeginAsync(System.Data.IsolationLevel isolation, CancellationToken ct)
    {
        NpgsqlConnection connection;
        try
        {
            connection = await dataSource.OpenConnectionAsync(ct);
        }
        catch (NpgsqlException e) when (e.InnerException is TimeoutException)
        {
            // The pool stayed exhausted (a burst holds every connection) or the server did not answer in time: before any change.
            throw new Errors.ServiceBusyException(e);
        }
        try
        {
            var transaction = await connection.BeginTransactionAsync(isolation, ct);
            return new UnitOfWork(connection, transaction, signal, time);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}

public static class EventJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static IReadOnlyCollection<Type> All => EventTypes.Values;

    private static readonly Dictionary<string, Type> EventTypes = typeof(IntegrationEvent).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(IntegrationEvent)) && !t.IsAbstract)
        .ToDictionary(t => t.FullName!, t => t);

    public static Type ResolveType(string name) =>
        EventTypes.TryGetValue(name, out var type) ? type : throw new InvalidOperationException($"Unknown integration event type '{name}'");
}
