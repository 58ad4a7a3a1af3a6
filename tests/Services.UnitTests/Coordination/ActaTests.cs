using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Processes;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Contracts.Submissions;
using PBServices.Coordination.Domain;

namespace PBServices.UnitTests.Coordination;

public sealed class ActaTests
{
    private static readonly DateTimeOffset Now = new(2026, 9, 20, 15, 0, 0, TimeSpan.Zero);
    private static readonly Guid ProcessId = Guid.CreateVersion7();
    private static readonly ProcessStage InFormalization = new(ProcessId, "180301", Stage.Formalization);

    private static readonly ActaProject Water = new(1, Guid.CreateVersion7(), "Agua potable Pampa Inalámbrica", 500_000m, 90m,
        [new("Government", "Municipalidad Provincial de Ilo", "Money", 350_000m, null), new("Community", "Junta Vecinal Pampa", "Labour", 150_000m, "Mano de obra no calificada")]);
    private static readonly ActaProject School = new(2, Guid.CreateVersion7(), "Aulas I.E. Simón Bolívar", 300_000m, 80m, []);
    private static readonly ActaAgent Luz = new(Guid.CreateVersion7(), "Luz Condori Mamani", "Comité de Vaso de Leche");
    private static readonly ActaCommitment Labour = new("Junta Vecinal Pampa", "Community", Water.ProposalId, Water.Title, "Labour", 150_000m, "Mano de obra no calificada");

    private static CoordinatedList List() =>
        CoordinatedList.Restore(Guid.CreateVersion7(), ProcessId, "180301", "District", 2027, 1_000_000m, "greedy", "Coordinated", null, null,
            [new(Water.ProposalId, Water.Title, Water.Cost, Water.Score, 1), new(School.ProposalId, School.Title, School.Cost, School.Score, 2)]);

    private static FinalVote Voted(params Guid[] ids) => new(Guid.CreateVersion7(), Guid.CreateVersion7(), 7, 1, 0, Now.AddHours(-1), ids);

    private static CommitteeElection Elected()
    {
        var members = Enumerable.Range(1, 4).Select(i => new CommitteeMember(i, Guid.CreateVersion7(), $"Integrante {i}", "Junta vecinal", 5 - i, null)).ToList();
        return CommitteeElection.Restore(ProcessId, "180301", new(4, []), [], 6, members, Now.AddMinutes(-30));
    }

    private static (Acta Acta, ActaVersion Version) Drawn(CoordinatedList? list = null)
    {
        var acta = Acta.Restore(ProcessId, null, [], []);
        var version = acta.DrawUp(InFormalization, list ?? List(), Voted(Water.ProposalId, School.ProposalId), Elected(), [Water, School], [Labour], [Luz], "ACTA N.° 014-2026-MPI", Now);
        return (acta, version);
    }

    [Fact]
    public void The_acta_is_drawn_up_only_on_the_list_coordination_closed()
    {
        var open = CoordinatedList.Restore(Guid.CreateVersion7(), ProcessId, "180301", "District", 2027, 1_000_000m, "greedy", "Received", null, null, []);
        var acta = Acta.Restore(ProcessId, null, [], []);

        var e = Assert.Throws<ConflictException>(() =>
            acta.DrawUp(InFormalization, open, Voted(Water.ProposalId, School.ProposalId), Elected(), [Water, School], [Labour], [Luz], "ACTA N.° 014-2026-MPI", Now));

        Assert.Contains("coordinated list", e.Message, StringComparison.Ordinal);
        Assert.Null(acta.Current);
    }

    private static readonly Guid ProvinceProcess = Guid.CreateVersion7();

    private static ProposalCopy Copy(ActaProject p, string objective, ProjectAssessment? assessment) =>
        new(p.ProposalId, ProcessId, "180301", p.Title, p.Cost, "Pampa Inalámbrica", 1200, objective, ["180301"], null, assessment);

    /// <summary>The province pays S/ 350,000 of the water project from its own ceiling, the residents the rest in labour.</summary>
    private static DossierSources Sources(CoordinatedList list) => new(
        new Dictionary<Guid, ProposalCopy>
        {
            [Water.ProposalId] = Copy(Water, "OE1 Agua y saneamiento", new ProjectAssessment(AssessmentRecommendation.ViableAtAdjustedCost, 500_000m, 2)),
            [School.ProposalId] = Copy(School, "OE2 Educación", new ProjectAssessment(AssessmentRecommendation.Viable, null, 1)),
        },
        new Dictionary<Guid, CofinancingAgreement>
        {
            [Water.ProposalId] = new(Guid.CreateVersion7(), list.Id, Water.ProposalId, 500_000m,
                [new(PartyKind.Government, "Municipalidad Provincial de Ilo", ProvinceProcess, Contribution.Money, 350_000m, null),
                 new(PartyKind.Community, "Junta Vecinal Pampa", null, Contribution.Labour, 150_000m, "Mano de obra no calificada")], "ccl-ilo", Now.AddDays(-3)),
        },
        new Dictionary<Guid, string> { [ProvinceProcess] = "180300", [ProcessId] = "180301" });

    private static readonly Signer Council = new("concejo-ilo", "council", "concejo-ilo", IsAgent: false);
    private static Signer AgentLuz => new(Luz.AgentId.ToString(), "agent", Luz.FullName, IsAgent: true);

    [Fact]
    public void The_acta_is_canonical_JSON_hashed_with_SHA_256_and_records_the_list_its_cofinancing_the_committee_and_who_was_present()
    {
        var (_, version) = Drawn();

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(version.Canonical))), version.ContentHash);
        using var json = JsonDocument.Parse(version.Canonical);
        var root = json.RootElement;
        Assert.Equal("ACTA N.° 014-2026-MPI", root.GetProperty("number").GetString());
        Assert.Equal(800_000m, root.GetProperty("totalCost").GetDecimal());
        Assert.Equal([Water.Title, School.Title], root.GetProperty("projects").EnumerateArray().Select(p => p.GetProperty("title").GetString()));
        Assert.Equal(2, root.GetProperty("projects")[0].GetProperty("cofinancing").GetArrayLength());
        Assert.Equal("Mano de obra no calificada", root.GetProperty("commitments")[0].GetProperty("commitment").GetString());
        Assert.Equal(4, root.GetProperty("committee").GetArrayLength());
        Assert.Equal(Luz.FullName, root.GetProperty("present")[0].GetProperty("fullName").GetString());
        Assert.Equal("District", root.GetProperty("level").GetString());
        // Keys in ordinal order: the same content always gives the same bytes, so the same hash.
        Assert.Equal(root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal), root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(version.ContentHash, ActaVersion.Of(version.Content).ContentHash);
    }

    [Fact]
    public void The_acta_is_drawn_up_only_after_the_final_vote()
    {
        var acta = Acta.Restore(ProcessId, null, [], []);

        var e = Assert.Throws<ConflictException>(() => acta.DrawUp(InFormalization, List(), null, Elected(), [Water, School], [], [Luz], "ACTA 1", Now));

        Assert.Equal("finalVote", e.Field);
        Assert.Null(acta.Current);
    }

    [Fact]
    public void The_acta_records_the_list_the_agents_voted_and_no_other()
    {
        var acta = Acta.Restore(ProcessId, null, [], []);

        var e = Assert.Throws<ConflictException>(() => acta.DrawUp(InFormalization, List(), Voted(Water.ProposalId), Elected(), [Water, School], [], [Luz], "ACTA 1", Now));

        Assert.Equal("projects", e.Field);
    }

    [Fact]
    public void The_acta_waits_for_the_elected_committee_and_the_agents_present()
    {
        var acta = Acta.Restore(ProcessId, null, [], []);
        var voting = CommitteeElection.Restore(ProcessId, "180301", new(4, []), [], 3, [], null);
        var vote = Voted(Water.ProposalId, School.ProposalId);

        Assert.Equal("committee", Assert.Throws<ConflictException>(() => acta.DrawUp(InFormalization, List(), vote, voting, [Water, School], [], [Luz], "ACTA 1", Now)).Field);
        Assert.Equal("present", Assert.Throws<ConflictException>(() => acta.DrawUp(InFormalization, List(), vote, Elected(), [Water, School], [], [], "ACTA 1", Now)).Field);
        Assert.Equal("stage", Assert.Throws<ConflictException>(() =>
            acta.DrawUp(InFormalization with { Stage = Stage.Coordination }, List(), vote, Elected(), [Water, School], [], [Luz], "ACTA 1", Now)).Field);
    }

    [Fact]
    public void An_unsigned_acta_is_redrawn_as_a_new_version_and_a_signed_one_never()
    {
        var (acta, first) = Drawn();
        var second = acta.DrawUp(InFormalization, List(), Voted(Water.ProposalId, School.ProposalId), Elected(), [Water, School], [Labour], [Luz], "ACTA N.° 014-2026-MPI", Now.AddMinutes(5));
        Assert.Equal((1, 2), (first.Content.Version, second.Content.Version));
        Assert.NotEqual(first.ContentHash, second.ContentHash);

        var signature = acta.Sign(InFormalization, Council, second.ContentHash, Now);
        var signed = Acta.Restore(ProcessId, second, [signature], []);

        var e = Assert.Throws<ConflictException>(() =>
            signed.DrawUp(InFormalization, List(), Voted(Water.ProposalId, School.ProposalId), Elected(), [Water, School], [], [Luz], "ACTA 2", Now));
        Assert.Equal("acta", e.Field);
        Assert.Equal(second, signed.Current);
    }

    [Fact]
    public void A_signature_is_over_the_current_version_s_hash_and_a_stale_one_is_refused()
    {
        var (acta, first) = Drawn();
        acta.DrawUp(InFormalization, List(), Voted(Water.ProposalId, School.ProposalId), Elected(), [Water, School], [], [Luz], "ACTA N.° 014-2026-MPI", Now.AddMinutes(5));

        var e = Assert.Throws<ConflictException>(() => acta.Sign(InFormalization, Council, first.ContentHash, Now));

        Assert.Equal("contentHash", e.Field);
        Assert.Contains("current version (2)", e.Message);
        Assert.Equal(2, acta.Sign(InFormalization, Council, acta.Current!.ContentHash.ToUpperInvariant(), Now).Version);
    }

    [Fact]
    public void An_agent_signs_when_the_acta_records_them_present_and_each_person_signs_once()
    {
        var (acta, version) = Drawn();
        var absent = new Signer(Guid.CreateVersion7().ToString(), "agent", "Ausente", IsAgent: true);
        Assert.Throws<ForbiddenException>(() => acta.Sign(InFormalization, absent, version.ContentHash, Now));

        var luz = acta.Sign(InFormalization, AgentLuz, version.ContentHash, Now);
        var signed = Acta.Restore(ProcessId, version, [luz], []);

        Assert.Equal("signature", Assert.Throws<ConflictException>(() => signed.Sign(InFormalization, AgentLuz, version.ContentHash, Now)).Field);
    }

    [Fact]
    public void Approval_needs_an_authority_s_and_an_agent_s_signature_and_the_second_approval_formalizes_the_list()
    {
        var (acta, version) = Drawn();
        var list = List();
        var council = acta.Sign(InFormalization, Council, version.ContentHash, Now);
        var onlyAuthority = Acta.Restore(ProcessId, version, [council], []);
        Assert.Equal("signatures", Assert.Throws<ConflictException>(() => onlyAuthority.Approve(InFormalization, list, ApprovalBody.Council, "concejo-ilo", Now, Sources(list))).Field);

        var signed = Acta.Restore(ProcessId, version, [council, acta.Sign(InFormalization, AgentLuz, version.ContentHash, Now)], []);
        var (first, none) = signed.Approve(InFormalization, list, ApprovalBody.CoordinationCouncil, "ccl-ilo", Now, Sources(list));
        Assert.Null(none);
        Assert.Equal(ListStatus.Coordinated, list.Status);

        var approved = Acta.Restore(ProcessId, version, signed.Signatures, [first]);
        Assert.Equal("body", Assert.Throws<ConflictException>(() => approved.Approve(InFormalization, list, ApprovalBody.CoordinationCouncil, "ccl-ilo", Now, Sources(list))).Field);
        var (_, formalized) = approved.Approve(InFormalization, list, ApprovalBody.Council, "concejo-ilo", Now.AddMinutes(10), Sources(list));

        Assert.NotNull(formalized);
        Assert.Equal(ListStatus.Formalized, list.Status);
        Assert.Equal(("ACTA N.° 014-2026-MPI", version.ContentHash), (formalized.ActaReference, formalized.ActaContentHash));
        Assert.Equal([(Water.ProposalId, 500_000m, 1), (School.ProposalId, 300_000m, 2)], formalized.Projects.Select(p => (p.ProposalId, p.Cost, p.Rank)));
    }

    [Fact]
    public void The_formalized_list_carries_each_project_s_dossier_and_who_signed_and_approved_the_acta()
    {
        var (acta, version) = Drawn();
        var list = List();
        var signatures = new[]
        {
            acta.Sign(InFormalization, Council, version.ContentHash, Now),
            acta.Sign(InFormalization, new Signer("alcalde-ilo", "mayor", "alcalde-ilo", IsAgent: false), version.ContentHash, Now),
            acta.Sign(InFormalization, AgentLuz, version.ContentHash, Now),
        };
        var approved = Acta.Restore(ProcessId, version, signatures, [new ActaApproval(ApprovalBody.CoordinationCouncil, "ccl-ilo", Now)]);

        var (_, formalized) = approved.Approve(InFormalization, list, ApprovalBody.Council, "concejo-ilo", Now.AddMinutes(10), Sources(list));

        Assert.NotNull(formalized?.Signatures);
        Assert.Equal((2, 1), (formalized.Signatures.Authorities, formalized.Signatures.Agents));
        Assert.Equal(["CoordinationCouncil", "Council"], formalized.Signatures.Approvals);
        var dossier = formalized.Dossier!;
        Assert.Equal([Water.ProposalId, School.ProposalId], dossier.Select(d => d.ProposalId));
        Assert.Equal(["OE1 Agua y saneamiento", "OE2 Educación"], dossier.Select(d => d.PlanObjective));
        // The district pays nothing of the water project (the province and the residents do) and all of the school.
        Assert.Equal([0m, 300_000m], dossier.Select(d => d.OwnShare));
        Assert.Equal(new ProjectAssessment(AssessmentRecommendation.ViableAtAdjustedCost, 500_000m, 2), dossier[0].Assessment);
        Assert.Equal([("Government", "180300", "Money", 350_000m), ("Community", "Junta Vecinal Pampa", "Labour", 150_000m)],
            dossier[0].Cofinancing.Select(c => (c.PartyKind, c.Party, c.Contribution, c.Amount)));
        Assert.Empty(dossier[1].Cofinancing);
    }

    [Fact]
    public void A_government_s_own_share_of_a_cofinanced_project_is_its_share_and_of_any_other_the_full_cost()
    {
        var list = List();
        var agreement = Sources(list).Agreements[Water.ProposalId];

        Assert.Equal(350_000m, Dossier.OwnShare(ProvinceProcess, Water, agreement));
        Assert.Equal(0m, Dossier.OwnShare(ProcessId, Water, agreement));
        Assert.Equal(300_000m, Dossier.OwnShare(ProcessId, School, null));
    }

    [Fact]
    public void A_project_coordination_holds_no_proposal_copy_of_cannot_be_formalized()
    {
        var list = List();
        var sources = Sources(list);
        var withoutSchool = sources with { Proposals = sources.Proposals.Where(p => p.Key != School.ProposalId).ToDictionary() };

        var e = Assert.Throws<ConflictException>(() => Dossier.Of(ProcessId, [Water, School], withoutSchool));

        Assert.Contains(School.Title, e.Message, StringComparison.Ordinal);
    }
}
