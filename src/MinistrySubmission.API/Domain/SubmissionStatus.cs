namespace PBServices.MinistrySubmission.Domain;

public enum SubmissionStatus
{
    /// <summary>Built, signed and stored; waiting to be delivered (retried while the intake is unreachable).</summary>
    Pending,
    /// <summary>The Ministry's intake verified and acknowledged it with a receipt.</summary>
    Delivered,
    /// <summary>The intake refused it (failed verification); the reason is kept.</summary>
    Rejected,
}
