namespace PBServices.BuildingBlocks.Audit;

/// <summary>
/// One entry of the audit log. <see cref="NewValues"/> is the canonical JSON text exactly as stored and hashed;
/// <see cref="Hash"/> is <see cref="AuditChain.ComputeHash"/> of the rest, which includes <see cref="PreviousHash"/>.
/// </summary>
public sealed record AuditEntry(
    long Sequence,
    DateTimeOffset OccurredAt,
    string Subject,
    string Role,
    string Jurisdiction,
    Guid? ProcessId,
    string Action,
    string SubjectId,
    string NewValues,
    string? Reason,
    string PreviousHash,
    string Hash);

/// <summary>The last entry the database has appended (sequence 0 and <see cref="AuditChain.GenesisHash"/> before the first).</summary>
public sealed record AuditHead(long Sequence, string Hash);

/// <summary>The outcome of checking a chain: OK with the number of entries, or the first entry that breaks it and why.</summary>
public sealed record AuditVerification(bool Ok, long Entries, long? FirstBrokenSequence, string? Reason)
{
    public static AuditVerification Intact(long entries) => new(true, entries, null, null);

    public static AuditVerification Broken(long entries, long sequence, string reason) => new(false, entries, sequence, reason);
}
