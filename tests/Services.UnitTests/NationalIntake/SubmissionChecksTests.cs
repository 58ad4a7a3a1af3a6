extern alias intake;

using System.Security.Cryptography;
using System.Text;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Contracts.Submissions;
using intake::PBServices.NationalIntake.Domain;

namespace PBServices.UnitTests.NationalIntake;

public sealed class SubmissionChecksTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 9, 1, 15, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Approved = new(2026, 7, 15, 18, 30, 0, TimeSpan.Zero);

    private readonly ECDsa _signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly VerifyingKey _public;

    public SubmissionChecksTests() => _public = VerifyingKey.Import(_signer.ExportSubjectPublicKeyInfo(), "publicKey");

    public void Dispose()
    {
        _public.Dispose();
        _signer.Dispose();
    }

    private static SubmittedProjectEntry Project(int rank, decimal cost, decimal? ownShare = null, ProjectAssessment? assessment = null,
        IReadOnlyList<CofinancingEntry>? cofinancing = null, bool noAssessment = false) =>
        new(rank, Guid.CreateVersion7(), $"Proyecto {rank}", cost, 70m, "OE1 Servicios básicos", ownShare ?? cost,
            noAssessment ? null : assessment ?? new ProjectAssessment(AssessmentRecommendation.Viable, null, 1), cofinancing ?? []);

    private static SubmissionDocument Valid(string jurisdiction = "270101", params SubmittedProjectEntry[] projects) => new(
        Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), jurisdiction, Jurisdictions.LevelOf(jurisdiction), 2027, 1_000_000m, Approved,
        new SubmittedActa("Acta N° 007-2026", new string('a', 64), 2, 5, ["CoordinationCouncil", "Council"]),
        [
            new(Stage.Preparation, Approved.AddDays(-120)), new(Stage.Concertation, Approved.AddDays(-90)),
            new(Stage.Coordination, Approved.AddDays(-30)), new(Stage.Formalization, Approved.AddDays(-5)),
        ],
        projects.Length > 0 ? projects : [Project(1, 400_000m), Project(2, 250_000m)]);

    private SubmissionEnvelope Sign(SubmissionDocument d)
    {
        var content = d.Canonicalize();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(content));
        return new SubmissionEnvelope(d.SubmissionId.ToString(), d.Jurisdiction, d.ProcessId.ToString(), content, Convert.ToHexStringLower(hash),
            Convert.ToBase64String(_signer.SignHash(hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)), _public.KeyId);
    }

    private EnrolledKey Key(string jurisdiction = "270000", DateTimeOffset? retired = null, DateTimeOffset? revoked = null) =>
        new(_public.KeyId, jurisdiction, _public, Now.AddDays(-30), retired, revoked);

    private SubmissionVerdict Check(SubmissionEnvelope envelope, string caller = "270000", EnrolledKey? key = null) =>
        SubmissionChecks.Check(envelope, caller, key ?? Key(), Now);

    private static IReadOnlyList<string> Rules(SubmissionDocument d) => SubmissionChecks.ContentProblems(d).Select(p => p.ToString()).ToList();

    [Fact]
    public void A_signed_valid_document_of_a_district_within_the_key_s_region_is_accepted()
    {
        var verdict = Check(Sign(Valid()));

        Assert.True(verdict.Accepted, verdict.Message);
        Assert.NotNull(verdict.Document);
    }

    [Fact]
    public void The_document_round_trips_through_its_canonical_form()
    {
        var document = Valid("270000", Project(1, 100_000.5m, 60_000m, new ProjectAssessment(AssessmentRecommendation.ViableAtAdjustedCost, 100_000.5m, 2),
            [new CofinancingEntry("Government", "270101", "Money", 40_000.5m)]));

        var parsed = SubmissionDocument.Parse(document.Canonicalize());

        Assert.Equal(document.Canonicalize(), parsed.Canonicalize());
        Assert.Equal(document.Projects[0].Cofinancing[0], parsed.Projects[0].Cofinancing[0]);
        Assert.Equal(document.Acta.Approvals, parsed.Acta.Approvals);
    }

    [Fact]
    public void A_document_not_in_canonical_form_is_refused_naming_the_schema()
    {
        var envelope = Sign(Valid());
        var spaced = envelope.CanonicalContent.Replace("\"fiscalYear\":2027", "\"fiscalYear\": 2027", StringComparison.Ordinal);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(spaced));
        var resigned = envelope with
        {
            CanonicalContent = spaced, ContentHash = Convert.ToHexStringLower(hash),
            Signature = Convert.ToBase64String(_signer.SignHash(hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)),
        };

        var verdict = Check(resigned);

        Assert.Equal(RefusalKind.InvalidArgument, verdict.Kind);
        Assert.Contains("canonical_content.$: Not in canonical form", verdict.Message);
    }

    [Fact]
    public void A_missing_field_is_refused_with_its_path()
    {
        var content = Sign(Valid()).CanonicalContent.Replace("\"fiscalYear\":2027,", "", StringComparison.Ordinal);

        var e = Assert.Throws<SubmissionFormatException>(() => SubmissionDocument.Parse(content));

        Assert.Equal("fiscalYear", e.Path);
    }

    [Fact]
    public void Tampered_content_fails_the_hash_and_the_signature()
    {
        var envelope = Sign(Valid());
        var tampered = envelope with { CanonicalContent = envelope.CanonicalContent.Replace("Proyecto 1", "Proyecto X", StringComparison.Ordinal) };

        var verdict = Check(tampered);

        Assert.Equal(RefusalKind.InvalidArgument, verdict.Kind);
        Assert.Contains("content_hash: is not the SHA-256 of canonical_content", verdict.Message);
        Assert.Contains("signature: does not verify", verdict.Message);
    }

    [Fact]
    public void A_signature_by_another_key_does_not_verify_with_the_enrolled_one()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var envelope = Sign(Valid());
        var forged = envelope with
        {
            Signature = Convert.ToBase64String(other.SignHash(Convert.FromHexString(envelope.ContentHash), DSASignatureFormat.IeeeP1363FixedFieldConcatenation)),
        };

        var verdict = Check(forged);

        Assert.Equal(RefusalKind.InvalidArgument, verdict.Kind);
        Assert.Equal("signature: does not verify with the key enrolled under key_id", verdict.Message);
    }

    [Fact]
    public void An_unenrolled_key_is_permission_denied()
    {
        var verdict = SubmissionChecks.Check(Sign(Valid()), "270000", null, Now);

        Assert.Equal(RefusalKind.PermissionDenied, verdict.Kind);
        Assert.Contains("key_id: ", verdict.Message);
        Assert.Contains("is not an enrolled key", verdict.Message);
    }

    [Fact]
    public void A_revoked_or_retired_key_is_permission_denied_saying_which()
    {
        var revoked = Check(Sign(Valid()), key: Key(revoked: Now.AddHours(-1)));
        var retired = Check(Sign(Valid()), key: Key(retired: Now.AddHours(-1)));

        Assert.Equal(RefusalKind.PermissionDenied, revoked.Kind);
        Assert.Contains("key_id: the key was revoked at", revoked.Message);
        Assert.Equal(RefusalKind.PermissionDenied, retired.Kind);
        Assert.Contains("key_id: the key was retired at", retired.Message);
    }

    [Fact]
    public void A_key_of_another_region_and_credentials_of_another_region_are_permission_denied()
    {
        var verdict = Check(Sign(Valid("260101")));

        Assert.Equal(RefusalKind.PermissionDenied, verdict.Kind);
        Assert.Contains("jurisdiction: the credentials act for '270000', which does not include '260101'", verdict.Message);
        Assert.Contains("key_id: the key is enrolled for '270000', which does not include '260101'", verdict.Message);
    }

    [Fact]
    public void A_national_key_and_credentials_cover_every_jurisdiction()
    {
        Assert.True(Check(Sign(Valid("260101")), "PE", Key("PE")).Accepted);
    }

    [Fact]
    public void A_province_does_not_cover_another_province_s_district()
    {
        Assert.True(IntakeJurisdiction.Covers("270100", "270101"));
        Assert.False(IntakeJurisdiction.Covers("270100", "270201"));
        Assert.False(IntakeJurisdiction.Covers("270101", "270102"));
        Assert.True(IntakeJurisdiction.Covers("270000", "270000"));
        Assert.False(IntakeJurisdiction.Covers("270000", "PE"));
    }

    [Fact]
    public void An_envelope_that_does_not_match_the_content_is_invalid_naming_each_field()
    {
        var envelope = Sign(Valid()) with { SubmissionId = Guid.CreateVersion7().ToString(), ProcessId = Guid.CreateVersion7().ToString(), Jurisdiction = "270102" };

        var verdict = Check(envelope);

        Assert.Equal(RefusalKind.InvalidArgument, verdict.Kind);
        Assert.Contains("submission_id: ", verdict.Message);
        Assert.Contains("process_id: ", verdict.Message);
        Assert.Contains("jurisdiction: '270102' is not the document's jurisdiction '270101'", verdict.Message);
    }

    [Fact]
    public void Permission_denied_wins_over_invalid_argument_and_every_problem_is_listed()
    {
        var envelope = Sign(Valid("260101")) with { ContentHash = new string('0', 64) };

        var verdict = Check(envelope);

        Assert.Equal(RefusalKind.PermissionDenied, verdict.Kind);
        Assert.Contains("content_hash: ", verdict.Message);
        Assert.Contains("; ", verdict.Message);
    }

    [Fact]
    public void A_valid_document_breaks_no_rule() => Assert.Empty(Rules(Valid()));

    [Fact]
    public void An_own_commitment_over_the_ceiling_is_refused() =>
        Assert.Contains("ownCommitment: S/ 1200000.00 exceeds the budget ceiling of S/ 1000000.00", Rules(Valid("270101", Project(1, 700_000m), Project(2, 500_000m))));

    [Fact]
    public void A_co_financed_project_counts_only_its_own_share_against_the_ceiling() =>
        Assert.Empty(Rules(Valid("270101", Project(1, 1_500_000m, 900_000m,
            cofinancing: [new CofinancingEntry("Government", "270101", "Money", 900_000m), new CofinancingEntry("Government", "270000", "Money", 600_000m)]))));

    [Fact]
    public void An_own_share_that_is_not_the_governments_share_in_the_co_financing_is_refused() =>
        Assert.Contains("projects[rank 1].ownShare: S/ 900000.00 is not 270101's share in the co-financing (S/ 800000.00)", Rules(Valid("270101", Project(1, 1_500_000m, 900_000m,
            cofinancing: [new CofinancingEntry("Government", "270101", "Money", 800_000m), new CofinancingEntry("Government", "270000", "Money", 700_000m)]))));

    [Fact]
    public void An_own_share_above_the_cost_is_refused() =>
        Assert.Contains(Rules(Valid("270101", Project(1, 100_000m, 120_000m))), r => r.StartsWith("projects[rank 1].ownShare: S/ 120000.00 exceeds", StringComparison.Ordinal));

    [Fact]
    public void Co_financing_that_does_not_add_up_to_the_cost_is_refused() =>
        Assert.Contains(Rules(Valid("270101", Project(1, 100_000m, 60_000m,
                cofinancing: [new CofinancingEntry("Government", "270101", "Money", 60_000m), new CofinancingEntry("Community", "Comunidad", "Labour", 30_000m)]))),
            r => r.StartsWith("projects[rank 1].cofinancing: ", StringComparison.Ordinal));

    [Fact]
    public void A_project_without_assessment_is_refused() =>
        Assert.Contains("projects[rank 2].assessment: the project has no technical assessment", Rules(Valid("270101", Project(1, 1000m), Project(2, 1000m, noAssessment: true))));

    [Theory]
    [InlineData(AssessmentRecommendation.NotViable)]
    [InlineData(AssessmentRecommendation.Observed)]
    public void A_project_not_found_viable_is_refused(AssessmentRecommendation recommendation) =>
        Assert.Contains($"projects[rank 1].assessment: the recommendation is {recommendation}, not viable",
            Rules(Valid("270101", Project(1, 1000m, assessment: new ProjectAssessment(recommendation, null, 1)))));

    [Fact]
    public void A_project_viable_at_an_adjusted_cost_must_carry_that_cost()
    {
        var adjusted = new ProjectAssessment(AssessmentRecommendation.ViableAtAdjustedCost, 800m, 2);

        Assert.Contains("projects[rank 1].cost: S/ 1000.00 is not the adjusted cost the assessment found viable (S/ 800.00)", Rules(Valid("270101", Project(1, 1000m, assessment: adjusted))));
        Assert.Empty(Rules(Valid("270101", Project(1, 800m, assessment: adjusted))));
    }

    [Fact]
    public void An_unsigned_unissued_unapproved_acta_is_refused_for_each_lack()
    {
        var d = Valid() with { Acta = new SubmittedActa("Acta N° 007-2026", null, 0, 0, ["Council"]) };

        var rules = Rules(d);

        Assert.Contains("acta.contentHash: the acta has no content hash: it was not issued", rules);
        Assert.Contains("acta.authoritySignatures: no authority signed the acta", rules);
        Assert.Contains("acta.agentSignatures: no participating agent signed the acta", rules);
        Assert.Contains("acta.approvals: the CoordinationCouncil has not approved the list", rules);
        Assert.DoesNotContain(rules, r => r.Contains("the Council has", StringComparison.Ordinal));
    }

    [Fact]
    public void An_acta_without_reference_is_refused() =>
        Assert.Contains("acta.reference: the acta has no reference", Rules(Valid() with { Acta = Valid().Acta with { Reference = " " } }));

    [Fact]
    public void A_missing_stage_is_refused()
    {
        var d = Valid();

        Assert.Contains("stages: the process never reached Coordination", Rules(d with { Stages = d.Stages.Where(s => s.Stage != Stage.Coordination).ToList() }));
    }

    [Fact]
    public void Stages_out_of_order_or_after_the_approval_are_refused()
    {
        var d = Valid();
        var swapped = d.Stages.Select(s => s.Stage == Stage.Concertation ? s with { At = Approved.AddDays(-200) } : s).ToList();
        var late = d.Stages.Select(s => s.Stage == Stage.Formalization ? s with { At = Approved.AddDays(1) } : s).ToList();

        Assert.Contains(Rules(d with { Stages = swapped }), r => r.StartsWith("stages: Concertation", StringComparison.Ordinal) && r.Contains("before the stage preceding it", StringComparison.Ordinal));
        Assert.Contains(Rules(d with { Stages = late }), r => r.StartsWith("stages: Formalization", StringComparison.Ordinal) && r.Contains("after the list's approval", StringComparison.Ordinal));
    }

    [Fact]
    public void A_list_without_projects_is_refused() => Assert.Contains("projects: the list has no project", Rules(Valid() with { Projects = [] }));

    [Fact]
    public void A_level_other_than_the_jurisdiction_s_is_refused() =>
        Assert.Contains("level: Region is not the level of jurisdiction '270101' (District)", Rules(Valid() with { Level = GovernmentLevel.Region }));

    [Fact]
    public void Content_rules_are_a_failed_precondition_after_a_valid_signature()
    {
        var verdict = Check(Sign(Valid("270101", Project(1, 700_000m), Project(2, 500_000m))));

        Assert.Equal(RefusalKind.FailedPrecondition, verdict.Kind);
        Assert.StartsWith("ownCommitment: ", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_a_p256_public_key_is_enrolled()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(2048);

        Assert.Equal("publicKey", Assert.Throws<PBServices.BuildingBlocks.Errors.DomainException>(() => VerifyingKey.Import(p384.ExportSubjectPublicKeyInfo(), "publicKey")).Field);
        Assert.Throws<PBServices.BuildingBlocks.Errors.DomainException>(() => VerifyingKey.Import(rsa.ExportSubjectPublicKeyInfo(), "publicKey"));
        Assert.Throws<PBServices.BuildingBlocks.Errors.DomainException>(() => VerifyingKey.FromBase64("not base64!", "publicKey"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(_signer.ExportSubjectPublicKeyInfo())), _public.KeyId);
    }

    private static ReportedFinding Finding(int fiscalYear = 2026, string text = "La obra no figura en el PIA", Guid? id = null, params FindingAnswer[] answers) =>
        new(id ?? Guid.CreateVersion7(), Guid.CreateVersion7(), fiscalYear, Guid.CreateVersion7(), "Muelle artesanal", FindingKind.Finding, text,
            Approved.AddDays(-200), Approved.AddDays(-185), answers, "Sin respuesta suficiente", Approved.AddDays(-150));

    [Fact]
    public void A_package_with_an_oversight_report_of_earlier_years_is_accepted_and_reads_back_the_findings()
    {
        var answered = Finding(answers: [new FindingAnswer("Se incluirá en la modificación", Approved.AddDays(-195)), new FindingAnswer("Oficio 12", Approved.AddDays(-190))]);
        var document = Valid() with { OversightReport = [answered, Finding(2025)] };

        var verdict = Check(Sign(document));

        Assert.True(verdict.Accepted, verdict.Message);
        Assert.Equal(2, verdict.Document!.Findings.Count);
        Assert.Equal(["Se incluirá en la modificación", "Oficio 12"], verdict.Document.Findings.Single(f => f.FindingId == answered.FindingId).Answers.Select(a => a.Text));
    }

    [Fact]
    public void A_finding_of_the_package_s_own_year_or_later_is_a_failed_precondition_naming_it()
    {
        var sameYear = Finding(2027);
        var later = Finding(2028);

        var verdict = Check(Sign(Valid() with { OversightReport = [sameYear, later, Finding(2026)] }));

        Assert.Equal(RefusalKind.FailedPrecondition, verdict.Kind);
        // Both escalated at one moment: the document orders them by id, which is random here.
        Assert.Equal(new[]
        {
            $"oversightReport.findings[{sameYear.FindingId}].fiscalYear: 2027 is not earlier than the submission's fiscal year 2027: a finding is reported with a later year's submission",
            $"oversightReport.findings[{later.FindingId}].fiscalYear: 2028 is not earlier than the submission's fiscal year 2027: a finding is reported with a later year's submission",
        }.Order(StringComparer.Ordinal), verdict.Problems.Select(p => p.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_finding_or_an_answer_without_text_is_a_failed_precondition()
    {
        var blank = Finding(text: "   ", answers: [new FindingAnswer(" ", Approved.AddDays(-190))]);

        var problems = Rules(Valid() with { OversightReport = [blank] });

        Assert.Equal([$"oversightReport.findings[{blank.FindingId}].text: the finding has no text", $"oversightReport.findings[{blank.FindingId}].answers[0].text: the answer has no text"],
            problems);
    }

    [Fact]
    public void A_finding_reported_twice_in_one_package_is_invalid()
    {
        var id = Guid.CreateVersion7();

        var verdict = Check(Sign(Valid() with { OversightReport = [Finding(id: id), Finding(2025, id: id)] }));

        Assert.Equal(RefusalKind.InvalidArgument, verdict.Kind);
        Assert.Contains($"oversightReport.findings: finding {id} is reported 2 times", verdict.Message);
    }

    [Fact]
    public void Answers_out_of_the_order_given_are_invalid_and_one_before_the_finding_was_raised_breaks_the_rules()
    {
        var unordered = Finding(answers: [new FindingAnswer("Segunda", Approved.AddDays(-180)), new FindingAnswer("Primera", Approved.AddDays(-190))]);
        var early = Finding(answers: [new FindingAnswer("Antes de tiempo", Approved.AddDays(-201))]);

        var verdict = Check(Sign(Valid() with { OversightReport = [unordered, early] }));

        Assert.Equal(RefusalKind.InvalidArgument, verdict.Kind);
        Assert.Contains($"oversightReport.findings[{unordered.FindingId}].answers[1].answeredAt: 2026-01-06T18:30:00.000Z is before the answer preceding it (2026-01-16T18:30:00.000Z)",
            verdict.Message);
        Assert.Contains(verdict.Problems, p => p is { Kind: RefusalKind.FailedPrecondition } && p.Field == $"oversightReport.findings[{early.FindingId}].answers[0].answeredAt");
    }
}
