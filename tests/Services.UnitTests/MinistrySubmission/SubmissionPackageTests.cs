using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Contracts.Submissions;
using PBServices.MinistrySubmission.Domain;

namespace PBServices.UnitTests.MinistrySubmission;

public sealed class SubmissionPackageTests
{
    private static readonly Guid SubmissionId = Guid.Parse("0197a1b2-0000-7000-8000-000000000001");
    private static readonly Guid ProcessId = Guid.Parse("0197a1b2-0000-7000-8000-0000000000aa");

    private static readonly ListedProject School = new(Guid.Parse("0197a1b2-0000-7000-8000-000000000101"), "Aulas I.E. 3045", 600_000m, 80m, 1);
    private static readonly ListedProject Water = new(Guid.Parse("0197a1b2-0000-7000-8000-000000000102"), "Agua potable", 300_000.5m, 75m, 2);
    private static readonly ListedProject Lights = new(Guid.Parse("0197a1b2-0000-7000-8000-000000000103"), "Alumbrado", 99_999m, 60m, 3);

    private static readonly IReadOnlyList<FormalizedProject> Dossier =
    [
        new(School.ProposalId, "OE2 Educación", 600_000m, new ProjectAssessment(AssessmentRecommendation.Viable, null, 1), []),
        // Co-financed: the province pays 200,000.50 and the residents 50,000 in labour; the district the rest.
        new(Water.ProposalId, "OE1 Agua y saneamiento", 50_000m, new ProjectAssessment(AssessmentRecommendation.ViableAtAdjustedCost, 300_000.5m, 2),
            [new("Government", "150100", "Money", 200_000.5m), new("Community", "Junta Vecinal 3", "Labour", 50_000m), new("Government", "150122", "Money", 50_000m)]),
        new(Lights.ProposalId, "OE3 Seguridad", 99_999m, new ProjectAssessment(AssessmentRecommendation.Viable, null, 1), []),
    ];

    private static readonly IReadOnlyList<StageReached> Stages =
    [
        new(Stage.Formalization, new DateTimeOffset(2025, 7, 1, 9, 0, 0, TimeSpan.FromHours(-5))),
        new(Stage.Preparation, new DateTimeOffset(2025, 2, 3, 8, 0, 0, TimeSpan.Zero)),
    ];

    private static ListFormalized List(params ListedProject[] projects) => new()
    {
        Jurisdiction = "150122",
        ProcessId = ProcessId,
        ListId = Guid.Parse("0197a1b2-0000-7000-8000-0000000000bb"),
        Level = GovernmentLevel.District,
        FiscalYear = 2026,
        BudgetCeiling = 1_000_000m,
        ActaReference = "Acta N° 012-2025-MDM",
        ActaContentHash = new string('a', 64),
        ApprovedAt = new DateTimeOffset(2025, 7, 15, 13, 30, 0, TimeSpan.FromHours(-5)),
        Projects = projects,
        Dossier = Dossier,
        Signatures = new ActaSignatures(2, 5, ["CoordinationCouncil", "Council"]),
    };

    private static SubmissionPackage Build(params ListedProject[] projects) =>
        SubmissionPackage.Build(SubmissionId, List(projects.Length == 0 ? [School, Water, Lights] : projects), Stages);

    [Fact]
    public void The_same_list_always_gives_the_same_bytes_whatever_the_order_it_arrives_in()
    {
        var first = Build(School, Water, Lights);
        var shuffled = Build(Lights, School, Water);

        Assert.Equal(Encoding.UTF8.GetBytes(first.CanonicalContent), Encoding.UTF8.GetBytes(shuffled.CanonicalContent));
        Assert.Equal(first.ContentHash, shuffled.ContentHash);
    }

    [Fact]
    public void The_hash_is_the_SHA_256_of_the_canonical_content_and_the_document_reads_back_unchanged()
    {
        var package = Build();

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(package.CanonicalContent))), package.ContentHash);
        Assert.Equal(package.CanonicalContent, SubmissionDocument.Parse(package.CanonicalContent).Canonicalize());
    }

    [Fact]
    public void Each_project_states_its_plan_objective_own_share_assessment_and_cofinancing_in_rank_order()
    {
        using var document = JsonDocument.Parse(Build(Lights, Water, School).CanonicalContent);
        var root = document.RootElement;
        var projects = root.GetProperty("projects").EnumerateArray().ToList();

        Assert.Equal(SubmissionDocument.Format, root.GetProperty("format").GetString());
        Assert.Equal([1, 2, 3], projects.Select(p => p.GetProperty("rank").GetInt32()));
        Assert.Equal(["OE2 Educación", "OE1 Agua y saneamiento", "OE3 Seguridad"], projects.Select(p => p.GetProperty("planObjective").GetString()));
        Assert.Equal(["600000.00", "50000.00", "99999.00"], projects.Select(p => p.GetProperty("ownShare").GetString()));
        Assert.Equal(["600000.00", "300000.50", "99999.00"], projects.Select(p => p.GetProperty("cost").GetString()));
        var water = projects[1];
        Assert.Equal("ViableAtAdjustedCost", water.GetProperty("assessment").GetProperty("recommendation").GetString());
        Assert.Equal("300000.50", water.GetProperty("assessment").GetProperty("adjustedCost").GetString());
        Assert.Equal(2, water.GetProperty("assessment").GetProperty("version").GetInt32());
        Assert.Equal(["150100", "Junta Vecinal 3", "150122"], water.GetProperty("cofinancing").EnumerateArray().Select(c => c.GetProperty("party").GetString()));
        Assert.Equal("999999.50", root.GetProperty("totalCost").GetString());
        Assert.Equal("749999.00", root.GetProperty("ownCommitment").GetString());
        Assert.Equal("2025-07-15T18:30:00.000Z", root.GetProperty("approvedAt").GetString());
    }

    [Fact]
    public void The_acta_s_signatures_and_approvals_and_the_stages_entered_travel_in_the_document()
    {
        var document = SubmissionDocument.Parse(Build().CanonicalContent);

        Assert.Equal(("Acta N° 012-2025-MDM", new string('a', 64), 2, 5),
            (document.Acta.Reference, document.Acta.ContentHash, document.Acta.AuthoritySignatures, document.Acta.AgentSignatures));
        Assert.Equal(["CoordinationCouncil", "Council"], document.Acta.Approvals);
        Assert.Equal([(Stage.Preparation, "2025-02-03T08:00:00Z"), (Stage.Formalization, "2025-07-01T14:00:00Z")],
            document.Stages.Select(s => (s.Stage, s.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void A_list_formalized_without_a_dossier_cannot_become_a_submission()
    {
        var old = List(School) with { Dossier = null };

        var e = Assert.Throws<InvalidOperationException>(() => SubmissionPackage.Build(SubmissionId, old, Stages));

        Assert.Contains("no dossier", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_project_missing_from_the_dossier_is_refused_rather_than_sent_without_its_checks()
    {
        var extra = new ListedProject(Guid.CreateVersion7(), "Losa deportiva", 10_000m, 50m, 4);

        var e = Assert.Throws<InvalidOperationException>(() => SubmissionPackage.Build(SubmissionId, List(School, Water, Lights, extra), Stages));

        Assert.Contains(extra.ProposalId.ToString(), e.Message, StringComparison.Ordinal);
    }
}
