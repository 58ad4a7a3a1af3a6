using PBServices.Contracts.IntegrationEvents;

namespace PBServices.MinistrySubmission.Domain;

/// <summary>
/// A package on its way to the Ministry. It waits until the process reaches the Submission stage, then is signed with
/// the key configured at that moment and delivered; the intake's answer is final, a transport failure is retried with back-off.
/// </summary>
public sealed class Submission
{
    public Guid Id { get; init; }
    public Guid ProcessId { get; init; }
    public string Jurisdiction { get; init; } = "";
    public string CanonicalContent { get; init; } = "";
    public string ContentHash { get; init; } = "";
    /// <summary>Set when the package is sent: the signature and the key it was signed with.</summary>
    public string? Signature { get; private set; }
    public string? PublicKey { get; private set; }
    public string? KeyId { get; private set; }
    public int Attempts { get; private set; }
    public SubmissionStatus Status { get; private set; } = SubmissionStatus.Pending;
    public string? IntakeReceipt { get; private set; }
    public string? LastError { get; private set; }
    public DateTimeOffset? NextAttemptAt { get; private set; }
    /// <summary>The trace of the formalization that produced it, continued by the delivery.</summary>
    public string? TraceParent { get; init; }
    public string? TraceState { get; init; }

    /// <summary>Signs the content hash for this attempt; what the intake answers is recorded with this signature and key.</summary>
    public void SignWith(SubmissionSigningKey key)
    {
        Signature = key.Sign(ContentHash);
        PublicKey = key.PublicKey;
        KeyId = key.KeyId;
    }

    public SubmissionAccepted Delivered(string receipt)
    {
        Attempts++;
        Status = SubmissionStatus.Delivered;
        IntakeReceipt = receipt;
        LastError = null;
        return new SubmissionAccepted { ProcessId = ProcessId, Jurisdiction = Jurisdiction, SubmissionId = Id, ContentHash = ContentHash, IntakeReceipt = receipt };
    }

    public SubmissionRejected Rejected(string reason)
    {
        Attempts++;
        Status = SubmissionStatus.Rejected;
        LastError = reason;
        return new SubmissionRejected { ProcessId = ProcessId, Jurisdiction = Jurisdiction, SubmissionId = Id, Reason = reason };
    }

    /// <summary>Exponential back-off, capped, so an unreachable intake is not hammered.</summary>
    public TimeSpan RetryLater(string error, DateTimeOffset now, TimeSpan maxBackoff)
    {
        var backoff = TimeSpan.FromSeconds(Math.Min(maxBackoff.TotalSeconds, Math.Pow(2, Math.Min(Attempts, 16))));
        Attempts++;
        LastError = error;
        NextAttemptAt = now + backoff;
        return backoff;
    }

    public static Submission Restore(Guid id, Guid processId, string jurisdiction, string canonicalContent, string contentHash, int attempts,
        string? traceParent, string? traceState) => new()
    {
        Id = id, ProcessId = processId, Jurisdiction = jurisdiction, CanonicalContent = canonicalContent, ContentHash = contentHash,
        Attempts = attempts, TraceParent = traceParent, TraceState = traceState,
    };
}
