using System.Globalization;
using System.Text;
using System.Text.Json;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.Contracts.Submissions;

/// <summary>A project's technical assessment as the submission states it: the recommendation and the cost the team found right.</summary>
public sealed record ProjectAssessment(AssessmentRecommendation Recommendation, decimal? AdjustedCost, int Version);

/// <summary>
/// One party's share of a co-financed project: a government (by ubigeo), the community, an organisation or a company.
/// A co-financed project lists every party, the submitting government too, and the shares add up to its cost.
/// </summary>
public sealed record CofinancingEntry(string PartyKind, string Party, string Contribution, decimal Amount);

/// <summary>One project of the formalized list with what the Ministry checks: plan objective, assessment, who pays what.</summary>
public sealed record SubmittedProjectEntry(
    int Rank, Guid ProposalId, string Title, decimal Cost, decimal Score, string PlanObjective,
    /// <summary>What the submitting government pays of its own ceiling: its share when co-financed, else the full cost.</summary>
    decimal OwnShare,
    ProjectAssessment? Assessment,
    IReadOnlyList<CofinancingEntry> Cofinancing);

/// <summary>The signed Acta de Acuerdos y Compromisos behind the list: its number, content hash, who signed and which bodies approved.</summary>
public sealed record SubmittedActa(string Reference, string? ContentHash, int AuthoritySignatures, int AgentSignatures, IReadOnlyList<string> Approvals);

/// <summary>When the process entered a stage.</summary>
public sealed record StageReached(Stage Stage, DateTimeOffset At);

/// <summary>
/// A finding the oversight committee of an earlier fiscal year's process escalated to the council, with every answer the
/// government gave, as it travels in the oversight report of the jurisdiction's next submission (<see cref="FindingEscalated"/>).
/// Nothing about who raised or answered it: the report states the finding, not the people.
/// </summary>
public sealed record ReportedFinding(
    Guid FindingId,
    /// <summary>The process whose execution the finding is about, and its fiscal year.</summary>
    Guid ProcessId,
    int FiscalYear,
    Guid? ProposalId,
    string? ProjectTitle,
    FindingKind Kind,
    string Text,
    DateTimeOffset RaisedAt,
    DateTimeOffset AnswerDue,
    IReadOnlyList<FindingAnswer> Answers,
    string EscalationReason,
    DateTimeOffset EscalatedAt)
{
    public static ReportedFinding Of(FindingEscalated e) => new(e.FindingId, e.ProcessId, e.FiscalYear, e.ProposalId, e.ProjectTitle, e.Kind, e.Text, e.RaisedAt,
        e.AnswerDue, e.Answers, e.EscalationReason, e.EscalatedAt);
}

/// <summary>
/// The document a deployment submits to the Ministry (format <see cref="Format"/>): canonical JSON, keys in ordinal order at
/// every level, amounts as strings with two decimals, times in UTC to the millisecond. The same document always gives the
/// same bytes, so its SHA-256 identifies it; <see cref="Parse"/> accepts only what <see cref="Canonicalize"/> would write.
/// </summary>
public sealed record SubmissionDocument(
    Guid SubmissionId,
    Guid ProcessId,
    Guid ListId,
    string Jurisdiction,
    GovernmentLevel Level,
    int FiscalYear,
    decimal BudgetCeiling,
    DateTimeOffset ApprovedAt,
    SubmittedActa Acta,
    IReadOnlyList<StageReached> Stages,
    IReadOnlyList<SubmittedProjectEntry> Projects,
    /// <summary>The oversight report: escalated findings of earlier years no package carried before. Null or empty: none, and the section is omitted.</summary>
    IReadOnlyList<ReportedFinding>? OversightReport = null)
{
    public const string Format = "pb-services/submission/v3";

    /// <summary>The report's findings in the order the document states them: by escalation time (to the millisecond), then by id.</summary>
    public IReadOnlyList<ReportedFinding> Findings => InReportOrder(OversightReport ?? []);

    /// <summary>By the escalation time as written (so findings a tick apart within one millisecond keep one order), then by id as written.</summary>
    public static IReadOnlyList<ReportedFinding> InReportOrder(IEnumerable<ReportedFinding> findings) =>
        findings.OrderBy(f => Time(f.EscalatedAt), StringComparer.Ordinal).ThenBy(f => f.FindingId.ToString(), StringComparer.Ordinal).ToList();

    public decimal TotalCost => Projects.Sum(p => p.Cost);

    /// <summary>What the government commits of its own ceiling.</summary>
    public decimal OwnCommitment => Projects.Sum(p => p.OwnShare);

    public string Canonicalize()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("acta");
            w.WriteStartArray("approvals");
            foreach (var a in Acta.Approvals.Order(StringComparer.Ordinal))
            {
                w.WriteStringValue(a);
            }
            w.WriteEndArray();
            w.WriteNumber("agentSignatures", Acta.AgentSignatures);
            w.WriteNumber("authoritySignatures", Acta.AuthoritySignatures);
            if (Acta.ContentHash is { } hash)
            {
                w.WriteString("contentHash", hash);
            }
            else
            {
                w.WriteNull("contentHash");
            }
            w.WriteString("reference", Acta.Reference);
            w.WriteEndObject();
            w.WriteString("approvedAt", Time(ApprovedAt));
            w.WriteString("budgetCeiling", Amount(BudgetCeiling));
            w.WriteNumber("fiscalYear", FiscalYear);
            w.WriteString("format", Format);
            w.WriteString("jurisdiction", Jurisdiction);
            w.WriteString("level", Level.ToString());
            w.WriteString("listId", ListId.ToString());
            // Omitted when empty, so a package without findings is byte for byte what it was before reports existed.
            if (OversightReport is { Count: > 0 })
            {
                WriteOversightReport(w);
            }
            w.WriteString("ownCommitment", Amount(OwnCommitment));
            w.WriteString("processId", ProcessId.ToString());
            w.WriteStartArray("projects");
            foreach (var p in Projects.OrderBy(p => p.Rank))
            {
                w.WriteStartObject();
                if (p.Assessment is { } a)
                {
                    w.WriteStartObject("assessment");
                    if (a.AdjustedCost is { } adjusted)
                    {
                        w.WriteString("adjustedCost", Amount(adjusted));
                    }
                    else
                    {
                        w.WriteNull("adjustedCost");
                    }
                    w.WriteString("recommendation", a.Recommendation.ToString());
                    w.WriteNumber("version", a.Version);
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteNull("assessment");
                }
                w.WriteStartArray("cofinancing");
                foreach (var s in p.Cofinancing)
                {
                    w.WriteStartObject();
                    w.WriteString("amount", Amount(s.Amount));
                    w.WriteString("contribution", s.Contribution);
                    w.WriteString("party", s.Party);
                    w.WriteString("partyKind", s.PartyKind);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteString("cost", Amount(p.Cost));
                w.WriteString("ownShare", Amount(p.OwnShare));
                w.WriteString("planObjective", p.PlanObjective);
                w.WriteString("proposalId", p.ProposalId.ToString());
                w.WriteNumber("rank", p.Rank);
                w.WriteString("score", Amount(p.Score));
                w.WriteString("title", p.Title);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("stages");
            foreach (var s in Stages.OrderBy(s => s.Stage))
            {
                w.WriteStartObject();
                w.WriteString("at", Time(s.At));
                w.WriteString("stage", s.Stage.ToString());
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("submissionId", SubmissionId.ToString());
            w.WriteString("totalCost", Amount(TotalCost));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private void WriteOversightReport(Utf8JsonWriter w)
    {
        w.WriteStartObject("oversightReport");
        w.WriteStartArray("findings");
        foreach (var f in Findings)
        {
            w.WriteStartObject();
            w.WriteString("answerDue", Time(f.AnswerDue));
            // In the order given: the intake checks that it is the order they were answered in.
            w.WriteStartArray("answers");
            foreach (var a in f.Answers)
            {
                w.WriteStartObject();
                w.WriteString("answeredAt", Time(a.AnsweredAt));
                w.WriteString("text", a.Text);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("escalatedAt", Time(f.EscalatedAt));
            w.WriteString("escalationReason", f.EscalationReason);
            w.WriteString("findingId", f.FindingId.ToString());
            w.WriteNumber("fiscalYear", f.FiscalYear);
            w.WriteString("kind", f.Kind.ToString());
            w.WriteString("processId", f.ProcessId.ToString());
            if (f.ProjectTitle is { } title)
            {
                w.WriteString("projectTitle", title);
            }
            else
            {
                w.WriteNull("projectTitle");
            }
            if (f.ProposalId is { } proposal)
            {
                w.WriteString("proposalId", proposal.ToString());
            }
            else
            {
                w.WriteNull("proposalId");
            }
            w.WriteString("raisedAt", Time(f.RaisedAt));
            w.WriteString("text", f.Text);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>
    /// Reads a received document. Anything that is not this format, field by field, or not in canonical form (key order,
    /// spacing, amount and time spelling) is refused with the path of the first problem.
    /// </summary>
    public static SubmissionDocument Parse(string canonical)
    {
        SubmissionDocument document;
        try
        {
            using var doc = JsonDocument.Parse(canonical);
            var root = Object(doc.RootElement, "$");
            var format = Text(root, "format");
            if (format != Format)
            {
                throw new SubmissionFormatException("format", $"'{format}' is not {Format}");
            }
            var acta = Object(Required(root, "acta"), "acta");
            document = new SubmissionDocument(
                Id(root, "submissionId"), Id(root, "processId"), Id(root, "listId"), Text(root, "jurisdiction"),
                Enum<GovernmentLevel>(root, "level"), Int(root, "fiscalYear"), Money(root, "budgetCeiling"), When(root, "approvedAt"),
                new SubmittedActa(Text(acta, "reference", "acta."), NullableText(acta, "contentHash", "acta."), Int(acta, "authoritySignatures", "acta."),
                    Int(acta, "agentSignatures", "acta."), Array(acta, "approvals", "acta.").Select((a, i) => StringValue(a, $"acta.approvals[{i}]")).ToList()),
                Array(root, "stages").Select((s, i) =>
                {
                    var at = $"stages[{i}].";
                    var o = Object(s, at);
                    return new StageReached(Enum<Stage>(o, "stage", at), When(o, "at", at));
                }).ToList(),
                Array(root, "projects").Select((p, i) => ProjectOf(Object(p, $"projects[{i}]"), $"projects[{i}].")).ToList(),
                root.TryGetProperty("oversightReport", out var report) ? OversightReportOf(report) : null);
        }
        catch (JsonException e)
        {
            throw new SubmissionFormatException("$", $"Not a JSON document: {e.Message}");
        }
        if (document.Canonicalize() != canonical)
        {
            throw new SubmissionFormatException("$", "Not in canonical form (key order, spacing, amounts with two decimals, UTC times to the millisecond)");
        }
        return document;
    }

    private static IReadOnlyList<ReportedFinding> OversightReportOf(JsonElement report)
    {
        var findings = Array(Object(report, "oversightReport"), "findings", "oversightReport.").Select((f, i) =>
        {
            var at = $"oversightReport.findings[{i}].";
            var o = Object(f, $"oversightReport.findings[{i}]");
            return new ReportedFinding(
                Id(o, "findingId", at), Id(o, "processId", at), Int(o, "fiscalYear", at),
                Required(o, "proposalId", at).ValueKind == JsonValueKind.Null ? null : Id(o, "proposalId", at),
                NullableText(o, "projectTitle", at), Enum<FindingKind>(o, "kind", at), Text(o, "text", at), When(o, "raisedAt", at), When(o, "answerDue", at),
                Array(o, "answers", at).Select((a, j) =>
                {
                    var aat = $"{at}answers[{j}].";
                    var ao = Object(a, $"{at}answers[{j}]");
                    return new FindingAnswer(Text(ao, "text", aat), When(ao, "answeredAt", aat));
                }).ToList(),
                Text(o, "escalationReason", at), When(o, "escalatedAt", at));
        }).ToList();
        return findings.Count > 0 ? findings : throw new SubmissionFormatException("oversightReport.findings", "A report without findings is omitted, not sent empty");
    }

    private static SubmittedProjectEntry ProjectOf(JsonElement p, string at)
    {
        var assessment = Required(p, "assessment", at);
        return new SubmittedProjectEntry(
            Int(p, "rank", at), Id(p, "proposalId", at), Text(p, "title", at), Money(p, "cost", at), Money(p, "score", at), Text(p, "planObjective", at),
            Money(p, "ownShare", at),
            assessment.ValueKind == JsonValueKind.Null ? null : new ProjectAssessment(
                Enum<AssessmentRecommendation>(Object(assessment, $"{at}assessment"), "recommendation", $"{at}assessment."),
                Required(assessment, "adjustedCost", $"{at}assessment.").ValueKind == JsonValueKind.Null ? null : Money(assessment, "adjustedCost", $"{at}assessment."),
                Int(assessment, "version", $"{at}assessment.")),
            Array(p, "cofinancing", at).Select((s, i) =>
            {
                var sat = $"{at}cofinancing[{i}].";
                var o = Object(s, sat);
                return new CofinancingEntry(Text(o, "partyKind", sat), Text(o, "party", sat), Text(o, "contribution", sat), Money(o, "amount", sat));
            }).ToList());
    }

    private static string Amount(decimal soles) => soles.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static JsonElement Object(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.Object ? e : throw new SubmissionFormatException(path, "Must be an object");

    private static JsonElement Required(JsonElement o, string name, string at = "") =>
        o.TryGetProperty(name, out var v) ? v : throw new SubmissionFormatException(at + name, "Required");

    private static IEnumerable<JsonElement> Array(JsonElement o, string name, string at = "")
    {
        var v = Required(o, name, at);
        return v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().ToList() : throw new SubmissionFormatException(at + name, "Must be an array");
    }

    private static string StringValue(JsonElement v, string path) =>
        v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : throw new SubmissionFormatException(path, "Must be a non-empty string");

    private static string Text(JsonElement o, string name, string at = "") => StringValue(Required(o, name, at), at + name);

    private static string? NullableText(JsonElement o, string name, string at = "")
    {
        var v = Required(o, name, at);
        return v.ValueKind == JsonValueKind.Null ? null : StringValue(v, at + name);
    }

    private static Guid Id(JsonElement o, string name, string at = "") =>
        Guid.TryParse(Text(o, name, at), out var id) ? id : throw new SubmissionFormatException(at + name, "Must be a UUID");

    private static int Int(JsonElement o, string name, string at = "")
    {
        var v = Required(o, name, at);
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : throw new SubmissionFormatException(at + name, "Must be an integer");
    }

    private static decimal Money(JsonElement o, string name, string at = "") =>
        decimal.TryParse(Text(o, name, at), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)
            ? d : throw new SubmissionFormatException(at + name, "Must be an amount in soles with two decimals, as a string");

    private static DateTimeOffset When(JsonElement o, string name, string at = "") =>
        DateTimeOffset.TryParseExact(Text(o, name, at), "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t : throw new SubmissionFormatException(at + name, "Must be a UTC time yyyy-MM-ddTHH:mm:ss.fffZ");

    private static TEnum Enum<TEnum>(JsonElement o, string name, string at = "") where TEnum : struct, System.Enum =>
        PBServices.Contracts.Stages.TryParseName<TEnum>(Text(o, name, at), out var value) && value.ToString() == Text(o, name, at)
            ? value : throw new SubmissionFormatException(at + name, $"Must be one of {string.Join(", ", System.Enum.GetNames<TEnum>())}");
}

/// <summary>A received document is not a submission of this format: <see cref="Path"/> names where.</summary>
public sealed class SubmissionFormatException(string path, string message) : Exception($"{path}: {message}")
{
    public string Path { get; } = path;
}
