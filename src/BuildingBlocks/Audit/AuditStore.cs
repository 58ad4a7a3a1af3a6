using System.Data;
using System.Runtime.CompilerServices;
using Dapper;
using Npgsql;

namespace PBServices.BuildingBlocks.Audit;

/// <summary>Reads the service's audit log; appending happens only through a unit of work's commit.</summary>
public sealed class AuditStore(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        sequence AS Sequence, occurred_at AS OccurredAt, subject AS Subject, role AS Role, jurisdiction AS Jurisdiction,
        process_id AS ProcessId, action AS Action, subject_id AS SubjectId, new_values AS NewValues, reason AS Reason,
        previous_hash AS PreviousHash, hash AS Hash
        """;

    /// <summary>The whole chain in sequence order, streamed.</summary>
    public async IAsyncEnumerable<AuditEntry> ReadChainAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await foreach (var entry in ReadChainAsync(connection, null, ct))
        {
            yield return entry;
        }
    }

    /// <summary>A process's entries in sequence order; with a <paramref name="jurisdiction"/>, only the entries made for it.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadTrailAsync(Guid processId, string? jurisdiction, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM audit_log WHERE process_id = @processId AND (@jurisdiction::text IS NULL OR jurisdiction = @jurisdiction) ORDER BY sequence",
            new { processId, jurisdiction }, cancellationToken: ct));
        return [.. rows.Select(r => r.ToEntry())];
    }

    /// <summary>Checks the whole chain against the head, both read from one snapshot so concurrent appends do not interfere.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var head = await connection.QuerySingleAsync<AuditHead>(new CommandDefinition(
            "SELECT sequence AS Sequence, hash AS Hash FROM audit_head WHERE id = 1", transaction: tx, cancellationToken: ct));
        var walk = new AuditChain.Walk();
        await foreach (var entry in ReadChainAsync(connection, tx, ct))
        {
            if (walk.Step(entry) is { } broken)
            {
                return broken;
            }
        }
        return walk.Finish(head);
    }

    private static async IAsyncEnumerable<AuditEntry> ReadChainAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var row in connection.QueryUnbufferedAsync<Row>($"SELECT {Columns} FROM audit_log ORDER BY sequence", transaction: tx).WithCancellation(ct))
        {
            yield return row.ToEntry();
        }
    }

    private sealed record Row(long Sequence, DateTime OccurredAt, string Subject, string Role, string Jurisdiction, Guid? ProcessId,
        string Action, string SubjectId, string NewValues, string? Reason, string PreviousHash, string Hash)
    {
        public AuditEntry ToEntry() => new(Sequence, new DateTimeOffset(DateTime.SpecifyKind(OccurredAt, DateTimeKind.Utc)), Subject, Role, Jurisdiction,
            ProcessId, Action, SubjectId, NewValues, Reason, PreviousHash, Hash);
    }
}
