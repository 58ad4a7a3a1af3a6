using PBServices.Contracts.IntegrationEvents;
using PBServices.Contracts.Submissions;

namespace PBServices.MinistrySubmission.Domain;

/// <summary>A finding the oversight committee escalated to the council, as kept here: whose it is, and the package that carried it, if one did.</summary>
public sealed record EscalatedFinding(string Jurisdiction, ReportedFinding Finding, Guid? CarriedBy);

/// <summary>
/// The oversight report a package carries to the Ministry: an escalated finding goes, with every answer given, with the
/// jurisdiction's next submission, that of a list formalized for a later fiscal year than the process the finding is about.
/// </summary>
public static class OversightReport
{
    /// <summary>
    /// The findings that go with the package of a list formalized for <paramref name="jurisdiction"/> and <paramref name="fiscalYear"/>:
    /// the jurisdiction's own, about an earlier fiscal year, that no package carried before; in the order the document states them.
    /// </summary>
    public static IReadOnlyList<ReportedFinding> For(string jurisdiction, int fiscalYear, IEnumerable<EscalatedFinding> escalated) =>
        SubmissionDocument.InReportOrder(escalated.Where(f => f.CarriedBy is null && f.Jurisdiction == jurisdiction && f.Finding.FiscalYear < fiscalYear)
            .Select(f => f.Finding));

    /// <summary>
    /// An escalation as received. A finding the Ministry's format could not state (no text, an empty answer) is refused here, so it
    /// lands in the error queue for an operator instead of making the next package one the intake refuses.
    /// </summary>
    public static EscalatedFinding Received(FindingEscalated e)
    {
        if (string.IsNullOrWhiteSpace(e.Text) || string.IsNullOrWhiteSpace(e.EscalationReason) || e.Answers.Any(a => string.IsNullOrWhiteSpace(a.Text)))
        {
            throw new InvalidOperationException($"FindingEscalated {e.EventId} (finding {e.FindingId}) has an empty text, escalation reason or answer");
        }
        if (e.ProjectTitle is not null && e.ProposalId is null)
        {
            throw new InvalidOperationException($"FindingEscalated {e.EventId} (finding {e.FindingId}) names a project title without its proposal");
        }
        return new EscalatedFinding(e.Jurisdiction, ReportedFinding.Of(e), null);
    }
}
