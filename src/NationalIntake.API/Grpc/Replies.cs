using System.Globalization;
using PBServices.Contracts.Submissions;
using PBServices.Grpc.Intake;
using PBServices.NationalIntake.Infrastructure;

namespace PBServices.NationalIntake.Grpc;

/// <summary>The store's records in the contract's shapes: amounts with two decimals, times in ISO 8601 UTC.</summary>
internal static class Replies
{
    public static string Amount(decimal soles) => soles.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    public static ProjectDecision ToReply(this DecisionView d) => new()
    {
        Sequence = d.Sequence,
        DecisionId = d.DecisionId.ToString(),
        SubmissionId = d.SubmissionId.ToString(),
        ProcessId = d.ProcessId.ToString(),
        Jurisdiction = d.Jurisdiction,
        ProposalId = d.ProposalId.ToString(),
        Decision = d.Decision,
        ApprovedAmount = Amount(d.ApprovedAmount),
        Reason = d.Reason ?? "",
        DecidedAt = Iso(d.DecidedAt),
    };

    public static ReceivedSubmission ToReply(this SubmissionSummary s) => new()
    {
        SubmissionId = s.SubmissionId.ToString(),
        ProcessId = s.ProcessId.ToString(),
        Jurisdiction = s.Jurisdiction,
        Level = s.Level,
        FiscalYear = s.FiscalYear,
        ContentHash = s.ContentHash,
        Receipt = s.Receipt,
        ReceivedAt = Iso(s.ReceivedAt),
        TotalCost = Amount(s.TotalCost),
        Projects = s.Projects,
        Decided = s.Decided,
        ReportedFindings = s.ReportedFindings,
    };

    public static ReceivedFinding ToReply(this ReportedFinding f)
    {
        var reply = new ReceivedFinding
        {
            FindingId = f.FindingId.ToString(),
            ProcessId = f.ProcessId.ToString(),
            FiscalYear = f.FiscalYear,
            ProposalId = f.ProposalId?.ToString() ?? "",
            ProjectTitle = f.ProjectTitle ?? "",
            Kind = f.Kind.ToString(),
            Text = f.Text,
            RaisedAt = Iso(f.RaisedAt),
            AnswerDue = Iso(f.AnswerDue),
            EscalationReason = f.EscalationReason,
            EscalatedAt = Iso(f.EscalatedAt),
        };
        reply.Answers.AddRange(f.Answers.Select(a => new ReceivedAnswer { Text = a.Text, AnsweredAt = Iso(a.AnsweredAt) }));
        return reply;
    }
}
