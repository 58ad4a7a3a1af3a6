using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PBServices.BuildingBlocks.Audit;

/// <summary>How an audit entry is hashed and how a chain of entries is checked; no I/O.</summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first entry.</summary>
    public static readonly string GenesisHash = new('0', 64);

    /// <summary>
    /// The hash of an entry, over everything in it but <see cref="AuditEntry.Hash"/>: lowercase hex SHA-256 of the
    /// UTF-8 bytes of <c>pb-audit-v1\n</c> followed by each field below, in this order, written as its length in
    /// UTF-8 bytes (decimal), <c>:</c>, its text and <c>\n</c> — or as <c>-\n</c> when absent:
    /// sequence (decimal); occurred_at (UTC, <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>); subject; role; jurisdiction;
    /// process_id (lowercase <c>xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx</c>, absent if none); action; subject_id;
    /// new_values (the stored canonical JSON text); reason (absent if none); previous_hash.
    /// The length prefixes make the encoding unambiguous, so no two different entries share the input.
    /// </summary>
    public static string ComputeHash(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var text = new StringBuilder("pb-audit-v1\n");
        Field(text, entry.Sequence.ToString(CultureInfo.InvariantCulture));
        Field(text, FormatTime(entry.OccurredAt));
        Field(text, entry.Subject);
        Field(text, entry.Role);
        Field(text, entry.Jurisdiction);
        Field(text, entry.ProcessId?.ToString("D"));
        Field(text, entry.Action);
        Field(text, entry.SubjectId);
        Field(text, entry.NewValues);
        Field(text, entry.Reason);
        Field(text, entry.PreviousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>PostgreSQL keeps microseconds: an entry's time is cut to them before it is hashed and stored.</summary>
    public static DateTimeOffset ToStoredPrecision(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % 10, TimeSpan.Zero);

    /// <summary>
    /// Checks entries given in sequence order: numbered 1, 2, 3 … without gaps, each hash matching its content,
    /// each linked to the one before. With the <paramref name="head"/> the database recorded, a log whose last
    /// entries were removed is detected too.
    /// </summary>
    public static AuditVerification Verify(IEnumerable<AuditEntry> entries, AuditHead? head = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var walk = new Walk();
        foreach (var entry in entries)
        {
            if (walk.Step(entry) is { } broken)
            {
                return broken;
            }
        }
        return walk.Finish(head);
    }

    internal static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static void Field(StringBuilder text, string? value)
    {
        if (value is null)
        {
            text.Append("-\n");
            return;
        }
        text.Append(Encoding.UTF8.GetByteCount(value).ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('\n');
    }

    /// <summary>The check one entry at a time, so a store can stream a long chain through it.</summary>
    internal sealed class Walk
    {
        private long _count;
        private long _lastSequence;
        private string _lastHash = GenesisHash;

        public AuditVerification? Step(AuditEntry entry)
        {
            var expected = _lastSequence + 1;
            if (entry.Sequence != expected)
            {
                return entry.Sequence > expected
                    ? AuditVerification.Broken(_count, expected, $"Entry {expected} is missing: the log goes from {_lastSequence} to {entry.Sequence}")
                    : AuditVerification.Broken(_count, expected, $"Entry {expected} is out of order: found sequence {entry.Sequence} after {_lastSequence}");
            }
            if (!string.Equals(ComputeHash(entry), entry.Hash, StringComparison.Ordinal))
            {
                return AuditVerification.Broken(_count, entry.Sequence, $"Entry {entry.Sequence} was altered: its content does not match its hash");
            }
            if (!string.Equals(entry.PreviousHash, _lastHash, StringComparison.Ordinal))
            {
                return AuditVerification.Broken(_count, entry.Sequence, _lastSequence == 0
                    ? $"Entry {entry.Sequence} does not start the chain: its previous hash is not the genesis hash"
                    : $"Entry {entry.Sequence} does not follow entry {_lastSequence}: its previous hash is not that entry's hash");
            }
            _count++;
            _lastSequence = entry.Sequence;
            _lastHash = entry.Hash;
            return null;
        }

        public AuditVerification Finish(AuditHead? head)
        {
            if (head is not null && (head.Sequence != _lastSequence || !string.Equals(head.Hash, _lastHash, StringComparison.Ordinal)))
            {
                return head.Sequence > _lastSequence
                    ? AuditVerification.Broken(_count, _lastSequence + 1, $"The log ends at entry {_lastSequence} but the database appended up to entry {head.Sequence}")
                    : AuditVerification.Broken(_count, head.Sequence == _lastSequence ? _lastSequence : head.Sequence + 1,
                        $"The log's last entry ({_lastSequence}) is not the one the database recorded as last ({head.Sequence})");
            }
            return AuditVerification.Intact(_count);
        }
    }
}
