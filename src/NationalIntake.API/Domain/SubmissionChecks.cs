using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Contracts.Submissions;

namespace PBServices.NationalIntake.Domain;

/// <summary>What kind of refusal a problem is; a larger value wins when several kinds fail.</summary>
public enum RefusalKind
{
    /// <summary>The content breaks a rule of the process (ceiling, assessments, acta, stages).</summary>
    FailedPrecondition = 1,
    /// <summary>The package is malformed: hash, signature, schema, envelope.</summary>
    InvalidArgument = 2,
    /// <summary>The sender or the key may not submit for this jurisdiction.</summary>
    PermissionDenied = 3,
}

public sealed record SubmissionProblem(RefusalKind Kind, string Field, string Reason)
{
    public override string ToString() => $"{Field}: {Reason}";
}

/// <summary>The package as it arrives: the envelope's claims and the signed content.</summary>
public sealed record SubmissionEnvelope(string SubmissionId, string Jurisdiction, string ProcessId, string CanonicalContent, string ContentHash,
    string Signature, string KeyId);

/// <summary>The outcome of checking a package: the parsed document and its hash when readable, and every problem found.</summary>
public sealed record SubmissionVerdict(SubmissionDocument? Document, string ComputedHash, IReadOnlyList<SubmissionProblem> Problems)
{
    public bool Accepted => Problems.Count == 0;

    public RefusalKind? Kind => Problems.Count == 0 ? null : Problems.Max(p => p.Kind);

    /// <summary>Every problem, each naming its field, in the order checked.</summary>
    public string Message => string.Join("; ", Problems);
}

/// <summary>
/// The Ministry's checks of a received package (DESIGN.md section 4), all of them, so a refusal names every problem at
/// once: who sent it, with which key, whether the signature holds, whether it is a v3 document, whether the envelope
/// tells the truth about it, and whether the list it carries was made by the rules.
/// </summary>
public static class SubmissionChecks
{
    public static readonly IReadOnlyList<Stage> RequiredStages = [Stage.Preparation, Stage.Concertation, Stage.Coordination, Stage.Formalization];
    public static readonly IReadOnlyList<string> RequiredApprovals = ["CoordinationCouncil", "Council"];

    /// <param name="caller">The jurisdiction the sender's token acts for.</param>
    /// <param name="key">The enrolled key named by key_id, or null when none is enrolled under it.</param>
    public static SubmissionVerdict Check(SubmissionEnvelope envelope, string caller, EnrolledKey? key, DateTimeOffset now)
    {
        var problems = new List<SubmissionProblem>();
        if (!IntakeJurisdiction.Covers(caller, envelope.Jurisdiction))
        {
            problems.Add(new(RefusalKind.PermissionDenied, "jurisdiction", $"the credentials act for '{caller}', which does not include '{envelope.Jurisdiction}'"));
        }
        problems.AddRange(KeyProblems(envelope, key, now));

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(envelope.CanonicalContent));
        var computed = Convert.ToHexStringLower(hash);
        if (!string.Equals(computed, envelope.ContentHash, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(new(RefusalKind.InvalidArgument, "content_hash", "is not the SHA-256 of canonical_content"));
        }
        if (key is not null)
        {
            problems.AddRange(SignatureProblems(envelope.Signature, hash, key));
        }

        SubmissionDocument? document = null;
        try
        {
            document = SubmissionDocument.Parse(envelope.CanonicalContent);
        }
        catch (SubmissionFormatException e)
        {
            problems.Add(new(RefusalKind.InvalidArgument, $"canonical_content.{e.Path}", ReasonOf(e)));
        }
        if (document is not null)
        {
            problems.AddRange(EnvelopeProblems(envelope, document));
            problems.AddRange(ContentProblems(document));
        }
        return new SubmissionVerdict(document, computed, problems);
    }

    public static IEnumerable<SubmissionProblem> KeyProblems(SubmissionEnvelope envelope, EnrolledKey? key, DateTimeOffset now)
    {
        if (key is null)
        {
            yield return new(RefusalKind.PermissionDenied, "key_id", $"'{envelope.KeyId}' is not an enrolled key");
            yield break;
        }
        if (!IntakeJurisdiction.Covers(key.Jurisdiction, envelope.Jurisdiction))
        {
            yield return new(RefusalKind.PermissionDenied, "key_id", $"the key is enrolled for '{key.Jurisdiction}', which does not include '{envelope.Jurisdiction}'");
        }
        if (key.RevokedAt is { } revoked && revoked <= now)
        {
            yield return new(RefusalKind.PermissionDenied, "key_id", $"the key was revoked at {Iso(revoked)}");
        }
        else if (key.RetiredAt is { } retired && retired <= now)
        {
            yield return new(RefusalKind.PermissionDenied, "key_id", $"the key was retired at {Iso(retired)}, when another was enrolled for '{key.Jurisdiction}'");
        }
    }

    /// <summary>Verified with the key the Ministry enrolled, never one the sender supplies.</summary>
    public static IEnumerable<SubmissionProblem> SignatureProblems(string signature, byte[] hash, EnrolledKey key)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return [new(RefusalKind.InvalidArgument, "signature", "is not base64")];
        }
        return key.PublicKey.Verify(hash, bytes) ? [] : [new(RefusalKind.InvalidArgument, "signature", "does not verify with the key enrolled under key_id")];
    }

    public static IEnumerable<SubmissionProblem> EnvelopeProblems(SubmissionEnvelope envelope, SubmissionDocument document)
    {
        if (!Guid.TryParse(envelope.SubmissionId, out var submissionId) || submissionId != document.SubmissionId)
        {
            yield return new(RefusalKind.InvalidArgument, "submission_id", $"'{envelope.SubmissionId}' is not the document's submissionId '{document.SubmissionId}'");
        }
        if (!Guid.TryParse(envelope.ProcessId, out var processId) || processId != document.ProcessId)
        {
            yield return new(RefusalKind.InvalidArgument, "process_id", $"'{envelope.ProcessId}' is not the document's processId '{document.ProcessId}'");
        }
        if (envelope.Jurisdiction != document.Jurisdiction)
        {
            yield return new(RefusalKind.InvalidArgument, "jurisdiction", $"'{envelope.Jurisdiction}' is not the document's jurisdiction '{document.Jurisdiction}'");
        }
    }

    /// <summary>The rules of the process the list must have been made by; a refusal lists each broken one.</summary>
    public static IEnumerable<SubmissionProblem> ContentProblems(SubmissionDocument d)
    {
        static SubmissionProblem Rule(string field, string reason) => new(RefusalKind.FailedPrecondition, field, reason);

        if (d.Level != Jurisdictions.LevelOf(d.Jurisdiction))
        {
            yield return Rule("level", $"{d.Level} is not the level of jurisdiction '{d.Jurisdiction}' ({Jurisdictions.LevelOf(d.Jurisdiction)})");
        }
        if (d.Projects.Count == 0)
        {
            yield return Rule("projects", "the list has no project");
        }
        if (d.OwnCommitment > d.BudgetCeiling)
        {
            yield return Rule("ownCommitment", $"S/ {Amount(d.OwnCommitment)} exceeds the budget ceiling of S/ {Amount(d.BudgetCeiling)}");
        }
        foreach (var p in d.Projects.OrderBy(p => p.Rank))
        {
            var at = $"projects[rank {p.Rank}]";
            if (p.OwnShare > p.Cost)
            {
                yield return Rule($"{at}.ownShare", $"S/ {Amount(p.OwnShare)} exceeds the project's cost of S/ {Amount(p.Cost)}");
            }
            // The co-financing lists every party, the submitting government too (by its ubigeo): all of it is the cost.
            if (p.Cofinancing.Count > 0 && p.Cofinancing.Sum(c => c.Amount) != p.Cost)
            {
                yield return Rule($"{at}.cofinancing", $"the shares (S/ {Amount(p.Cofinancing.Sum(c => c.Amount))}) do not add up to the cost of S/ {Amount(p.Cost)}");
            }
            if (p.Cofinancing.Count > 0 && p.Cofinancing.Where(c => c.PartyKind == "Government" && c.Party == d.Jurisdiction).Sum(c => c.Amount) is var own && own != p.OwnShare)
            {
                yield return Rule($"{at}.ownShare", $"S/ {Amount(p.OwnShare)} is not {d.Jurisdiction}'s share in the co-financing (S/ {Amount(own)})");
            }
            switch (p.Assessment)
            {
                case null:
                    yield return Rule($"{at}.assessment", "the project has no technical assessment");
                    break;
                case { Recommendation: not (AssessmentRecommendation.Viable or AssessmentRecommendation.ViableAtAdjustedCost) } a:
                    yield return Rule($"{at}.assessment", $"the recommendation is {a.Recommendation}, not viable");
                    break;
                case { Recommendation: AssessmentRecommendation.ViableAtAdjustedCost } a when a.AdjustedCost != p.Cost:
                    yield return Rule($"{at}.cost", $"S/ {Amount(p.Cost)} is not the adjusted cost the assessment found viable (S/ {(a.AdjustedCost is { } c ? Amount(c) : "none")})");
                    break;
            }
        }
        foreach (var problem in ActaProblems(d.Acta))
        {
            yield return problem;
        }
        foreach (var problem in StageProblems(d))
        {
            yield return problem;
        }
        foreach (var problem in OversightReportProblems(d))
        {
            yield return problem;
        }
    }

    /// <summary>
    /// The oversight report: findings of earlier fiscal years only (a finding travels with a later year's submission), each once,
    /// with its text, and its answers as they were given, in order, after it was raised.
    /// </summary>
    public static IEnumerable<SubmissionProblem> OversightReportProblems(SubmissionDocument d)
    {
        foreach (var repeated in d.Findings.GroupBy(f => f.FindingId).Where(g => g.Count() > 1))
        {
            yield return new(RefusalKind.InvalidArgument, "oversightReport.findings", $"finding {repeated.Key} is reported {repeated.Count()} times");
        }
        foreach (var f in d.Findings)
        {
            var at = $"oversightReport.findings[{f.FindingId}]";
            if (f.FiscalYear >= d.FiscalYear)
            {
                yield return new(RefusalKind.FailedPrecondition, $"{at}.fiscalYear",
                    $"{f.FiscalYear} is not earlier than the submission's fiscal year {d.FiscalYear}: a finding is reported with a later year's submission");
            }
            if (string.IsNullOrWhiteSpace(f.Text))
            {
                yield return new(RefusalKind.FailedPrecondition, $"{at}.text", "the finding has no text");
            }
            if (string.IsNullOrWhiteSpace(f.EscalationReason))
            {
                yield return new(RefusalKind.FailedPrecondition, $"{at}.escalationReason", "the escalation has no reason");
            }
            if (f.ProjectTitle is not null && f.ProposalId is null)
            {
                yield return new(RefusalKind.InvalidArgument, $"{at}.projectTitle", "names a project but proposalId is null");
            }
            if (f.EscalatedAt < f.RaisedAt)
            {
                yield return new(RefusalKind.FailedPrecondition, $"{at}.escalatedAt", $"{Iso(f.EscalatedAt)} is before the finding was raised ({Iso(f.RaisedAt)})");
            }
            for (var i = 0; i < f.Answers.Count; i++)
            {
                var answer = f.Answers[i];
                if (string.IsNullOrWhiteSpace(answer.Text))
                {
                    yield return new(RefusalKind.FailedPrecondition, $"{at}.answers[{i}].text", "the answer has no text");
                }
                if (answer.AnsweredAt < f.RaisedAt)
                {
                    yield return new(RefusalKind.FailedPrecondition, $"{at}.answers[{i}].answeredAt",
                        $"{Iso(answer.AnsweredAt)} is before the finding was raised ({Iso(f.RaisedAt)})");
                }
                if (i > 0 && answer.AnsweredAt < f.Answers[i - 1].AnsweredAt)
                {
                    yield return new(RefusalKind.InvalidArgument, $"{at}.answers[{i}].answeredAt",
                        $"{Iso(answer.AnsweredAt)} is before the answer preceding it ({Iso(f.Answers[i - 1].AnsweredAt)}): answers are stated in the order given");
                }
            }
        }
    }

    private static IEnumerable<SubmissionProblem> ActaProblems(SubmittedActa acta)
    {
        if (string.IsNullOrWhiteSpace(acta.Reference))
        {
            yield return new(RefusalKind.FailedPrecondition, "acta.reference", "the acta has no reference");
        }
        if (string.IsNullOrWhiteSpace(acta.ContentHash))
        {
            yield return new(RefusalKind.FailedPrecondition, "acta.contentHash", "the acta has no content hash: it was not issued");
        }
        if (acta.AuthoritySignatures < 1)
        {
            yield return new(RefusalKind.FailedPrecondition, "acta.authoritySignatures", "no authority signed the acta");
        }
        if (acta.AgentSignatures < 1)
        {
            yield return new(RefusalKind.FailedPrecondition, "acta.agentSignatures", "no participating agent signed the acta");
        }
        foreach (var body in RequiredApprovals.Where(b => !acta.Approvals.Contains(b)))
        {
            yield return new(RefusalKind.FailedPrecondition, "acta.approvals", $"the {body} has not approved the list");
        }
    }

    private static IEnumerable<SubmissionProblem> StageProblems(SubmissionDocument d)
    {
        DateTimeOffset? previous = null;
        foreach (var stage in RequiredStages)
        {
            var reached = d.Stages.Where(s => s.Stage == stage).ToList();
            if (reached.Count == 0)
            {
                yield return new(RefusalKind.FailedPrecondition, "stages", $"the process never reached {stage}");
                continue;
            }
            var at = reached.Min(s => s.At);
            if (previous is { } before && at < before)
            {
                yield return new(RefusalKind.FailedPrecondition, "stages", $"{stage} ({Iso(at)}) is dated before the stage preceding it ({Iso(before)})");
            }
            if (at > d.ApprovedAt)
            {
                yield return new(RefusalKind.FailedPrecondition, "stages", $"{stage} ({Iso(at)}) is dated after the list's approval ({Iso(d.ApprovedAt)})");
            }
            previous = at;
        }
    }

    private static string ReasonOf(SubmissionFormatException e) =>
        e.Message.StartsWith(e.Path + ": ", StringComparison.Ordinal) ? e.Message[(e.Path.Length + 2)..] : e.Message;

    private static string Amount(decimal soles) => soles.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
