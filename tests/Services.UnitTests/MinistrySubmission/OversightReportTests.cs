using System.Text.Json;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Contracts.Submissions;
using PBServices.MinistrySubmission.Domain;

namespace PBServices.UnitTests.MinistrySubmission;

public sealed class OversightReportTests
{
    private static readonly Guid SubmissionId = Guid.Parse("0197a1b2-0000-7000-8000-000000000001");
    private static readonly Guid EarlierProcess = Guid.Parse("0197a1b2-0000-7000-8000-0000000000ee");
    private static readonly DateTimeOffset Raised = new(2026, 3, 2, 15, 0, 0, TimeSpan.Zero);

    private static ReportedFinding Finding(string id, int fiscalYear, DateTimeOffset escalatedAt, Guid? proposalId = null, string? title = null,
        params FindingAnswer[] answers) =>
        new(Guid.Parse(id), EarlierProcess, fiscalYear, proposalId, title, FindingKind.Finding, $"Hallazgo {id[^2..]}: la obra no figura en el PIA", Raised,
            Raised.AddDays(15), answers, "Sin respuesta suficiente en el plazo", escalatedAt);

    private static readonly ReportedFinding Pier = Finding("0197a1b2-0000-7000-8000-0000000000f1", 2026, Raised.AddDays(20),
        Guid.Parse("0197a1b2-0000-7000-8000-000000000201"), "Muelle artesanal",
        new FindingAnswer("La obra se incluirá en la modificación presupuestal", Raised.AddDays(3)), new FindingAnswer("Se adjunta el oficio", Raised.AddDays(9)));
    private static readonly ReportedFinding Process = Finding("0197a1b2-0000-7000-8000-0000000000f2", 2025, Raised.AddDays(18));

    private static ListFormalized List() => new()
    {
        Jurisdiction = "070101",
        ProcessId = Guid.Parse("0197a1b2-0000-7000-8000-0000000000aa"),
        ListId = Guid.Parse("0197a1b2-0000-7000-8000-0000000000bb"),
        Level = GovernmentLevel.District,
        FiscalYear = 2027,
        BudgetCeiling = 1_000_000m,
        ActaReference = "Acta N° 003-2026-MPC",
        ActaContentHash = new string('c', 64),
        ApprovedAt = new DateTimeOffset(2026, 7, 15, 13, 30, 0, TimeSpan.FromHours(-5)),
        Projects = [new ListedProject(Guid.Parse("0197a1b2-0000-7000-8000-000000000101"), "Pistas y veredas", 400_000m, 80m, 1)],
        Dossier = [new(Guid.Parse("0197a1b2-0000-7000-8000-000000000101"), "OE4 Vías", 400_000m, new ProjectAssessment(AssessmentRecommendation.Viable, null, 1), [])],
        Signatures = new ActaSignatures(2, 5, ["CoordinationCouncil", "Council"]),
    };

    private static readonly IReadOnlyList<StageReached> Stages = [new(Stage.Preparation, new DateTimeOffset(2026, 2, 3, 8, 0, 0, TimeSpan.Zero))];

    private static SubmissionPackage Build(params ReportedFinding[] findings) => SubmissionPackage.Build(SubmissionId, List(), Stages, findings);

    [Fact]
    public void A_package_without_findings_has_no_report_section_and_the_same_bytes_as_before_reports_existed()
    {
        var without = SubmissionPackage.Build(SubmissionId, List(), Stages);
        var empty = Build();

        Assert.Equal(without.CanonicalContent, empty.CanonicalContent);
        Assert.DoesNotContain("oversightReport", without.CanonicalContent, StringComparison.Ordinal);
        // The SHA-256 of this document as the format wrote it before the report existed (commit 192c2cf).
        Assert.Equal("638c92040c7fc147940e1912cfb1a8f2d2f2fbba4b0f0fb23f5968019c0f1369", without.ContentHash);
    }

    [Fact]
    public void The_report_is_part_of_the_hashed_content_and_reads_back_byte_for_byte()
    {
        var without = Build();
        var with = Build(Pier, Process);

        Assert.NotEqual(without.ContentHash, with.ContentHash);
        Assert.Equal(with.CanonicalContent, SubmissionDocument.Parse(with.CanonicalContent).Canonicalize());
        Assert.Equal(with.ContentHash, SubmissionPackage.HashOf(SubmissionDocument.Parse(with.CanonicalContent).Canonicalize()));
        Assert.Equal(2, SubmissionPackage.ReportedFindingsOf(with.CanonicalContent));
        Assert.Equal(0, SubmissionPackage.ReportedFindingsOf(without.CanonicalContent));
    }

    [Fact]
    public void Findings_are_stated_by_escalation_time_then_id_whatever_order_they_come_in()
    {
        // f9 is the earlier by ticks, f3 by id.
        var sameMillisecondA = Finding("0197a1b2-0000-7000-8000-0000000000f9", 2026, Raised.AddDays(30).AddTicks(1_000));
        var sameMillisecondB = Finding("0197a1b2-0000-7000-8000-0000000000f3", 2026, Raised.AddDays(30).AddTicks(9_000));

        var first = Build(Pier, Process, sameMillisecondA, sameMillisecondB);
        var shuffled = Build(sameMillisecondB, sameMillisecondA, Process, Pier);
        var parsed = SubmissionDocument.Parse(first.CanonicalContent);

        Assert.Equal(first.CanonicalContent, shuffled.CanonicalContent);
        // Within one millisecond the id decides, not the ticks the document does not state.
        Assert.Equal(["f2", "f1", "f3", "f9"], parsed.Findings.Select(f => f.FindingId.ToString()[^2..]));
        Assert.Equal(first.CanonicalContent, parsed.Canonicalize());
    }

    [Fact]
    public void Each_finding_states_every_field_of_the_escalation_and_nothing_about_people()
    {
        var content = Build(Pier).CanonicalContent;

        Assert.Contains(
            "\"listId\":\"0197a1b2-0000-7000-8000-0000000000bb\",\"oversightReport\":{\"findings\":[{" +
            "\"answerDue\":\"2026-03-17T15:00:00.000Z\"," +
            "\"answers\":[{\"answeredAt\":\"2026-03-05T15:00:00.000Z\",\"text\":\"La obra se incluir\\u00E1 en la modificaci\\u00F3n presupuestal\"}," +
            "{\"answeredAt\":\"2026-03-11T15:00:00.000Z\",\"text\":\"Se adjunta el oficio\"}]," +
            "\"escalatedAt\":\"2026-03-22T15:00:00.000Z\",\"escalationReason\":\"Sin respuesta suficiente en el plazo\"," +
            "\"findingId\":\"0197a1b2-0000-7000-8000-0000000000f1\",\"fiscalYear\":2026,\"kind\":\"Finding\"," +
            "\"processId\":\"0197a1b2-0000-7000-8000-0000000000ee\",\"projectTitle\":\"Muelle artesanal\"," +
            "\"proposalId\":\"0197a1b2-0000-7000-8000-000000000201\",\"raisedAt\":\"2026-03-02T15:00:00.000Z\"," +
            "\"text\":\"Hallazgo f1: la obra no figura en el PIA\"}]},\"ownCommitment\":\"400000.00\"",
            content, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(content);
        var finding = json.RootElement.GetProperty("oversightReport").GetProperty("findings")[0];
        Assert.Equal(["answerDue", "answers", "escalatedAt", "escalationReason", "findingId", "fiscalYear", "kind", "processId", "projectTitle", "proposalId", "raisedAt", "text"],
            finding.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void A_finding_on_the_process_as_a_whole_states_no_project()
    {
        var parsed = SubmissionDocument.Parse(Build(Process).CanonicalContent);

        Assert.Contains("\"projectTitle\":null,\"proposalId\":null", Build(Process).CanonicalContent, StringComparison.Ordinal);
        Assert.Equal((null, null, 2025, "Hallazgo f2: la obra no figura en el PIA"),
            (parsed.Findings[0].ProposalId, parsed.Findings[0].ProjectTitle, parsed.Findings[0].FiscalYear, parsed.Findings[0].Text));
        Assert.Empty(parsed.Findings[0].Answers);
    }

    [Fact]
    public void An_empty_report_or_a_finding_missing_a_field_is_refused_with_its_path()
    {
        var content = Build(Pier).CanonicalContent;
        var start = content.IndexOf("\"oversightReport\":", StringComparison.Ordinal);
        var end = content.IndexOf(",\"ownCommitment\"", StringComparison.Ordinal);
        var emptied = content[..start] + "\"oversightReport\":{\"findings\":[]}" + content[end..];
        var noReason = content.Replace("\"escalationReason\":\"Sin respuesta suficiente en el plazo\",", "", StringComparison.Ordinal);
        var badAnswer = content.Replace("\"answeredAt\":\"2026-03-05T15:00:00.000Z\"", "\"answeredAt\":\"2026-03-05\"", StringComparison.Ordinal);

        Assert.Equal("oversightReport.findings", Assert.Throws<SubmissionFormatException>(() => SubmissionDocument.Parse(emptied)).Path);
        Assert.Equal("oversightReport.findings[0].escalationReason", Assert.Throws<SubmissionFormatException>(() => SubmissionDocument.Parse(noReason)).Path);
        Assert.Equal("oversightReport.findings[0].answers[0].answeredAt", Assert.Throws<SubmissionFormatException>(() => SubmissionDocument.Parse(badAnswer)).Path);
    }

    [Fact]
    public void A_package_carries_its_jurisdiction_s_waiting_findings_of_earlier_years_only()
    {
        var later = Finding("0197a1b2-0000-7000-8000-0000000000f4", 2028, Raised.AddDays(1));
        var sameYear = Finding("0197a1b2-0000-7000-8000-0000000000f5", 2027, Raised.AddDays(1));
        var carried = Finding("0197a1b2-0000-7000-8000-0000000000f6", 2025, Raised.AddDays(1));
        var neighbour = Finding("0197a1b2-0000-7000-8000-0000000000f7", 2025, Raised.AddDays(1));
        EscalatedFinding[] escalated =
        [
            new("070101", Pier, null), new("070101", later, null), new("070101", sameYear, null), new("070101", carried, Guid.CreateVersion7()),
            new("070102", neighbour, null), new("070101", Process, null),
        ];

        var report = OversightReport.For("070101", 2027, escalated);

        Assert.Equal([Process.FindingId, Pier.FindingId], report.Select(f => f.FindingId));
        // The 2027 finding waits for the 2028 package, and the 2028 one for 2029's.
        Assert.Equal([sameYear.FindingId], OversightReport.For("070101", 2028, escalated.Where(e => e.Finding != Pier && e.Finding != Process)).Select(f => f.FindingId));
    }

    [Fact]
    public void An_escalation_the_Ministry_s_format_cannot_state_is_refused_when_received()
    {
        FindingEscalated Escalation(string text, params FindingAnswer[] answers) => new()
        {
            Jurisdiction = "070101", ProcessId = EarlierProcess, FindingId = Guid.CreateVersion7(), FiscalYear = 2026, Kind = FindingKind.InformationRequest,
            Text = text, RaisedAt = Raised, AnswerDue = Raised.AddDays(15), Answers = answers, EscalationReason = "Sin respuesta", EscalatedAt = Raised.AddDays(16),
        };

        var received = OversightReport.Received(Escalation("¿Cuándo empieza la obra?"));

        Assert.Equal(("070101", FindingKind.InformationRequest, (Guid?)null), (received.Jurisdiction, received.Finding.Kind, received.CarriedBy));
        Assert.Throws<InvalidOperationException>(() => OversightReport.Received(Escalation("  ")));
        Assert.Throws<InvalidOperationException>(() => OversightReport.Received(Escalation("¿Cuándo?", new FindingAnswer("", Raised.AddDays(2)))));
    }
}
