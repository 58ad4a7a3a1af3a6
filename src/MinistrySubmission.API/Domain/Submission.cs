using PBServices.Contracts.IntegrationEvents;

namespace PBServices.MinistrySubmission.Domain;

/// <summary>
/// A signed package on its way to the Ministry. It waits until the process reaches the Submission stage,
/// then is delivered; the intake's answer is final, a transport failure is retried with back-off.
/// </summary>
public sealed class Submission
{
    public Guid Id { get; init; }
    public Guid ProcessId { get; init; }
    public string Jurisdiction { get; init; } = "";
    public string CanonicalContent { get; init; } = "";
    public string ContentHash { get; init; } = "";
    public string Signature { get; init; } = "";
    public string PublicKey { get; init; } = "";
    public int Attempts { get; private set; }
    public SubmissionStatus Status { get; private set; } = SubmissionStatus.Pending;
    public string? IntakeReceipt { get; private set; }
    public string? LastError { get; private set; }
    public DateTimeOffset? NextAttemptAt { get; private set; }
    /// <summary>The trace of the formalization that produced it, continued by the delivery.</summary>
    public string? TraceParent { get; init; }
    public string? TraceState { get; init; }

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

    public static Submission Restore(Guid id, Guid processId, string jurisdiction, string canonicalContent, string contentHash, string signature,
        string publicKey, int attempts, string? traceParent, string? traceState) => new()
    {
        Id = id, ProcessId = processId, Jurisdiction = jurisdiction, CanonicalContent = canonicalContent, ContentHash = contentHash,
        Signature = signature, PublicKey = publicKey, Attempts = attempts, TraceParent = traceParent, TraceState = traceState,
    };
}
