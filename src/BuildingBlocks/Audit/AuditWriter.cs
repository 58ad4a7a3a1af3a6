using Dapper;
using Npgsql;

namespace PBServices.BuildingBlocks.Audit;

/// <summary>An entry queued by a unit of work, not yet numbered or hashed.</summary>
internal sealed record PendingAuditEntry(DateTimeOffset OccurredAt, Actor Actor, string Action, Guid? ProcessId, string SubjectId, string NewValues, string? Reason);

internal static class AuditWriter
{
    /// <summary>
    /// Appends the entries inside the caller's transaction. Locking the head row makes a concurrent appender
    /// wait until this transaction ends and then read the head it left, so the chain never forks.
    /// </summary>
    public static async Task AppendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<PendingAuditEntry> pending, CancellationToken ct)
    {
        if (pending.Count == 0)
        {
            return;
        }
        var head = await connection.QuerySingleAsync<AuditHead>(new CommandDefinition(
            "SELECT sequence AS Sequence, hash AS Hash FROM audit_head WHERE id = 1 FOR UPDATE", transaction: transaction, cancellationToken: ct));
        foreach (var p in pending)
        {
            var entry = new AuditEntry(head.Sequence + 1, p.OccurredAt, p.Actor.Subject, p.Actor.Role, p.Actor.Jurisdiction,
                p.ProcessId, p.Action, p.SubjectId, p.NewValues, p.Reason, head.Hash, Hash: "");
            entry = entry with { Hash = AuditChain.ComputeHash(entry) };
            // The insert trigger checks the link and moves the head.
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO audit_log (sequence, occurred_at, subject, role, jurisdiction, process_id, action, subject_id, new_values, reason, previous_hash, hash)
                VALUES (@Sequence, @OccurredAt, @Subject, @Role, @Jurisdiction, @ProcessId, @Action, @SubjectId, @NewValues, @Reason, @PreviousHash, @Hash)
                """, entry, transaction, cancellationToken: ct));
            head = new AuditHead(entry.Sequence, entry.Hash);
        }
    }
}
